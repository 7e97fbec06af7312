import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { mediaSha256 } from "../../tools/testkit/wire/media";
import { expectNothingStored, readObject, sha256Hex } from "../support/wire/assertions";
import { failureLogged, recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * Rate limits and outages. The real client waits Retry-After on 429 and backs
 * off (random, ≤ 0.5 s, 1 s, 2 s) on 5xx, for 4 attempts per call.
 */

const BYTES = 150_000;
let wire: WireEnvironment;
let handler: WorkerHandler;

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
});

afterAll(() => stopWorkerOnWire(wire));

const requestsTo = (server: "api" | "cdn", conversationId: string, recordingId: string) =>
  wire.genesys.requests.filter(
    (r) =>
      r.server === server &&
      (server === "api"
        ? r.path === `/api/v2/conversations/${conversationId}/recordings/${recordingId}`
        : r.path === `/media/${conversationId}/${recordingId}.wav`),
  );

async function expectArchived(caseId: string, conversationId: string, recordingId: string) {
  const key = recordingKey(caseId, conversationId, recordingId, "WAV");
  expect(sha256Hex(await readObject(wire.client, key))).toBe(mediaSha256(wire.genesys.seedOf(conversationId, recordingId), BYTES));
  expect(wire.s3.proxy.versions(WIRE_BUCKET, key)).toHaveLength(1);
  expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key))).toHaveLength(1);
}

describe("worker over the wire: Genesys rate limits and server errors", () => {
  it("waits for Retry-After on a 429, then archives the recording", async () => {
    const job = exportJob({ caseId: "MATTER-429" });
    wire.genesys.addConversation({
      id: job.conversationId,
      recordings: [{ id: "rec-429", bytes: BYTES, download: [{ status: 429, retryAfter: "1" }, { status: 200 }] }],
    });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-429")]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(recordingsLogged(logs, "msg-429")).toMatchObject([{ recordingId: "rec-429", status: "archived" }]);
    const calls = requestsTo("api", job.conversationId, "rec-429");
    expect(calls.map((r) => r.status)).toEqual([429, 200]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
    await expectArchived(job.caseId, job.conversationId, "rec-429");
  });

  it("retries 5xx answers from the API and the media host, then archives the recording", async () => {
    const job = exportJob({ caseId: "MATTER-5XX" });
    wire.genesys.addConversation({
      id: job.conversationId,
      recordings: [
        {
          id: "rec-5xx",
          bytes: BYTES,
          download: [{ status: 500 }, { status: 503 }, { status: 200 }],
          cdn: [{ kind: "status", status: 502 }, { kind: "full" }],
        },
      ],
    });

    const { response } = await invokeWorker(handler, [sqsRecord(job, "msg-5xx")]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(requestsTo("api", job.conversationId, "rec-5xx").map((r) => r.status)).toEqual([500, 503, 200]);
    expect(requestsTo("cdn", job.conversationId, "rec-5xx").map((r) => [r.status, r.authorization])).toEqual([
      [502, undefined],
      [200, undefined],
    ]);
    await expectArchived(job.caseId, job.conversationId, "rec-5xx");
  });

  it("reports a Genesys that keeps failing as a retryable genesys-unavailable failure, having written nothing", async () => {
    const job = exportJob({ caseId: "MATTER-500" });
    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: "rec-500", bytes: BYTES, download: [{ status: 500 }] }] });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-500-forever")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-500-forever" }] });
    expect(failureLogged(logs, "msg-500-forever")).toMatchObject({
      level: "WARN",
      reason: "genesys-unavailable",
      retryable: true,
      errorName: "GenesysServerError",
      errorMessage: expect.stringContaining("4 times (500)"),
    });
    expect(requestsTo("api", job.conversationId, "rec-500")).toHaveLength(4);
    expect(requestsTo("cdn", job.conversationId, "rec-500")).toEqual([]);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-500");
  });
});
