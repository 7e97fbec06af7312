import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isWholeBetween, withDefaults } from "./argChecks";
import { lambdaFunctionArn, lambdaTrustPolicy } from "./exportWorkerRole";
import { handlerArchive } from "./lambdaBundle";
import type { ArchiveWriterRole } from "./legalHoldArchive";
import { createDeletionProtectionMonitoring } from "./pipeline/deletionProtectionMonitoring";
import { createLogsKey } from "./pipeline/logsKey";
import { intakePolicy, workerPipelinePolicy } from "./pipeline/pipelinePolicies";
import { jobQueuePolicy } from "./pipeline/pipelineResourcePolicies";
import { alarmWhenAboveZero, queueWithDeadLetters } from "./pipeline/queueWithDeadLetters";
import { RECORDING_FORMATS, type RecordingFormat } from "./pipeline/recordingFormats";
import { workerConcurrencyFor } from "./pipeline/workerConcurrency";

const LAMBDA_SOURCE = join(__dirname, "..", "lambda");

export interface ExportPipelineArgs {
  /** The role the worker runs as; it already holds the archive's writer grant. */
  workerRole: ArchiveWriterRole;
  archiveBucketName: pulumi.Input<string>;
  archiveKeyArn: pulumi.Input<string>;
  /** The KMS key the worker signs custody manifests with. */
  signingKeyArn: pulumi.Input<string>;
  /** Principals that may change the queue (the deployer among them). */
  adminPrincipalArns: pulumi.Input<string>[];
  /** The Genesys client-credentials secret the worker reads (GenesysCredentialsSecret). */
  credentialsSecretArn: pulumi.Input<string>;
  /** https://api.<genesys domain> and https://login.<genesys domain>. */
  genesysApiBaseUrl: string;
  genesysLoginBaseUrl: string;
  /** Media format requested from Genesys. @default "WAV" */
  recordingFormatId?: RecordingFormat;
  /** Requests per minute the Genesys OAuth client may make; sizes the worker's reserved concurrency. @default 300 */
  genesysRateLimitPerMinute?: number;
  /** Worker timeout in seconds (long recordings stream for minutes). @default 900 */
  workerTimeoutSeconds?: number;
  /** Deliveries before a job moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** Days the functions' logs are kept. @default 365 */
  logRetentionDays?: number;
  /** SNS topic notified when a job reaches the dead-letter queue or the worker fails. @default none */
  alarmTopicArn?: pulumi.Input<string>;
  /** @default {} */
  tags?: Record<string, string>;
}

type Resolved = Required<Omit<ExportPipelineArgs, "alarmTopicArn">> & Pick<ExportPipelineArgs, "alarmTopicArn">;

export function resolvePipelineArgs(args: ExportPipelineArgs): Resolved {
  const resolved = withDefaults<ExportPipelineArgs>(
    {
      recordingFormatId: "WAV",
      genesysRateLimitPerMinute: 300,
      workerTimeoutSeconds: 900,
      maxReceiveCount: 5,
      logRetentionDays: 365,
      tags: {},
    },
    args,
  ) as Resolved;
  const problems: string[] = [];
  if (!RECORDING_FORMATS.includes(resolved.recordingFormatId))
    problems.push(`[recordingFormatId] must be one of ${RECORDING_FORMATS.join(", ")}; got "${resolved.recordingFormatId}"`);
  if (!isWholeBetween(resolved.genesysRateLimitPerMinute, 1, 100000))
    problems.push(`[genesysRateLimitPerMinute] must be a positive whole number; got ${resolved.genesysRateLimitPerMinute}`);
  if (!isWholeBetween(resolved.workerTimeoutSeconds, 60, 900))
    problems.push(`[workerTimeoutSeconds] must be from 60 to 900 (the Lambda limit); got ${resolved.workerTimeoutSeconds}`);
  if (!isWholeBetween(resolved.maxReceiveCount, 1, 5))
    problems.push(`[maxReceiveCount] must be from 1 to 5; got ${resolved.maxReceiveCount}`);
  if (!isWholeBetween(resolved.logRetentionDays, 1, 3653))
    problems.push(`[logRetentionDays] must be from 1 to 3653; got ${resolved.logRetentionDays}`);
  if (resolved.adminPrincipalArns.length === 0)
    problems.push("[adminPrincipalArns] must name at least one principal (the deployer), or nobody could manage the queue");
  if (problems.length > 0) throw new Error(`ExportPipeline: ${problems.join("; ")}`);
  return resolved;
}

