import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PART_SIZE_BYTES } from "../../lambda/archive/recordingWriter";
import { custodyRecordKeyFor } from "../../lambda/archive/sealRecording";
import { parseEnvelope } from "../../lambda/custody/dsse";
import { main as verify } from "../../tools/commands/verify";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { expectEveryObjectPaired, expectNoOpenUploads, readObject, sha256Hex } from "../support/wire/assertions";
import { stopWorkerOnWire } from "../support/wire/harness";
import {
  LANDING_BUCKET,
  type LandedRecording,
  landingEvent,
  landingKeys,
  landRecording,
  mediaBytes,
  routeConversation,
  sealFailureLogged,
  startSealerOnWire,
} from "../support/wire/sealer";
import { invokeWorker, listKeys, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * The landing sealer against s3rver (landing bucket without Object Lock,
 * archive with it, behind the Object Lock proxy) and the fake KMS: what
 * Genesys' bulk export lands is sealed into every routed case with the pull
 * path's custody record, `npm run verify` passes, and the landing copy goes
 * only then. Faults leave the landing copy and say why.
 */

let wire: WireEnvironment;
let handler: WorkerHandler;
let publicKeyFile: string;

beforeAll(async () => {
  ({ wire, handler } = await startSealerOnWire());
  publicKeyFile = join(mkdtempSync(join(tmpdir(), "sealer-key-")), "signing.pem");
  writeFileSync(publicKeyFile, wire.kms.publicKeyPem);
}, 60_000);

afterAll(() => stopWorkerOnWire(wire));

const archiveKey = (caseId: string, landed: LandedRecording) =>
  `cases/${caseId}/conversations/${landed.conversationId}/recordings/${landed.fileName}`;

async function runVerify(caseId: string): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const sink = { write: (text: string) => out.push(text) > 0 } as never;
  const code = await verify(["--bucket", WIRE_BUCKET, "--case", caseId, "--public-key", publicKeyFile], sink, sink);
  return { code, stdout: out.join("") };
}

async function statementOf(key: string) {
  const envelope = parseEnvelope((await readObject(wire.client, custodyRecordKeyFor(key))).toString("utf8"));
  return JSON.parse(envelope.payloadBytes.toString("utf8"));
}

async function expectSealedOnce(caseId: string, landed: LandedRecording) {
  const key = archiveKey(caseId, landed);
  expect(wire.s3.proxy.versions(WIRE_BUCKET, key), `versions of ${key}`).toHaveLength(1);
  expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key)), `records of ${key}`).toHaveLength(1);
  expect(sha256Hex(await readObject(wire.client, key))).toBe(sha256Hex(landed.bytes));
  expect(wire.s3.proxy.versions(WIRE_BUCKET, key)[0]?.legalHold).toBe("ON");
}

