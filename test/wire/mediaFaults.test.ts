import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PART_SIZE_BYTES } from "../../lambda/archive/recordingWriter";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import type { CdnAnswer } from "../../tools/testkit/wire/fakeGenesys";
import { mediaSha256 } from "../../tools/testkit/wire/media";
import {
  conversationPrefix,
  expectEveryObjectPaired,
  expectNothingStored,
  expectStartedUploadsAborted,
  readObject,
  sha256Hex,
} from "../support/wire/assertions";
import { failureLogged, recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * The media download breaks while the recording is being written: a TCP
 * reset mid-stream, or a body shorter than its Content-Length. For a large
 * recording the host stops only once S3 has stored a part, so a multipart
 * upload really is open when the download fails. Each case asserts: the
 * message fails retryably with a reason, nothing is stored (no object, no
 * manifest, no version), every multipart upload started was aborted and
 * s3rver holds no parts; then the same message, redelivered, archives it.
 */

const LARGE = 20 * 1024 * 1024;
const SMALL = 200_000;
let wire: WireEnvironment;
let handler: WorkerHandler;

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
});

afterAll(() => stopWorkerOnWire(wire));

/** Resolves once S3 has stored a part of `key`, so the fault hits an open multipart upload. */
const afterFirstPart = (key: string) => () =>
  wire.s3.proxy.waitForRequest((r) => r.operation === "UploadPart" && r.key === key && r.status === 200, 15_000);

interface FaultCase {
  /** "reset" is a TCP reset mid-stream; "short body" announces a Content-Length and sends fewer bytes. */
  name: string;
  bytes: number;
  fault: (key: string) => CdnAnswer;
  multipart: boolean;
  /** The reason logged; the short-body reason has its own tests below. */
  reason?: string;
}

const CASES: FaultCase[] = [
  {
    name: "reset mid-stream, multipart",
    bytes: LARGE,
    fault: (key) => ({ kind: "reset", afterBytes: PART_SIZE_BYTES + 4 * 1024 * 1024, before: afterFirstPart(key) }),
    multipart: true,
    reason: "media-download-broken",
  },
  {
    name: "reset mid-stream, single PUT",
    bytes: SMALL,
    fault: () => ({ kind: "reset", afterBytes: SMALL / 2 }),
    multipart: false,
    reason: "media-download-broken",
  },
  {
    name: "short body, multipart",
    bytes: LARGE,
    fault: (key) => ({ kind: "short", bytes: PART_SIZE_BYTES + 4 * 1024 * 1024, before: afterFirstPart(key) }),
    multipart: true,
  },
  {
    name: "short body, single PUT",
    bytes: SMALL,
    fault: () => ({ kind: "short", bytes: SMALL - 1000 }),
    multipart: false,
  },
];

describe("worker over the wire: media download faults", () => {
  it.each(CASES)("leaves nothing behind after a fault ($name) and archives on redelivery", async ({ bytes, fault, multipart, reason }) => {
    const job = exportJob({ caseId: "MATTER-FAULT" });
    const key = recordingKey(job.caseId, job.conversationId, "rec-1", "WAV");
    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: "rec-1", bytes, cdn: [fault(key), { kind: "full" }] }] });
    const messageId = `msg-${job.jobId}`;

    const first = await invokeWorker(handler, [sqsRecord(job, messageId)]);

    expect(first.response).toEqual({ batchItemFailures: [{ itemIdentifier: messageId }] });
    const failure = failureLogged(first.logs, messageId);
    expect(failure).toMatchObject({ level: "WARN", retryable: true });
    if (reason) expect(failure?.reason).toBe(reason);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-1");
    if (multipart) expectStartedUploadsAborted(wire, key);
    else expect(wire.s3.proxy.requests.filter((r) => r.key === key && (r.method === "PUT" || r.method === "POST"))).toEqual([]);

    const second = await invokeWorker(handler, [sqsRecord(job, messageId, 2)]);

    expect(second.response).toEqual({ batchItemFailures: [] });
    expect(recordingsLogged(second.logs, messageId)).toMatchObject([{ recordingId: "rec-1", status: "archived" }]);
    expect(sha256Hex(await readObject(wire.client, key))).toBe(mediaSha256(wire.genesys.seedOf(job.conversationId, "rec-1"), bytes));
    expect(wire.s3.proxy.versions(WIRE_BUCKET, key)).toHaveLength(1);
    expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key))).toHaveLength(1);
    await expectEveryObjectPaired(wire.client, conversationPrefix(job.caseId, job.conversationId));
  });

  // The worker counts the bytes against Content-Length itself (MeasuringStream) and reports a short body as
  // LengthMismatchError, logged "media-truncated". Over real HTTP, Node's fetch (undici) notices the short body
  // first and errors the stream (TypeError "terminated", cause UND_ERR_RES_CONTENT_LENGTH_MISMATCH), which
  // archiveRecording maps to LengthMismatchError too, never to an S3 failure.
  it.each([
    { size: "small", bytes: SMALL, sent: SMALL - 1000 },
    { size: "multipart", bytes: LARGE, sent: PART_SIZE_BYTES + 1024 * 1024 },
  ])("reports a $size media body shorter than its Content-Length as media-truncated", async ({ bytes, sent }) => {
    const job = exportJob({ caseId: "MATTER-SHORT" });
    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: "rec-1", bytes, cdn: [{ kind: "short", bytes: sent }] }] });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, `msg-${job.jobId}`)]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: `msg-${job.jobId}` }] });
    expect(failureLogged(logs, `msg-${job.jobId}`)).toMatchObject({
      reason: "media-truncated",
      retryable: true,
      errorName: "LengthMismatchError",
    });
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-1");
  });
});