/**
 * The export pipeline: the intake Lambda the Genesys data action invokes
 * (validates and enqueues, answering well inside 60 s), an encrypted SQS queue
 * with a dead-letter queue, the worker Lambda that streams recordings into the
 * archive (reading the Genesys client credentials from GenesysCredentialsSecret),
 * log groups with retention, least-privilege roles and alarms.
 */
export class ExportPipeline extends pulumi.ComponentResource {
  public readonly intakeFunctionArn: pulumi.Output<string>;
  public readonly workerFunctionArn: pulumi.Output<string>;
  public readonly queueUrl: pulumi.Output<string>;
  public readonly deadLetterQueueUrl: pulumi.Output<string>;

  constructor(name: string, args: ExportPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:ExportPipeline", name, {}, opts);
    const resolved = resolvePipelineArgs(args);
    const { tags } = resolved;
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent);
    const concurrency = workerConcurrencyFor(resolved.genesysRateLimitPerMinute);

    const { queue, deadLetters } = queueWithDeadLetters(
      { queue: `${name}-jobs`, deadLetters: `${name}-dead-letters` },
      { functionTimeoutSeconds: resolved.workerTimeoutSeconds, maxReceiveCount: resolved.maxReceiveCount, tags },
      this,
    );
    const admins = pulumi.all(args.adminPrincipalArns);

    // The functions' logs name conversations and cases: encrypted under a key of their own.
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const logsKey = createLogsKey(name, { description: `Encrypts the log groups of the legal-hold export pipeline ${name}`, tags }, this);
    const logGroup = (fn: string) =>
      new aws.cloudwatch.LogGroup(
        `${name}-${fn}-logs`,
        { retentionInDays: resolved.logRetentionDays, kmsKeyId: logsKey.arn, tags },
        { parent: this, dependsOn: [logsKey] },
      );
    const intakeLogs = logGroup("intake");
    const workerLogs = logGroup("worker");

    const intakeRole = new aws.iam.Role(
      `${name}-intake`,
      {
        description: "Intake Lambda: validates export requests and enqueues them",
        assumeRolePolicy: pulumi
          .all([account.accountId, region.region, partition.partition])
          .apply(([id, regionName, partitionName]) =>
            JSON.stringify(
              lambdaTrustPolicy(
                id,
                lambdaFunctionArn({ partition: partitionName, region: regionName, accountId: id, functionName: `${name}-intake` }),
              ),
            ),
          ),
        tags,
      },
      parent,
    );
    new aws.sqs.QueuePolicy(
      `${name}-jobs-policy`,
      {
        queueUrl: queue.url,
        policy: pulumi
          .all([queue.arn, intakeRole.arn, args.workerRole.arn, admins])
          .apply(([queueArn, intakeRoleArn, workerRoleArn, adminArns]) =>
            JSON.stringify(jobQueuePolicy({ queueArn, intakeRoleArn, workerRoleArn, adminPrincipalArns: adminArns })),
          ),
      },
      parent,
    );
    const intakeGrant = new aws.iam.RolePolicy(
      `${name}-intake-policy`,
      { role: intakeRole.name, policy: pulumi.all([queue.arn, intakeLogs.arn]).apply(([q, l]) => JSON.stringify(intakePolicy(q, l))) },
      parent,
    );
    const workerGrant = new aws.iam.RolePolicy(
      `${name}-worker-policy`,
      {
        role: args.workerRole.name,
        policy: pulumi
          .all([queue.arn, args.credentialsSecretArn, workerLogs.arn])
          .apply(([q, s, l]) => JSON.stringify(workerPipelinePolicy(q, s, l))),
      },
      parent,
    );

