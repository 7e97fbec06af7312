import * as aws from "@pulumi/aws";
import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { isWholeBetween, withDefaults } from "./argChecks";
import { caseExportActionContractInput, caseExportActionContractOutput } from "./genesys/caseExportContract";
import { exportActionContractInput, exportActionContractOutput } from "./genesys/exportRequestContract";
import { genesysInvokerTrustPolicy, invokeIntakePolicy, requireGenesysPartition } from "./genesys/invokerRolePolicies";
import { ORGANIZATION_ID } from "./genesys/organizationId";
import { GENESYS_INTEGRATION_TYPE, workerClientResourceName, workerRoleName, workerRoleResourceName } from "./genesys/workerNames";
import { workerPermissionPolicies } from "./genesys/workerPermissions";

/** The integration type of AWS Lambda data actions (facts §3): data actions are typed by their integration. */
export const LAMBDA_DATA_ACTIONS = "aws-lambda-data-actions";
/**
 * Velocity templates of the action: pass the request through, return the
 * Lambda's answer as is. `${...}` is Genesys template syntax, not JavaScript.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Genesys Velocity syntax, not a JavaScript template.
const REQUEST_TEMPLATE = "${input.rawRequest}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: Genesys Velocity syntax, not a JavaScript template.
const SUCCESS_TEMPLATE = "${rawResult}";

/** The credential type whose one field, ARN, names the role Genesys assumes. */
export const AWS_ROLE_CREDENTIAL = "amazonWebServicesARN";
/** The key under which the integration's config names that credential (capitalised, unlike the type; facts §3). */
export const AWS_ROLE_CREDENTIAL_KEY = "AmazonWebServicesARN";

export interface GenesysIntegrationArgs {
  /** The Genesys Cloud organization id; Genesys sends it as sts:ExternalId. */
  organizationId: string;
  /** The AWS account Genesys Cloud assumes roles from (765628985471 outside FedRAMP). */
  genesysAccountId: string;
  /** ARN of the intake Lambda the "Export legal-hold recordings" action invokes (Lambda mode). @default undefined (no such action) */
  intakeFunctionArn?: pulumi.Input<string>;
  /** The export worker's Secrets Manager secret; receives `{ clientId, clientSecret }`. */
  credentialsSecretId: pulumi.Input<string>;
  /**
   * ARN of the case-export Lambda (bulk export mode): adds the "Export legal case by query" data action on
   * the same integration, lets the invoker role invoke it too, and grants the OAuth client's role the
   * query and recording-job permissions. @default undefined (no bulk export)
   */
  caseExportFunctionArn?: pulumi.Input<string>;
  /** Grant recording:recording:viewSensitiveData (unredacted media). @default false */
  exportUnredactedMedia?: boolean;
  /** Lifetime of the worker's access tokens, 300 to 86400 seconds. @default 3600 */
  tokenValiditySeconds?: number;
  /** Division the worker's role applies in; "*" for all. @default "*" */
  divisionId?: string;
  /** How long Genesys waits for the intake's answer, 1 to 60 seconds. @default 20 */
  actionTimeoutSeconds?: number;
  /** Tags for the AWS resources. @default {} */
  tags?: Record<string, string>;
}

type Optional = "intakeFunctionArn" | "caseExportFunctionArn";
export type ResolvedGenesysArgs = Required<Omit<GenesysIntegrationArgs, Optional>> & Pick<GenesysIntegrationArgs, Optional>;

/** Applies defaults and refuses impossible args before any resource exists. */
export function resolveGenesysArgs(args: GenesysIntegrationArgs): ResolvedGenesysArgs {
  const resolved = withDefaults<GenesysIntegrationArgs>(
    {
      exportUnredactedMedia: false,
      tokenValiditySeconds: 3600,
      divisionId: "*",
      actionTimeoutSeconds: 20,
      tags: {},
    },
    args,
  ) as ResolvedGenesysArgs;
  const problems: string[] = [];
  if (!/^\d{12}$/.test(resolved.genesysAccountId))
    problems.push(`[genesysAccountId] must be a 12-digit AWS account id; got "${resolved.genesysAccountId}"`);
  if (!ORGANIZATION_ID.test(resolved.organizationId))
    problems.push(`[organizationId] must be the Genesys organization UUID; got "${resolved.organizationId}"`);
  if (!isWholeBetween(resolved.tokenValiditySeconds, 300, 86400))
    problems.push(`[tokenValiditySeconds] must be from 300 to 86400 (one day at most); got ${resolved.tokenValiditySeconds}`);
  if (!isWholeBetween(resolved.actionTimeoutSeconds, 1, 60))
    problems.push(`[actionTimeoutSeconds] must be from 1 to 60 (the data-action limit); got ${resolved.actionTimeoutSeconds}`);
  if (resolved.divisionId.trim() === "") problems.push('[divisionId] must be a division id or "*"');
  if (args.intakeFunctionArn === undefined && args.caseExportFunctionArn === undefined)
    problems.push(
      "give [intakeFunctionArn] (Lambda mode), [caseExportFunctionArn] (bulk mode) or both: an integration with no action has no use",
    );
  if (problems.length > 0) throw new Error(`GenesysIntegration: ${problems.join("; ")}`);
  return resolved;
}

/**
 * The Genesys Cloud side of the archive: the IAM role Genesys assumes to
 * invoke the intake Lambda, the AWS Lambda data-action integration with its
 * credential and "Export legal-hold recordings" action, and the worker's
 * custom role and client-credentials OAuth client, whose id and secret go
 * straight into the worker's Secrets Manager secret.
 */
