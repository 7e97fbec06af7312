import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isWholeBetween, withDefaults } from "../argChecks";
import { handlerArchive } from "../lambdaBundle";
import type { ArchiveWriterRole } from "../legalHoldArchive";
import { createLogsKey } from "../pipeline/logsKey";
import { alarmWhenAboveZero, queueWithDeadLetters } from "../pipeline/queueWithDeadLetters";
import { sealerLandingPolicy, sealerQueuePolicy } from "./sealerPolicies";

const SEALER_SOURCE = join(__dirname, "..", "..", "lambda", "bulk", "sealerHandler.ts");

export interface LandingSealerArgs {
  /** The SealerRole; the archive already lists it among its writerRoles (writer grant, bucket-policy exemption). */
  sealerRole: ArchiveWriterRole;
  /** The sealer function's name, the one SealerRole's trust policy is pinned to (`${namePrefix}-landing-sealer`). */
  functionName: string;
  landingBucketName: pulumi.Input<string>;
  landingBucketArn: pulumi.Input<string>;
  /** The KMS key the landing bucket encrypts with: the sealer decrypts what Genesys wrote. */
  landingKeyArn: pulumi.Input<string>;
  archiveBucketName: pulumi.Input<string>;
  archiveKeyArn: pulumi.Input<string>;
  /** The KMS key custody records are signed with. */
  signingKeyArn: pulumi.Input<string>;
  /** Genesys organization id: the first segment of every landing key, and the notification's prefix. */
  organizationId: pulumi.Input<string>;
  /** Principals that may change the queue and redrive its dead-letter queue (the deployer among them). */
  adminPrincipalArns: pulumi.Input<string>[];
  /** Sealer timeout in seconds (long recordings stream for minutes). @default 900 */
  timeoutSeconds?: number;
  /** Sealers running at once; each holds at most one upload's buffers (~32 MiB). @default 5 */
  reservedConcurrency?: number;
  /** Deliveries before a landing event moves to the dead-letter queue (a missing metadata file is retried meanwhile). @default 5 */
  maxReceiveCount?: number;
  /** Days the sealer's logs are kept. @default 365 */
  logRetentionDays?: number;
  /** SNS topic notified when a landing event reaches the dead-letter queue or the sealer fails. @default none */
  alarmTopicArn?: pulumi.Input<string>;
  /** @default {} */
  tags?: Record<string, string>;
}

type Resolved = Required<Omit<LandingSealerArgs, "alarmTopicArn">> & Pick<LandingSealerArgs, "alarmTopicArn">;

export function resolveSealerArgs(args: LandingSealerArgs): Resolved {
  const resolved = withDefaults<LandingSealerArgs>(
    { timeoutSeconds: 900, reservedConcurrency: 5, maxReceiveCount: 5, logRetentionDays: 365, tags: {} },
    args,
  ) as Resolved;
  const problems: string[] = [];
  if (!isWholeBetween(resolved.timeoutSeconds, 60, 900))
    problems.push(`[timeoutSeconds] must be from 60 to 900 (the Lambda limit); got ${resolved.timeoutSeconds}`);
  // The event source mapping's maximumConcurrency cannot be below 2.
  if (!isWholeBetween(resolved.reservedConcurrency, 2, 1000))
    problems.push(`[reservedConcurrency] must be from 2 to 1000; got ${resolved.reservedConcurrency}`);
  if (!isWholeBetween(resolved.maxReceiveCount, 1, 20))
    problems.push(`[maxReceiveCount] must be from 1 to 20; got ${resolved.maxReceiveCount}`);
  if (!isWholeBetween(resolved.logRetentionDays, 1, 3653))
    problems.push(`[logRetentionDays] must be from 1 to 3653; got ${resolved.logRetentionDays}`);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(resolved.functionName))
    problems.push(`[functionName] must be 1-64 letters, digits, hyphens or underscores; got "${resolved.functionName}"`);
  if (resolved.adminPrincipalArns.length === 0)
    problems.push("[adminPrincipalArns] must name at least one principal (the deployer), or nobody could manage the queue");
  if (problems.length > 0) throw new Error(`LandingSealer: ${problems.join("; ")}`);
  return resolved;
}

/**
 * The bulk-export mode's sealer: the landing bucket's ObjectCreated events
 * (under `{organizationId}/`) go to an encrypted SQS queue with a dead-letter
 * queue; the sealer Lambda takes each recording into the archive under legal
 * hold with a signed custody record and removes the landing copy once sealed.
 * Also its log group (KMS-encrypted), its landing-side grant and its alarms.
 * S3 keeps one notification configuration per bucket: this one is the landing
 * bucket's only one (LandingBucket creates none when given the sealer's role), so
 * it also keeps EventBridge on for LandingBucket's lifecycle-expiry alarm.
 */
