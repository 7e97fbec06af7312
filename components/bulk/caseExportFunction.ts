import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CASE_ROUTING_PREFIX } from "../../lambda/bulk/caseRouting";
import { isWholeBetween, withDefaults } from "../argChecks";
import { type PolicyDocument, policyDocument } from "../iam/policyDocument";
import { handlerArchive } from "../lambdaBundle";
import { createLogsKey } from "../pipeline/logsKey";
import { writeOwnLogs } from "../pipeline/pipelinePolicies";

const LAMBDA_SOURCE = join(__dirname, "..", "..", "lambda");

export interface CaseExportFunctionArgs {
  /** The CaseExportRole (created before the archive, listed in its writerRoles). */
  role: { arn: pulumi.Input<string>; name: pulumi.Input<string>; functionName: string };
  archiveBucketName: pulumi.Input<string>;
  archiveKeyArn: pulumi.Input<string>;
  signingKeyArn: pulumi.Input<string>;
  /** The landing bucket Genesys writes into (bulkinfra's LandingBucket). */
  landingBucketName: pulumi.Input<string>;
  /** The Genesys client-credentials secret (ExportPipeline's credentialsSecretArn): the same OAuth client. */
  genesysCredentialsSecretArn: pulumi.Input<string>;
  genesysApiBaseUrl: pulumi.Input<string>;
  genesysLoginBaseUrl: pulumi.Input<string>;
  /** Id of the Genesys aws-s3-recording-bulk-actions-integration (bulkinfra's BulkExportIntegration). */
  bulkIntegrationId: pulumi.Input<string>;
  /** Seconds a run may take: a large case queries, protects and routes thousands of conversations. @default 900 */
  timeoutSeconds?: number;
  /** @default 365 */
  logRetentionDays?: number;
  /** Tags for the AWS resources. @default {} */
  tags?: Record<string, string>;
}

/** What the function may do beyond the archive's writer grant: route into the landing bucket, list it, read the secret, sign. */
export function caseExportPolicy(inputs: {
  landingBucketArn: string;
  secretArn: string;
  signingKeyArn: string;
  logGroupArn: string;
}): PolicyDocument {
  return policyDocument([
    // The landing bucket has no Object Lock: a grant that admits no legal-hold upload says so, and the pack sees it.
    {
      Sid: "WriteCaseRouting",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [`${inputs.landingBucketArn}/${CASE_ROUTING_PREFIX}*`],
      Condition: { Null: { "s3:object-lock-legal-hold": "true" } },
    },
    // A re-run reads back the routing object it finds (If-None-Match lost the race) to compare it.
    {
      Sid: "ReadBackCaseRouting",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`${inputs.landingBucketArn}/${CASE_ROUTING_PREFIX}*`],
    },
    // case:status lists what waits in the landing bucket; listing reads no object.
    { Sid: "ListLandingObjects", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [inputs.landingBucketArn] },
    { Sid: "ReadGenesysClientCredentials", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [inputs.secretArn] },
    { Sid: "SignCaseRecords", Effect: "Allow", Action: ["kms:Sign"], Resource: [inputs.signingKeyArn] },
    writeOwnLogs(inputs.logGroupArn),
  ]);
}

export function resolveCaseExportFunctionArgs(args: CaseExportFunctionArgs) {
  const resolved = withDefaults<CaseExportFunctionArgs>(
    { timeoutSeconds: 900, logRetentionDays: 365, tags: {} },
    args,
  ) as Required<CaseExportFunctionArgs>;
  const problems: string[] = [];
  if (!isWholeBetween(resolved.timeoutSeconds, 60, 900))
    problems.push(`[timeoutSeconds] must be from 60 to 900 (Lambda's limit); got ${resolved.timeoutSeconds}`);
  if (!isWholeBetween(resolved.logRetentionDays, 1, 3653))
    problems.push(`[logRetentionDays] must be from 1 to 3653; got ${resolved.logRetentionDays}`);
  if (!/-case-export$/.test(args.role.functionName))
    problems.push(`[role] must be a CaseExportRole: its function name must end in -case-export; got "${args.role.functionName}"`);
  if (problems.length > 0) throw new Error(`CaseExportFunction: ${problems.join("; ")}`);
  return resolved;
}

/**
 * The case-export Lambda (operations "export" and "status"), bundled with
 * esbuild, its KMS-encrypted log group and its inline policy. The function
 * name is the one the role's trust policy is pinned to. No secret in its
 * environment: only the secret's ARN.
 */
export class CaseExportFunction extends pulumi.ComponentResource {
  public readonly functionArn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: CaseExportFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:bulk:CaseExportFunction", name, {}, opts);
    const resolved = resolveCaseExportFunctionArgs(args);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent);

    // Logs name cases and conversations: encrypted under a key of their own, as the pipeline's are.
    const logsKey = createLogsKey(
      name,
      {
        description: `Encrypts the log group of the case-export function ${args.role.functionName}`,
        logGroupNamePrefix: `/aws/lambda/${args.role.functionName}`,
        tags: resolved.tags,
      },
      this,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/lambda/${args.role.functionName}`,
        retentionInDays: resolved.logRetentionDays,
        kmsKeyId: logsKey.arn,
        tags: resolved.tags,
      },
      { parent: this, dependsOn: [logsKey] },
    );
    const grant = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: args.role.name,
        policy: pulumi
          .all([partition.partition, args.landingBucketName, args.genesysCredentialsSecretArn, args.signingKeyArn, logGroup.arn])
          .apply(([partitionName, landing, secretArn, signingKeyArn, logGroupArn]) =>
            JSON.stringify(
              caseExportPolicy({ landingBucketArn: `arn:${partitionName}:s3:::${landing}`, secretArn, signingKeyArn, logGroupArn }),
            ),
          ),
      },
      parent,
    );
    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.role.functionName,
        description: "Exports a legal case by Genesys query and bulk export jobs; reconciles its status",
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        role: args.role.arn,
        code: handlerArchive("caseExport", join(LAMBDA_SOURCE, "caseExport", "handler.ts")),
        memorySize: 512,
        timeout: resolved.timeoutSeconds,
        // One export at a time: Genesys runs two jobs per org and rate-limits the client; concurrent runs would only contend.
        reservedConcurrentExecutions: 1,
        environment: {
          variables: {
            ARCHIVE_BUCKET: args.archiveBucketName,
            ARCHIVE_KMS_KEY_ARN: args.archiveKeyArn,
            SIGNING_KEY_ARN: args.signingKeyArn,
            LANDING_BUCKET: args.landingBucketName,
            GENESYS_CREDENTIALS_SECRET_ARN: args.genesysCredentialsSecretArn,
            GENESYS_API_BASE_URL: args.genesysApiBaseUrl,
            GENESYS_LOGIN_BASE_URL: args.genesysLoginBaseUrl,
            BULK_INTEGRATION_ID: args.bulkIntegrationId,
            POWERTOOLS_SERVICE_NAME: "legal-hold-case-export",
          },
        },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        tags: resolved.tags,
      },
      { parent: this, dependsOn: [grant] },
    );
    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.registerOutputs({ functionArn: this.functionArn, functionName: this.functionName });
  }
}
