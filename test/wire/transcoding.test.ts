import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { mediaSha256 } from "../../tools/testkit/wire/media";
import { expectNothingStored, readObject, sha256Hex } from "../support/wire/assertions";
import { failureLogged, recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/** Genesys answers 202 while it transcodes; the worker polls TRANSCODE_POLL_ATTEMPTS (3 here) times, 50 ms apart. */

const POLL_ATTEMPTS = 3;
const POLL_INTERVAL_MS = 50;
let wire: WireEnvironment;
let handler: WorkerHandler;

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire({ transcodePollAttempts: POLL_ATTEMPTS, transcodePollIntervalMs: POLL_INTERVAL_MS }));
});

afterAll(() => stopWorkerOnWire(wire));

const downloads = (conversationId: string, recordingId: string) =>
  wire.genesys.requests.filter((r) => r.server === "api" && r.path === `/api/v2/conversations/${conversationId}/recordings/${recordingId}`);

describe("worker over the wire: transcoding", () => {
  it("polls while Genesys answers 202, then archives the recording when it answers 200", async () => {
    const job = exportJob({ caseId: "MATTER-TRANSCODE" });
    wire.genesys.addConversation({
      id: job.conversationId,
      list: [{ status: 202 }, { status: 200 }],
      recordings: [{ id: "rec-1", bytes: 120_000, download: [{ status: 202 }, { status: 202 }, { status: 200 }] }],
    });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-202-200")]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(recordingsLogged(logs, "msg-202-200")).toMatchObject([{ recordingId: "rec-1", status: "archived" }]);
    const polls = downloads(job.conversationId, "rec-1");
    expect(polls.map((r) => r.status)).toEqual([202, 202, 200]);
    for (let i = 1; i < polls.length; i++) expect(polls[i].at - polls[i - 1].at).toBeGreaterThanOrEqual(POLL_INTERVAL_MS - 5);
    const key = recordingKey(job.caseId, job.conversationId, "rec-1", "WAV");
    expect(sha256Hex(await readObject(wire.client, key))).toBe(mediaSha256(wire.genesys.seedOf(job.conversationId, "rec-1"), 120_000));
    expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key))).toHaveLength(1);
  });

  it("returns the message as a retryable transcode-not-ready failure after the poll bound, having written nothing", async () => {
    const job = exportJob({ caseId: "MATTER-TRANSCODE" });
    wire.genesys.addConversation({
      id: job.conversationId,
      recordings: [{ id: "rec-slow", bytes: 120_000, download: [{ status: 202 }] }],
    });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-202-forever")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-202-forever" }] });
    expect(failureLogged(logs, "msg-202-forever")).toMatchObject({
      level: "WARN",
      reason: "transcode-not-ready",
      retryable: true,
      errorName: "TranscodeNotReadyError",
    });
    expect(downloads(job.conversationId, "rec-slow")).toHaveLength(POLL_ATTEMPTS);
    expect(wire.genesys.requests.filter((r) => r.server === "cdn" && r.path.includes(job.conversationId))).toEqual([]);
    const key = recordingKey(job.caseId, job.conversationId, "rec-slow", "WAV");
    expect(wire.s3.proxy.requests.filter((r) => r.key === key && r.method !== "HEAD" && r.method !== "GET")).toEqual([]);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-slow");
  });
});
