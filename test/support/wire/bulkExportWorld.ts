import type { Context } from "aws-lambda";
import { vi } from "vitest";
import type { CaseStatusAnswer } from "../../../lambda/caseExport/caseStatus";
import type { CaseExportAnswer } from "../../../lambda/caseExport/exportCase";
import { type CountingGate, createCountingGate } from "../../../tools/testkit/wire/callGate";
import { startWireEnvironment, type WireEnvironment } from "../../../tools/testkit/wire/environment";
import { type FakeLambda, startFakeLambda } from "../../../tools/testkit/wire/fakeLambda";
import { attachRecordingJobs, type FakeRecordingJobs } from "../../../tools/testkit/wire/fakeRecordingJobs";
import { runToolAsync, type ToolRun } from "../runTool";
import { LANDING_BUCKET, landingEvent, ORG_ID, sealerEnvFor } from "./sealer";
import { captureLogs, invokeWorker, type LogLine, type WorkerHandler } from "./worker";

/**
 * Native bulk export on the wire, every part real but Genesys and AWS:
 * s3rver behind the Object Lock proxy (archive with Object Lock, landing
 * bucket without), the fake KMS and Secrets Manager, the fake Genesys with
 * its query and recording jobs writing into the landing bucket, the
 * case-export handler behind the fake Lambda Invoke endpoint (so the real
 * case:export and case:status commands can be spawned), and the sealer
 * handler fed the S3 event notifications SQS would deliver.
 */

export const CASE_EXPORT_FUNCTION = "legal-hold-case-export";
export const BULK_INTEGRATION_ID = "99999999-8888-4777-8666-555555555555";

export interface BulkExportWorld {
  wire: WireEnvironment;
  jobs: FakeRecordingJobs;
  /** Shared by every fake: stops a bundled sealer at a chosen call (see callGate.ts). */
  gate: CountingGate;
  lambda: FakeLambda;
  /** The sealer's and the case export's Lambda environment (both at once; they do not clash). */
  env: Record<string, string>;
  sealer: WorkerHandler;
  /** The case-export handler itself, as the fake Lambda runs it (job polling without waits). */
  caseExport: (event: unknown) => Promise<CaseExportAnswer | CaseStatusAnswer>;
  /** Spawns `npm run <command>` with the endpoints of this world. */
  run(command: string, args: string[]): Promise<ToolRun>;
  close(): Promise<void>;
}

export async function startBulkExportWorld(): Promise<BulkExportWorld> {
  const gate = createCountingGate();
  const wire = await startWireEnvironment({ gate, plainBuckets: [LANDING_BUCKET] });
  const jobs = attachRecordingJobs(wire.genesys, {
    landing: { s3: wire.client, bucket: LANDING_BUCKET },
    orgId: ORG_ID,
    integrationId: BULK_INTEGRATION_ID,
    pendingReads: 0,
  });
  const env = { ...sealerEnvFor(wire), BULK_INTEGRATION_ID };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  // Both modules build their clients from the environment at import, as at a cold start.
  const caseExport = await import("../../../lambda/caseExport/handler");
  const { handler: sealer } = await import("../../../lambda/bulk/sealerHandler");
  const handleCase = caseExport.createCaseExportHandler({ ...caseExport.defaultCaseExportDeps(), jobReadyPollIntervalMs: 0 });
  const context = {
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:111122223333:function:${CASE_EXPORT_FUNCTION}`,
    awsRequestId: "case-export-wire",
  } as Context;
  // Its log lines are swallowed: the commands print what the function answers.
  const caseExportHandler = async (event: unknown) => (await captureLogs(() => handleCase(event, context))).result;
  const lambda = await startFakeLambda({ [CASE_EXPORT_FUNCTION]: caseExportHandler });
  const cliEnv = { ...process.env, ...env, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint };
  return {
    wire,
    jobs,
    gate,
    lambda,
    env,
    sealer,
    caseExport: caseExportHandler,
    run: (command, args) => runToolAsync(command, args, { env: cliEnv }),
    async close() {
      vi.unstubAllEnvs();
      await lambda.close();
      await wire.close();
    },
  };
}

export interface Delivery {
  /** The landing keys whose message still came back as a batch item failure after SQS's redeliveries. */
  failedKeys: string[];
  /** Keys a retryable failure sent round again (as SQS redelivers after the visibility timeout), with the reason. */
  redelivered: { key: string; reason: unknown }[];
  logs: LogLine[];
  /** The sealer's last "sealing failed" line for a landing key. */
  failureOf(key: string): LogLine | undefined;
}

/** Deliveries of one message before it would go to the dead-letter queue (the sealer queue's maxReceiveCount). */
const MAX_RECEIVES = 5;

/**
 * Delivers one S3 ObjectCreated notification per landing key to the in-process sealer, in SQS batches of 10.
 * Like SQS, a message whose failure the sealer logged as retryable is delivered again (up to MAX_RECEIVES);
 * one it logged as not retryable is not (it would go to the dead-letter queue).
 */
export async function deliverLanding(sealer: WorkerHandler, keys: readonly string[], label: string): Promise<Delivery> {
  const keyOf = new Map<string, string>();
  const logs: LogLine[] = [];
  const redelivered: Delivery["redelivered"] = [];
  const failureOfMessage = (messageId: string) =>
    logs.findLast((line) => line.message === "sealing failed" && String(line.messageId) === messageId);
  let pending = [...keys];
  let failedKeys: string[] = [];
  for (let receive = 1; receive <= MAX_RECEIVES && pending.length > 0; receive++) {
    const failedMessages: string[] = [];
    for (let start = 0; start < pending.length; start += 10) {
      const records = pending.slice(start, start + 10).map((key, offset) => {
        const messageId = `${label}-${receive}-${start + offset}`;
        keyOf.set(messageId, key);
        return landingEvent([key], messageId);
      });
      const run = await invokeWorker(sealer, records);
      logs.push(...run.logs);
      failedMessages.push(...run.response.batchItemFailures.map((failure) => failure.itemIdentifier));
    }
    failedKeys = failedMessages.map((id) => keyOf.get(id) ?? id);
    const retryable = failedMessages.filter((id) => failureOfMessage(id)?.retryable === true);
    redelivered.push(...retryable.map((id) => ({ key: keyOf.get(id) ?? id, reason: failureOfMessage(id)?.reason })));
    pending = retryable.map((id) => keyOf.get(id) ?? id);
  }
  return {
    failedKeys,
    redelivered,
    logs,
    failureOf: (key) => logs.findLast((line) => line.message === "sealing failed" && keyOf.get(String(line.messageId)) === key),
  };
}
