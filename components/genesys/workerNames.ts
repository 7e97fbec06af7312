// Names of the worker's Genesys role and OAuth client, shared by the component
// that creates them and by `genesys:bootstrap`, which must find the same role
// and name the same client in the staged first deploy. No Pulumi import, so
// the command loads fast.

/** The component type token of GenesysIntegration (part of its children's URNs). */
export const GENESYS_INTEGRATION_TYPE = "legal-hold-archive:index:GenesysIntegration";
/** The worker OAuth client's resource type (the bridged provider's token). */
export const OAUTH_CLIENT_TYPE = "genesyscloud:index/oauthClient:OauthClient";

/** The Genesys name of the worker's custom role; Genesys role names are what an admin searches by. */
export const workerRoleName = (componentName: string) => `${componentName} legal-hold export worker`;

/** Logical names of the component's children, as Pulumi records them. */
export const workerRoleResourceName = (componentName: string) => `${componentName}-worker-role`;
export const workerClientResourceName = (componentName: string) => `${componentName}-worker-client`;

/**
 * The URN of the worker's OAuth client, for `pulumi up --exclude`: the
 * component is created at the stack's root, so its type is the first in the
 * chain (the stack's own type is not part of a URN).
 */
export function workerClientUrn(stack: string, project: string, componentName: string): string {
  return `urn:pulumi:${stack}::${project}::${GENESYS_INTEGRATION_TYPE}$${OAUTH_CLIENT_TYPE}::${workerClientResourceName(componentName)}`;
}