    const common = { runtime: "nodejs22.x", architectures: ["arm64"], handler: "index.handler", tags };
    const intake = new aws.lambda.Function(
      `${name}-intake`,
      {
        ...common,
        // Named, not auto-named: the intake role's trust policy names this function's ARN before it exists.
        name: `${name}-intake`,
        description: "Validates a Genesys legal-hold export request and enqueues it",
        role: intakeRole.arn,
        code: handlerArchive("intake", join(LAMBDA_SOURCE, "intake", "handler.ts")),
        memorySize: 256,
        timeout: 10,
        environment: { variables: { EXPORT_QUEUE_URL: queue.url, POWERTOOLS_SERVICE_NAME: "legal-hold-intake" } },
        loggingConfig: { logFormat: "JSON", logGroup: intakeLogs.name },
      },
      { parent: this, dependsOn: [intakeGrant] },
    );
    const worker = new aws.lambda.Function(
      `${name}-worker`,
      {
        ...common,
        // Named: the worker role (created first) is pinned to this ARN; stacks/componentArgs.ts passes it the same name.
        name: `${name}-worker`,
        description: "Streams legal-hold recordings from Genesys Cloud into the archive",
        role: args.workerRole.arn,
        code: handlerArchive("worker", join(LAMBDA_SOURCE, "worker", "handler.ts")),
        memorySize: 1024,
        timeout: resolved.workerTimeoutSeconds,
        reservedConcurrentExecutions: concurrency,
        environment: {
          variables: {
            ARCHIVE_BUCKET: args.archiveBucketName,
            ARCHIVE_KMS_KEY_ARN: args.archiveKeyArn,
            SIGNING_KEY_ARN: args.signingKeyArn,
            GENESYS_CREDENTIALS_SECRET_ARN: args.credentialsSecretArn,
            GENESYS_API_BASE_URL: resolved.genesysApiBaseUrl,
            GENESYS_LOGIN_BASE_URL: resolved.genesysLoginBaseUrl,
            RECORDING_FORMAT_ID: resolved.recordingFormatId,
            POWERTOOLS_SERVICE_NAME: "legal-hold-worker",
          },
        },
        loggingConfig: { logFormat: "JSON", logGroup: workerLogs.name },
      },
      { parent: this, dependsOn: [workerGrant] },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-worker-jobs`,
      {
        eventSourceArn: queue.arn,
        functionName: worker.name,
        batchSize: 5,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: concurrency },
      },
      parent,
    );

    const alarmActions = resolved.alarmTopicArn ? [resolved.alarmTopicArn] : [];
    alarmWhenAboveZero(
      `${name}-dead-letters-alarm`,
      {
        description: "A legal-hold export job failed permanently and waits in the dead-letter queue.",
        metric: {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          statistic: "Maximum",
          dimensions: { QueueName: deadLetters.name },
        },
        alarmActions,
        tags,
      },
      this,
    );
    alarmWhenAboveZero(
      `${name}-worker-errors-alarm`,
      {
        description: "The legal-hold export worker failed.",
        metric: { namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", dimensions: { FunctionName: worker.name } },
        alarmActions,
        tags,
      },
      this,
    );
    createDeletionProtectionMonitoring(name, { workerLogGroupName: workerLogs.name, alarmActions, tags }, this);

    this.intakeFunctionArn = intake.arn;
    this.workerFunctionArn = worker.arn;
    this.queueUrl = queue.url;
    this.deadLetterQueueUrl = deadLetters.url;
    this.registerOutputs({
      intakeFunctionArn: this.intakeFunctionArn,
      workerFunctionArn: this.workerFunctionArn,
      queueUrl: this.queueUrl,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
    });
  }
}