export class GenesysIntegration extends pulumi.ComponentResource {
  public readonly invokerRoleArn: pulumi.Output<string>;
  public readonly integrationId: pulumi.Output<string>;
  /** The "Export legal-hold recordings" action's id; "" without the intake (bulk mode alone). */
  public readonly actionId: pulumi.Output<string>;
  public readonly oauthClientId: pulumi.Output<string>;
  public readonly authRoleId: pulumi.Output<string>;

  constructor(name: string, args: GenesysIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GENESYS_INTEGRATION_TYPE, name, {}, opts);
    const resolved = resolveGenesysArgs(args);
    const parent = { parent: this };

    const partition = aws.getPartitionOutput({}, parent);
    const invoker = new aws.iam.Role(
      `${name}-invoker`,
      {
        description: "Assumed by Genesys Cloud to invoke the legal-hold intake Lambda",
        assumeRolePolicy: partition.partition.apply((p) => {
          requireGenesysPartition(p);
          return JSON.stringify(genesysInvokerTrustPolicy(resolved.genesysAccountId, resolved.organizationId));
        }),
        maxSessionDuration: 3600,
        tags: resolved.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-invoker-policy`,
      {
        role: invoker.name,
        policy: pulumi
          .all([args.intakeFunctionArn, args.caseExportFunctionArn])
          .apply(([intakeArn, caseExportArn]) => JSON.stringify(invokeIntakePolicy(intakeArn, caseExportArn))),
      },
      parent,
    );

    const credential = new genesyscloud.IntegrationCredential(
      `${name}-credential`,
      { name: `${name} invoker role`, credentialTypeName: AWS_ROLE_CREDENTIAL, fields: { ARN: invoker.arn } },
      parent,
    );
    const integration = new genesyscloud.Integration(
      `${name}-integration`,
      {
        integrationType: LAMBDA_DATA_ACTIONS,
        intendedState: "ENABLED",
        config: {
          name: `${name} legal-hold export`,
          notes: "Invokes the legal-hold intake Lambda. Managed by Pulumi (legal-hold-archive).",
          credentials: { [AWS_ROLE_CREDENTIAL_KEY]: credential.id },
        },
      },
      parent,
    );
    const action =
      args.intakeFunctionArn === undefined
        ? undefined
        : new genesyscloud.IntegrationAction(
            `${name}-export-action`,
            {
              name: "Export legal-hold recordings",
              category: `${name} legal-hold export`,
              integrationId: integration.id,
              contractInput: JSON.stringify(exportActionContractInput()),
              contractOutput: JSON.stringify(exportActionContractOutput()),
              configRequest: { requestType: "POST", requestUrlTemplate: args.intakeFunctionArn, requestTemplate: REQUEST_TEMPLATE },
              configResponse: { successTemplate: SUCCESS_TEMPLATE },
              configTimeoutSeconds: resolved.actionTimeoutSeconds,
              // requestedBy can name a person: keep it out of Genesys' execution logs.
              secure: true,
            },
            parent,
          );

    const bulkExport = args.caseExportFunctionArn !== undefined;
    if (bulkExport) {
      new genesyscloud.IntegrationAction(
        `${name}-case-export-action`,
        {
          name: "Export legal case by query",
          category: `${name} legal-hold export`,
          integrationId: integration.id,
          contractInput: JSON.stringify(caseExportActionContractInput()),
          contractOutput: JSON.stringify(caseExportActionContractOutput()),
          configRequest: { requestType: "POST", requestUrlTemplate: args.caseExportFunctionArn ?? "", requestTemplate: REQUEST_TEMPLATE },
          configResponse: { successTemplate: SUCCESS_TEMPLATE },
          // A large case runs past the action's timeout; the function runs on and a re-run continues (README).
          configTimeoutSeconds: 60,
          secure: true,
        },
        parent,
      );
    }

    const role = new genesyscloud.AuthRole(
      workerRoleResourceName(name),
      {
        name: workerRoleName(name),
        description: "Downloads recordings and applies deletion protection (Genesys legal hold). Managed by Pulumi.",
        permissionPolicies: workerPermissionPolicies(resolved.exportUnredactedMedia, bulkExport),
      },
      parent,
    );
    const client = new genesyscloud.OauthClient(
      workerClientResourceName(name),
      {
        name: `${name} legal-hold export worker`,
        description: "Client credentials of the legal-hold export worker. The secret lives in AWS Secrets Manager only.",
        authorizedGrantType: "CLIENT-CREDENTIALS",
        accessTokenValiditySeconds: resolved.tokenValiditySeconds,
        roles: [{ roleId: role.id, divisionId: resolved.divisionId }],
        // The provider returns the secret only when exposed; it stays a Pulumi secret and goes to Secrets Manager.
        exposeClientSecret: true,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-worker-credentials`,
      {
        secretId: args.credentialsSecretId,
        secretString: pulumi.secret(
          pulumi
            .all([client.clientId, client.clientSecret])
            .apply(([clientId, clientSecret]) => JSON.stringify({ clientId, clientSecret })),
        ),
      },
      parent,
    );

    this.invokerRoleArn = invoker.arn;
    this.integrationId = integration.id;
    this.actionId = action?.id ?? pulumi.output("");
    this.oauthClientId = client.clientId;
    this.authRoleId = role.id;
    this.registerOutputs({
      invokerRoleArn: this.invokerRoleArn,
      integrationId: this.integrationId,
      actionId: this.actionId,
      oauthClientId: this.oauthClientId,
      authRoleId: this.authRoleId,
    });
  }
}