describe("landing sealer over the wire", () => {
  it("seals several recordings of several conversations into their case, one conversation into two cases, then cleans the landing bucket", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const routingA1 = await routeConversation(wire.client, first, "MATTER-A");
    await routeConversation(wire.client, second, "MATTER-A");
    await routeConversation(wire.client, second, "MATTER-B");
    const landed = [
      await landRecording(wire.client, { conversationId: first, bytes: mediaBytes(70_000, 1) }),
      await landRecording(wire.client, { conversationId: first, bytes: mediaBytes(PART_SIZE_BYTES + 4096, 2), extension: ".wav" }),
      await landRecording(wire.client, { conversationId: second, bytes: mediaBytes(50_000, 3), extension: "" }),
    ];
    // S3 notifies for every object: recordings and their metadata files, in one message and in separate ones.
    const events = [
      landingEvent([landed[0].key, landed[0].metadataKey], "m-1"),
      landingEvent([landed[1].metadataKey], "m-2"),
      landingEvent([landed[1].key], "m-3"),
      landingEvent([landed[2].key, landed[2].metadataKey], "m-4"),
    ];

    const { response, logs } = await invokeWorker(handler, events);

    expect(response, JSON.stringify(logs.filter((l) => l.level !== "INFO"))).toEqual({ batchItemFailures: [] });
    for (const recording of landed.slice(0, 2)) await expectSealedOnce("MATTER-A", recording);
    await expectSealedOnce("MATTER-A", landed[2]);
    await expectSealedOnce("MATTER-B", landed[2]);
    expect(await listKeys(wire.client, `cases/MATTER-B/conversations/${first}/`)).toEqual([]);
    for (const caseId of ["MATTER-A", "MATTER-B"]) await expectEveryObjectPaired(wire.client, `cases/${caseId}/conversations/`);
    await expectNoOpenUploads(wire);
    // Only the routing objects remain in the landing bucket.
    expect(await landingKeys(wire.client, "")).toEqual(
      [
        `routing/conversation_id=${first}/case_id=MATTER-A.json`,
        `routing/conversation_id=${second}/case_id=MATTER-A.json`,
        `routing/conversation_id=${second}/case_id=MATTER-B.json`,
      ].sort(),
    );

    const predicate = (await statementOf(archiveKey("MATTER-A", landed[0]))).predicate;
    expect(predicate).toMatchObject({
      jobId: routingA1.exportId,
      caseId: "MATTER-A",
      conversationId: first,
      recordingId: landed[0].recordingId,
      source: null,
      requestedBy: "Legal Ops",
      deletionProtection: { status: "applied" },
      storage: { method: "uploaded" },
      bulkExport: {
        landing: { bucket: LANDING_BUCKET, key: landed[0].key, bytes: 70_000 },
        genesysMetadata: {
          key: landed[0].metadataKey,
          summary: { conversationId: first, recordingId: landed[0].recordingId, mediaType: "Call" },
        },
        routing: { exportId: routingA1.exportId, caseRecordKey: routingA1.caseRecordKey },
      },
    });
    // Ids and non-personal fields only: a name in Genesys' metadata is hashed with the file, never copied.
    expect(JSON.stringify(predicate)).not.toContain("Jane Doe");
    expect(predicate.bulkExport.genesysMetadata.summary.fields).toContain("participantName");

    for (const caseId of ["MATTER-A", "MATTER-B"]) {
      const verified = await runVerify(caseId);
      expect(verified.code, verified.stdout).toBe(0);
      expect(verified.stdout).toContain("landing object, Genesys metadata and case routing agree");
    }
  }, 60_000);

  it("seals a recording that lands twice with the same bytes once, and cleans the second landing", async () => {
    const conversationId = randomUUID();
    await routeConversation(wire.client, conversationId, "MATTER-TWICE");
    const bytes = mediaBytes(40_000, 9);
    const landed = await landRecording(wire.client, { conversationId, bytes });
    expect((await invokeWorker(handler, [landingEvent([landed.key], "m-twice-1")])).response).toEqual({ batchItemFailures: [] });

    const again = await landRecording(wire.client, { conversationId, recordingId: landed.recordingId, bytes });
    const { response, logs } = await invokeWorker(handler, [landingEvent([again.key], "m-twice-2")]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(logs.find((l) => l.message === "recording already archived")).toBeDefined();
    await expectSealedOnce("MATTER-TWICE", landed);
    expect(await landingKeys(wire.client, landed.key.slice(0, landed.key.lastIndexOf("/") + 1))).toEqual([]);
  });

  it("never chooses between different bytes landed under one key: the sealed copy stays, the landing copy stays, the message dead-letters", async () => {
    const conversationId = randomUUID();
    await routeConversation(wire.client, conversationId, "MATTER-DIFFER");
    const landed = await landRecording(wire.client, { conversationId, bytes: mediaBytes(30_000, 4) });
    expect((await invokeWorker(handler, [landingEvent([landed.key], "m-differ-1")])).response).toEqual({ batchItemFailures: [] });

    const other = await landRecording(wire.client, { conversationId, recordingId: landed.recordingId, bytes: mediaBytes(30_000, 5) });
    const { response, logs } = await invokeWorker(handler, [landingEvent([other.key], "m-differ-2")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-differ-2" }] });
    expect(sealFailureLogged(logs, "m-differ-2")).toEqual({ reason: "landing-bytes-differ", retryable: false, level: "ERROR" });
    await expectSealedOnce("MATTER-DIFFER", landed);
    expect(await landingKeys(wire.client, landed.key)).toEqual([landed.key]);
  });

  it("refuses a recording whose metadata names another recording: nothing sealed, the landing copy stays, the message dead-letters", async () => {
    const conversationId = randomUUID();
    await routeConversation(wire.client, conversationId, "MATTER-MISMATCH");
    const landed = await landRecording(wire.client, {
      conversationId,
      bytes: mediaBytes(20_000, 6),
      metadata: { recordingId: randomUUID() },
    });

    const { response, logs } = await invokeWorker(handler, [landingEvent([landed.key], "m-mismatch")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-mismatch" }] });
    expect(sealFailureLogged(logs, "m-mismatch")).toEqual({ reason: "landing-metadata-mismatch", retryable: false, level: "ERROR" });
    expect(await listKeys(wire.client, "cases/MATTER-MISMATCH/conversations/")).toEqual([]);
    expect(await landingKeys(wire.client, landed.key)).toEqual([landed.key]);
  });

  it("retries a recording whose metadata has not landed yet, and seals it once it has", async () => {
    const conversationId = randomUUID();
    await routeConversation(wire.client, conversationId, "MATTER-LATE");
    const landed = await landRecording(wire.client, { conversationId, bytes: mediaBytes(25_000, 7), metadata: null });

    const early = await invokeWorker(handler, [landingEvent([landed.key], "m-late", 1)]);
    expect(early.response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-late" }] });
    expect(sealFailureLogged(early.logs, "m-late")).toMatchObject({ reason: "landing-metadata-missing", retryable: true });
    expect(await listKeys(wire.client, "cases/MATTER-LATE/conversations/")).toEqual([]);

    await landRecording(wire.client, { conversationId, recordingId: landed.recordingId, bytes: landed.bytes });
    const late = await invokeWorker(handler, [landingEvent([landed.key], "m-late", 2)]);
    expect(late.response).toEqual({ batchItemFailures: [] });
    await expectSealedOnce("MATTER-LATE", landed);
  });

  it("leaves a recording no case routes in the landing bucket, without failing the message", async () => {
    const landed = await landRecording(wire.client, { conversationId: randomUUID(), bytes: mediaBytes(10_000, 8) });

    const { response, logs } = await invokeWorker(handler, [landingEvent([landed.key], "m-unrouted")]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(logs.find((l) => l.message?.startsWith("no case routes this conversation"))).toMatchObject({ level: "WARN" });
    expect(await landingKeys(wire.client, landed.key.slice(0, landed.key.lastIndexOf("/") + 1))).toEqual(
      [landed.key, landed.metadataKey].sort(),
    );
  });

  it("answers S3's test event and a redelivery after cleanup without doing anything", async () => {
    const conversationId = randomUUID();
    await routeConversation(wire.client, conversationId, "MATTER-DONE");
    const landed = await landRecording(wire.client, { conversationId, bytes: mediaBytes(12_000, 10) });
    expect((await invokeWorker(handler, [landingEvent([landed.key], "m-done", 1)])).response).toEqual({ batchItemFailures: [] });
    const writesBefore = wire.s3.proxy.requests.filter((r) => r.operation === "PutObject").length;

    const { response } = await invokeWorker(handler, [
      landingEvent([landed.key], "m-done", 2),
      sqsRecord(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: LANDING_BUCKET }), "m-test"),
    ]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(wire.s3.proxy.requests.filter((r) => r.operation === "PutObject").length).toBe(writesBefore);
    await expectSealedOnce("MATTER-DONE", landed);
  });

  it("refuses an event for a key that is not a Genesys landing key, naming it", async () => {
    await wire.client.send(
      new PutObjectCommand({ Bucket: LANDING_BUCKET, Key: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/notes.txt", Body: "x" }),
    );

    const { response, logs } = await invokeWorker(handler, [landingEvent(["a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/notes.txt"], "m-bad-key")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-bad-key" }] });
    expect(sealFailureLogged(logs, "m-bad-key")).toMatchObject({ reason: "landing-key-invalid", retryable: false });
  });
});
