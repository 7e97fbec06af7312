import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { RESTORE_DAYS } from "../../lambda/worker/recordingAvailability";
import { type AwsJsonCall, type AwsJsonServer, startAwsJsonServer } from "../../tools/testkit/wire/awsJsonServer";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { expectNothingStored } from "../support/wire/assertions";
import { failureLogged, recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * Recordings as Genesys serves them: listed without a transcode
 * (formatId=NONE), each carrying a fileState. Archived ones are restored and
 * the job retried later, deleted ones fail the job for good, unknown states
 * are reported; in every case the other recordings are archived.
 */

let wire: WireEnvironment;
let handler: WorkerHandler;
let sqs: AwsJsonServer;
const sqsCalls: AwsJsonCall[] = [];

beforeAll(async () => {
  // The worker delays the redelivery of jobs waiting for a restore through SQS ChangeMessageVisibility.
  sqs = await startAwsJsonServer((call) => {
    sqsCalls.push(call);
    return { status: 200, payload: {} };
  });
  vi.stubEnv("AWS_ENDPOINT_URL_SQS", sqs.endpoint);
  ({ wire, handler } = await startWorkerOnWire());
}, 120_000);

afterAll(async () => {
  await stopWorkerOnWire(wire);
  await sqs?.close();
});

const apiCalls = (conversationId: string) =>
  wire.genesys.requests.filter((r) => r.server === "api" && r.path.startsWith(`/api/v2/conversations/${conversationId}/recordings`));
const custodyStored = (caseId: string, conversationId: string, recordingId: string) =>
  wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(recordingKey(caseId, conversationId, recordingId, "WAV"))).length;

describe("worker over the wire: recordings' file states", () => {
  it("lists with formatId=NONE, so no transcode is waited for, and asks each recording in the configured format", async () => {
    const job = exportJob({ caseId: "MATTER-FORMAT" });
    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: "rec-a", bytes: 40_000 }] });

    const { response } = await invokeWorker(handler, [sqsRecord(job, "msg-format")]);

    expect(response).toEqual({ batchItemFailures: [] });
    const [list, download] = apiCalls(job.conversationId);
    expect(list?.path).toBe(`/api/v2/conversations/${job.conversationId}/recordings`);
    expect(new URLSearchParams(list?.query).get("formatId")).toBe("NONE");
    expect(new URLSearchParams(download?.query).get("formatId")).toBe("WAV");
  });

  it("restores an archived recording, archives the others, and is retried later until the restored one is archived", async () => {
    const job = exportJob({ caseId: "MATTER-ARCHIVED" });
    wire.genesys.addConversation({
      id: job.conversationId,
      recordings: [
        { id: "rec-live", bytes: 40_000 },
        { id: "rec-cold", bytes: 50_000, fileState: "ARCHIVED", restoringLists: 1 },
      ],
    });
    sqsCalls.length = 0;

    // First delivery: the live recording is archived, the restore is asked for, the job fails retryably and is delayed.
    const first = await invokeWorker(handler, [sqsRecord(job, "msg-cold-1", 1)]);
    expect(first.response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-cold-1" }] });
    expect(failureLogged(first.logs, "msg-cold-1")).toMatchObject({
      level: "WARN",
      reason: "recordings-not-yet-available",
      retryable: true,
      errorName: "RecordingsNotYetAvailableError",
      errorMessage: expect.stringContaining("rec-cold (ARCHIVED: restore requested until"),
    });
    expect(custodyStored(job.caseId, job.conversationId, "rec-live")).toBe(1);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-cold");
    const [restore] = wire.genesys.retentionUpdates.filter((u) => u.conversationId === job.conversationId);
    const days = (Date.parse(String(restore?.body.archiveDate)) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(RESTORE_DAYS - 0.01);
    expect(days).toBeLessThanOrEqual(RESTORE_DAYS);
    expect(sqsCalls).toEqual([
      {
        target: "AmazonSQS.ChangeMessageVisibility",
        input: {
          QueueUrl: "https://sqs.eu-west-2.amazonaws.com/111122223333/legal-hold-export-jobs",
          ReceiptHandle: "rh-msg-cold-1",
          VisibilityTimeout: 3600,
        },
      },
    ]);

    // Second delivery: still restoring; no second restore request, the wait doubles, nothing counted done.
    const second = await invokeWorker(handler, [sqsRecord(job, "msg-cold-2", 2)]);
    expect(failureLogged(second.logs, "msg-cold-2")).toMatchObject({
      reason: "recordings-not-yet-available",
      errorMessage: expect.stringContaining("rec-cold (RESTORING: Genesys is restoring it from its archive"),
    });
    expect(wire.genesys.retentionUpdates.filter((u) => u.conversationId === job.conversationId)).toHaveLength(1);
    expect(sqsCalls[1]?.input.VisibilityTimeout).toBe(7200);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-cold");

    // Third delivery: restored, so archived; the live one is not archived twice.
    const third = await invokeWorker(handler, [sqsRecord(job, "msg-cold-3", 3)]);
    expect(third.response).toEqual({ batchItemFailures: [] });
    expect(recordingsLogged(third.logs, "msg-cold-3")).toMatchObject([
      { recordingId: "rec-live", status: "already-archived" },
      { recordingId: "rec-cold", status: "archived" },
    ]);
    expect(custodyStored(job.caseId, job.conversationId, "rec-cold")).toBe(1);
    expect(wire.genesys.fileStateOf(job.conversationId, "rec-cold")).toBe("RESTORED");
  });

  it("fails a job whose recording Genesys deleted, for good and saying so, after archiving the others", async () => {
    const job = exportJob({ caseId: "MATTER-DELETED" });
    wire.genesys.addConversation({
      id: job.conversationId,
      recordings: [
        { id: "rec-kept", bytes: 40_000 },
        { id: "rec-gone", bytes: 40_000, fileState: "DELETED" },
      ],
    });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-deleted")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-deleted" }] });
    expect(failureLogged(logs, "msg-deleted")).toMatchObject({
      level: "ERROR",
      reason: "recordings-deleted-in-genesys",
      retryable: false,
      errorName: "RecordingsDeletedError",
      errorMessage: expect.stringContaining("rec-gone (DELETED: deleted in Genesys)"),
    });
    expect(custodyStored(job.caseId, job.conversationId, "rec-kept")).toBe(1);
    expect(apiCalls(job.conversationId).filter((r) => r.path.endsWith("/rec-gone"))).toEqual([]);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-gone");
  });

  it("reports a file state it does not handle instead of ignoring it", async () => {
    const job = exportJob({ caseId: "MATTER-ERROR-STATE" });
    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: "rec-odd", bytes: 40_000, fileState: "ERROR" }] });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-odd")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-odd" }] });
    expect(failureLogged(logs, "msg-odd")).toMatchObject({
      level: "ERROR",
      reason: "recording-file-state-unexpected",
      retryable: false,
      errorMessage: expect.stringContaining("rec-odd (ERROR: state not handled by the export)"),
    });
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-odd");
  });
});
