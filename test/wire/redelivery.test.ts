import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { conversationPrefix, expectEveryObjectPaired, expectNoOpenUploads, readObject } from "../support/wire/assertions";
import { recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/** SQS delivers at least once: a message delivered again after it succeeded must not create a second version. */

let wire: WireEnvironment;
let handler: WorkerHandler;
const job = exportJob({ caseId: "MATTER-REDELIVERY" });
const keys = ["rec-a", "rec-b"].map((id) => recordingKey(job.caseId, job.conversationId, id, "WAV"));
const writes = (key: string) =>
  wire.s3.proxy.requests.filter(
    (r) => r.key === key && ["PutObject", "CreateMultipartUpload", "CompleteMultipartUpload"].includes(r.operation),
  );

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
  wire.genesys.addConversation({
    id: job.conversationId,
    recordings: [
      { id: "rec-a", bytes: 90_000 },
      { id: "rec-b", bytes: 9 * 1024 * 1024 },
    ],
  });
});

afterAll(() => stopWorkerOnWire(wire));

describe("worker over the wire: redelivery after success", () => {
  it("skips every recording whose custody record exists, writing no second version of anything", async () => {
    const first = await invokeWorker(handler, [sqsRecord(job, "msg-redelivered", 1)]);
    expect(first.response).toEqual({ batchItemFailures: [] });
    const recordsBefore = await Promise.all(keys.map((key) => readObject(wire.client, custodyRecordKeyFor(key))));
    const cdnBefore = wire.genesys.requests.filter((r) => r.server === "cdn").length;

    const second = await invokeWorker(handler, [sqsRecord(job, "msg-redelivered", 2)]);

    expect(second.response).toEqual({ batchItemFailures: [] });
    expect(recordingsLogged(second.logs, "msg-redelivered")).toEqual([
      { recordingId: "rec-a", status: "already-archived", key: keys[0] },
      { recordingId: "rec-b", status: "already-archived", key: keys[1] },
    ]);
    for (const [index, key] of keys.entries()) {
      expect(wire.s3.proxy.versions(WIRE_BUCKET, key)).toHaveLength(1);
      expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key))).toHaveLength(1);
      expect(writes(key)).toHaveLength(key.endsWith("rec-b.wav") ? 2 : 1); // multipart: Create + Complete, once
      expect(writes(custodyRecordKeyFor(key))).toHaveLength(1);
      expect(await readObject(wire.client, custodyRecordKeyFor(key))).toEqual(recordsBefore[index]);
    }
    // Nothing was downloaded or signed again, but deletion protection was re-applied.
    expect(wire.kms.requests).toHaveLength(2);
    expect(wire.genesys.requests.filter((r) => r.server === "cdn")).toHaveLength(cdnBefore);
    expect(wire.genesys.requests.filter((r) => r.server === "api" && r.path.endsWith("/deletionprotection"))).toHaveLength(2);
    await expectEveryObjectPaired(wire.client, conversationPrefix(job.caseId, job.conversationId));
    await expectNoOpenUploads(wire);
  });
});
