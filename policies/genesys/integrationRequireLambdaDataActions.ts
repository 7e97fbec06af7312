import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/projectPolicy";
import { GENESYS_INTEGRATION, GENESYS_INTEGRATION_ACTION, GENESYS_INTEGRATION_CREDENTIAL } from "../lib/resourceTypes";
import { membership, resourcesOfType, withValueIn } from "../lib/stackIndex";
import { linkedResource } from "../lib/stackLinks";
import { byValueThenDependencies, undecidedUnlessIdentified } from "../lib/valueFirst";
import { AWS_ARN_CREDENTIAL_TYPE } from "./integrationCredentialRequireAwsArnType";

/** The integration type whose actions invoke a Lambda through an assumed role (facts §3). */
export const LAMBDA_INTEGRATION_TYPE = "aws-lambda-data-actions";
const ENABLED = "ENABLED";

/** The integration's `config` block: the bridge flattens a max-one block to an object; a one-element list is read too. */
function configBlockOf(integration: PolicyResource): Record<string, unknown> | undefined {
  const config = integration.props.config;
  const block = Array.isArray(config) ? config[0] : config;
  return typeof block === "object" && block !== null ? (block as Record<string, unknown>) : undefined;
}

/**
 * The stack's credentials an integration uses: those whose ids config.credentials
 * names. While those ids are unknown (preview), the credentials `config` depends
 * on stand in (only credentials can be named there in practice).
 */
export function credentialsOf(integration: PolicyResource, credentials: PolicyResource[]): PolicyResource[] {
  // `credentials` comes from resourcesOfType: membership and withValueIn use its indexes.
  return (
    byValueThenDependencies<PolicyResource[] | undefined>(
      integration,
      "config",
      () => {
        const ids = Object.values((configBlockOf(integration)?.credentials ?? {}) as Record<string, unknown>);
        return undecidedUnlessIdentified(withValueIn(credentials, "id", ids), credentials, ["id"]);
      },
      (dependencies) => {
        const linked = dependencies.filter(membership(credentials));
        return linked.length > 0 ? linked : undefined;
      },
    ) ?? []
  );
}

/*
 * Judgement calls, to keep to what can be checked reliably:
 * - A credential outside the stack (an id typed in) has a type this policy cannot
 *   see, so an integration using only such credentials is not checked.
 * - An action whose integration is not in the stack is reported: its type cannot
 *   be verified, and the project creates the integration its actions belong to.
 * - An action is not reported when its integration is already reported for its
 *   type: one wrong integrationType gives one violation, not one per action.
 */
export const genesysIntegrationRequireLambdaDataActions = stackPolicy(
  {
    name: "genesys-integration-require-lambda-data-actions",
    description:
      "An integration using an amazonWebServicesARN credential is an enabled aws-lambda-data-actions integration, and every data action belongs to such an integration of the stack.",
    severity: "high",
    why: "Only an aws-lambda-data-actions integration assumes the invoker role to call the intake Lambda; another type never uses the role ARN, a disabled one fails every call, and an action on any other integration sends conversation ids somewhere else than the archive.",
    remediationSteps:
      'Set integrationType: "aws-lambda-data-actions" and intendedState: "ENABLED" on the integration, and set each action\'s integrationId to that integration\'s id.',
  },
  (resources, report) => {
    const credentials = resourcesOfType(resources, GENESYS_INTEGRATION_CREDENTIAL);
    const integrations = resourcesOfType(resources, GENESYS_INTEGRATION);
    const reportedForType = new Set<PolicyResource>();

    for (const integration of integrations) {
      const usesAwsArn = credentialsOf(integration, credentials).some((c) => c.props.credentialTypeName === AWS_ARN_CREDENTIAL_TYPE);
      if (!usesAwsArn) continue;
      const type = integration.props.integrationType;
      if (type !== LAMBDA_INTEGRATION_TYPE) {
        reportedForType.add(integration);
        report(
          `Integration "${integration.name}" uses an ${AWS_ARN_CREDENTIAL_TYPE} credential but has integrationType ${JSON.stringify(type)}; set it to "${LAMBDA_INTEGRATION_TYPE}".`,
          integration.urn,
        );
      }
      const state = integration.props.intendedState;
      if (state !== ENABLED) {
        // Unset means Genesys' default, DISABLED.
        report(
          `Integration "${integration.name}" has intendedState ${state === undefined ? "unset (DISABLED)" : JSON.stringify(state)}, so its data actions cannot run; set it to "${ENABLED}".`,
          integration.urn,
        );
      }
    }

    for (const action of resources.filter((r) => GENESYS_INTEGRATION_ACTION.includes(r.type))) {
      const integration = linkedResource(action, "integrationId", integrations, "id");
      if (!integration) {
        report(
          `Integration action "${action.name}" has an integrationId that matches no integration in this stack; set it to the id of the stack's ${LAMBDA_INTEGRATION_TYPE} integration.`,
          action.urn,
        );
      } else if (integration.props.integrationType !== LAMBDA_INTEGRATION_TYPE && !reportedForType.has(integration)) {
        report(
          `Integration action "${action.name}" belongs to integration "${integration.name}" of type ${JSON.stringify(integration.props.integrationType)}; move it to the stack's ${LAMBDA_INTEGRATION_TYPE} integration.`,
          action.urn,
        );
      }
    }
  },
);
