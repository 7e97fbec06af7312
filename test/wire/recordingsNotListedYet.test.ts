import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireEnvironment } from "../../tools/testkit/wire/environment";
import { conversationPrefix, expectEveryObjectPaired } from "../support/wire/assertions";
import { failureLogged, recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, listKeys, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * Genesys answers `200 []` for a conversation whose recordings are not
 * uploaded yet. A job requested moments ago is returned to the queue under
 * its own reason rather than reported done with nothing archived; a job past
 * the settle window (RECORDINGS_SETTLE_MINUTES, 30 by default) finishes with
 * the outcome "nothing-to-archive", said as such.
 */

let wire: WireEnvironment;
let handler: WorkerHandler;

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
}, 120_000);

afterAll(() => stopWorkerOnWire(wire));

describe("worker over the wire: a conversation Genesys lists no recordings for", () => {
  it("returns a just-requested job to the queue, then archives once Genesys lists the recordings", async () => {
    const job = exportJob({ caseId: "MATTER-EMPTY", requestedAt: new Date().toISOString() });
    wire.genesys.addConversation({ id: job.conversationId, recordings: [] });
    const messageId = `msg-${job.jobId}`;

    const first = await invokeWorker(handler, [sqsRecord(job, messageId)]);

    expect(first.response).toEqual({ batchItemFailures: [{ itemIdentifier: messageId }] });
    expect(failureLogged(first.logs, messageId)).toMatchObject({
      reason: "recordings-not-listed-yet",
      retryable: true,
      errorName: "RecordingsNotListedYetError",
    });
    expect(await listKeys(wire.client, conversationPrefix(job.caseId, job.conversationId))).toEqual([]);

    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: "rec-late", bytes: 40_000 }] });
    const second = await invokeWorker(handler, [sqsRecord(job, messageId, 2)]);

    expect(second.response).toEqual({ batchItemFailures: [] });
    expect(recordingsLogged(second.logs, messageId)).toMatchObject([{ recordingId: "rec-late", status: "archived" }]);
    await expectEveryObjectPaired(wire.client, conversationPrefix(job.caseId, job.conversationId));
  });

  it("reports nothing to archive, as such, once the job is older than the settle window", async () => {
    const job = exportJob({ caseId: "MATTER-EMPTY", requestedAt: new Date(Date.now() - 31 * 60_000).toISOString() });
    wire.genesys.addConversation({ id: job.conversationId, recordings: [] });
    const messageId = `msg-${job.jobId}`;

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, messageId)]);

    expect(response).toEqual({ batchItemFailures: [] });
    const finished = logs.find((line) => line.message === "export finished" && line.messageId === messageId);
    expect(finished).toMatchObject({ outcome: "nothing-to-archive", recordings: [] });
  });
});