export class LandingSealer extends pulumi.ComponentResource {
  public readonly functionArn: pulumi.Output<string>;
  public readonly queueUrl: pulumi.Output<string>;
  public readonly deadLetterQueueUrl: pulumi.Output<string>;

  constructor(name: string, args: LandingSealerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:LandingSealer", name, {}, opts);
    const resolved = resolveSealerArgs(args);
    const { tags } = resolved;
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent);

    const { queue, deadLetters } = queueWithDeadLetters(
      { queue: `${name}-landing-events`, deadLetters: `${name}-dead-letters` },
      { functionTimeoutSeconds: resolved.timeoutSeconds, maxReceiveCount: resolved.maxReceiveCount, tags },
      this,
    );
    const queuePolicy = new aws.sqs.QueuePolicy(
      `${name}-landing-events-policy`,
      {
        queueUrl: queue.url,
        policy: pulumi
          .all([queue.arn, account.accountId, args.landingBucketArn, args.sealerRole.arn, pulumi.all(args.adminPrincipalArns)])
          .apply(([queueArn, accountId, landingBucketArn, sealerRoleArn, adminPrincipalArns]) =>
            JSON.stringify(sealerQueuePolicy({ queueArn, accountId, landingBucketArn, sealerRoleArn, adminPrincipalArns })),
          ),
      },
      parent,
    );
    // S3 checks that it may send to the queue when the notification is created: after the queue policy.
    new aws.s3.BucketNotification(
      `${name}-landing-notification`,
      {
        bucket: args.landingBucketName,
        eventbridge: true,
        queues: [
          {
            queueArn: queue.arn,
            events: ["s3:ObjectCreated:*"],
            filterPrefix: pulumi.output(args.organizationId).apply((id) => `${id}/`),
          },
        ],
      },
      { parent: this, dependsOn: [queuePolicy] },
    );

    // The sealer's logs name cases and conversations: encrypted under a key of its own.
    const logsKey = createLogsKey(name, { description: `Encrypts the log group of the landing sealer ${name}`, tags }, this);
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-sealer-logs`,
      { retentionInDays: resolved.logRetentionDays, kmsKeyId: logsKey.arn, tags },
      { parent: this, dependsOn: [logsKey] },
    );

    const grant = new aws.iam.RolePolicy(
      `${name}-sealer-policy`,
      {
        role: args.sealerRole.name,
        policy: pulumi
          .all([args.landingBucketArn, args.landingKeyArn, args.organizationId, queue.arn, logs.arn])
          .apply(([landingBucketArn, landingKeyArn, organizationId, queueArn, logGroupArn]) =>
            JSON.stringify(sealerLandingPolicy({ landingBucketArn, landingKeyArn, organizationId, queueArn, logGroupArn })),
          ),
      },
      parent,
    );

    const sealer = new aws.lambda.Function(
      `${name}-sealer`,
      {
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        // Named, not auto-named: SealerRole (created before the archive) is pinned to this function's ARN.
        name: resolved.functionName,
        description: "Seals recordings Genesys bulk-exported into the landing bucket into the legal-hold archive",
        role: args.sealerRole.arn,
        code: handlerArchive("landing-sealer", SEALER_SOURCE),
        memorySize: 1024,
        timeout: resolved.timeoutSeconds,
        reservedConcurrentExecutions: resolved.reservedConcurrency,
        environment: {
          variables: {
            ARCHIVE_BUCKET: args.archiveBucketName,
            ARCHIVE_KMS_KEY_ARN: args.archiveKeyArn,
            SIGNING_KEY_ARN: args.signingKeyArn,
            LANDING_BUCKET: args.landingBucketName,
            GENESYS_ORGANIZATION_ID: args.organizationId,
            POWERTOOLS_SERVICE_NAME: "legal-hold-landing-sealer",
          },
        },
        loggingConfig: { logFormat: "JSON", logGroup: logs.name },
        tags,
      },
      { parent: this, dependsOn: [grant] },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-sealer-events`,
      {
        eventSourceArn: queue.arn,
        functionName: sealer.name,
        batchSize: 5,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: resolved.reservedConcurrency },
      },
      parent,
    );

    const alarmActions = resolved.alarmTopicArn ? [resolved.alarmTopicArn] : [];
    alarmWhenAboveZero(
      `${name}-dead-letters-alarm`,
      {
        description:
          "A landed recording could not be sealed (metadata mismatch, different bytes, bad routing) and waits in the dead-letter queue.",
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
      `${name}-sealer-errors-alarm`,
      {
        description: "The landing sealer failed.",
        metric: { namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", dimensions: { FunctionName: sealer.name } },
        alarmActions,
        tags,
      },
      this,
    );

    this.functionArn = sealer.arn;
    this.queueUrl = queue.url;
    this.deadLetterQueueUrl = deadLetters.url;
    this.registerOutputs({ functionArn: this.functionArn, queueUrl: this.queueUrl, deadLetterQueueUrl: this.deadLetterQueueUrl });
  }
}
