import { statSync } from "node:fs";
import { join } from "node:path";
import { specialArchiveSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { ExportPipeline, type ExportPipelineArgs, resolvePipelineArgs } from "../../components/exportPipeline";
import { GenesysCredentialsSecret } from "../../components/genesysCredentialsSecret";
import { workerConcurrencyFor } from "../../components/pipeline/workerConcurrency";
import { runUnderMocks, type StackRun } from "../../tools/engine/mockRuntime";
import { ofType, policyOf, single } from "../support/resources";

const WORKER = { arn: "arn:aws:iam::111122223333:role/worker", name: "worker" };
const args: ExportPipelineArgs = {
  workerRole: WORKER,
  archiveBucketName: "archive-bucket",
  archiveKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/k",
  signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/signing",
  adminPrincipalArns: ["arn:aws:iam::111122223333:role/Admin"],
  genesysApiBaseUrl: "https://api.euw2.pure.cloud",
  genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
  credentialsSecretArn: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-client-AbCdEf",
};
const settings = { project: "pipeline-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

describe("resolvePipelineArgs", () => {
  it.each([
    [{ recordingFormatId: "FLAC" }, '[recordingFormatId] must be one of WAV, WEBM, WAV_ULAW, OGG_VORBIS, OGG_OPUS, MP3; got "FLAC"'],
    [{ workerTimeoutSeconds: 901 }, "[workerTimeoutSeconds] must be from 60 to 900"],
    [{ maxReceiveCount: 6 }, "[maxReceiveCount] must be from 1 to 5"],
    [{ genesysRateLimitPerMinute: 0 }, "[genesysRateLimitPerMinute] must be a positive whole number"],
  ] as [Partial<ExportPipelineArgs>, string][])("refuses %j", (change, message) => {
    expect(() => resolvePipelineArgs({ ...args, ...(change as ExportPipelineArgs) })).toThrow(message);
  });
});

describe("workerConcurrencyFor", () => {
  it("allows one worker per 60 requests a minute, and never fewer than 2", () => {
    expect([workerConcurrencyFor(300), workerConcurrencyFor(60), workerConcurrencyFor(1000)]).toEqual([5, 2, 16]);
  });
});

describe("ExportPipeline under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const credentials = new GenesysCredentialsSecret("export", {
        adminPrincipalArns: args.adminPrincipalArns,
        workerRoleArn: WORKER.arn,
      });
      const p = new ExportPipeline("export", { ...args, credentialsSecretArn: credentials.secretArn });
      return { intake: p.intakeFunctionArn, queueUrl: p.queueUrl, secret: credentials.secretArn };
    });
  }, 60_000);

  const fn = (suffix: string) => single(run, "aws:lambda/function:Function", suffix);
  const queue = (suffix: string) => single(run, "aws:sqs/queue:Queue", suffix);

  it("ships both handlers as bundled archives on nodejs22.x arm64", () => {
    for (const f of [fn("export-intake"), fn("export-worker")]) {
      expect(f.inputs).toMatchObject({ runtime: "nodejs22.x", architectures: ["arm64"], handler: "index.handler" });
      const code = f.inputs.code as Record<string, unknown>;
      expect(code[specialSigKey]).toBe(specialArchiveSig);
      expect(statSync(join(code.path as string, "index.js")).size).toBeGreaterThan(1000);
    }
  });

  it("sizes the worker's reserved concurrency from the Genesys rate limit and consumes the queue with partial batch failures", () => {
    expect(fn("export-worker").inputs.reservedConcurrentExecutions).toBe(5);
    const mapping = single(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
    expect(mapping.inputs).toMatchObject({ functionResponseTypes: ["ReportBatchItemFailures"], scalingConfig: { maximumConcurrency: 5 } });
    expect(mapping.propertyDependencies.eventSourceArn).toEqual([queue("export-jobs").urn]);
  });

  it("encrypts both queues, keeps the job queue invisible 6x the worker timeout, and dead-letters after 5 receives", () => {
    const jobs = queue("export-jobs");
    expect(jobs.inputs).toMatchObject({ sqsManagedSseEnabled: true, visibilityTimeoutSeconds: 5400 });
    expect(JSON.parse(jobs.inputs.redrivePolicy as string)).toEqual({
      deadLetterTargetArn: queue("export-dead-letters").state.arn,
      maxReceiveCount: 5,
    });
    expect(queue("export-dead-letters").inputs).toMatchObject({ sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 });
  });

  it("lets the intake only enqueue jobs and write its logs", () => {
    const grant = policyOf(single(run, "aws:iam/rolePolicy:RolePolicy", "export-intake-policy"));
    expect(grant.Statement.map((s) => [s.Sid, s.Action])).toEqual([
      ["EnqueueExportJobs", ["sqs:SendMessage"]],
      ["WriteOwnLogGroup", ["logs:CreateLogStream", "logs:PutLogEvents"]],
    ]);
  });

  it("lets the worker consume its queue, read its one secret, and write its logs", () => {
    const grant = single(run, "aws:iam/rolePolicy:RolePolicy", "export-worker-policy");
    expect(grant.inputs.role).toBe("worker");
    expect(policyOf(grant).Statement.map((s) => s.Resource)).toEqual([
      [queue("export-jobs").state.arn],
      [single(run, "aws:secretsmanager/secret:Secret").state.arn],
      [`${single(run, "aws:cloudwatch/logGroup:LogGroup", "export-worker-logs").state.arn}:*`],
    ]);
  });

  it("gives the worker its settings by environment, with no secret in them", () => {
    const variables = (fn("export-worker").inputs.environment as { variables: Record<string, string> }).variables;
    expect(variables).toMatchObject({
      ARCHIVE_BUCKET: "archive-bucket",
      ARCHIVE_KMS_KEY_ARN: args.archiveKeyArn,
      SIGNING_KEY_ARN: args.signingKeyArn,
      GENESYS_CREDENTIALS_SECRET_ARN: run.outputs.secret,
      GENESYS_API_BASE_URL: "https://api.euw2.pure.cloud",
      RECORDING_FORMAT_ID: "WAV",
    });
  });

  it("logs each function into its own log group with a retention", () => {
    for (const [f, logs] of [
      ["export-intake", "export-intake-logs"],
      ["export-worker", "export-worker-logs"],
    ]) {
      const group = single(run, "aws:cloudwatch/logGroup:LogGroup", logs as string);
      expect(group.inputs.retentionInDays).toBe(365);
      expect(fn(f as string).inputs.loggingConfig).toEqual({ logFormat: "JSON", logGroup: group.state.name });
    }
  });

  it("alarms on dead letters, worker errors and the deletion-protection limit", () => {
    expect(
      ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.inputs.metricName)
        .sort(),
    ).toEqual(["ApproximateNumberOfMessagesVisible", "Errors", "ProtectionLimitReached"]);
  });
});
