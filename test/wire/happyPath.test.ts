import { verify } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crc32Base64, PART_SIZE_BYTES } from "../../lambda/archive/recordingWriter";
import { canonicalJson } from "../../lambda/custody/canonicalJson";
import { CUSTODY_PREDICATE_TYPE } from "../../lambda/custody/custodyStatement";
import { parseEnvelope, preAuthEncoding } from "../../lambda/custody/dsse";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import {
  WIRE_BUCKET,
  WIRE_FUNCTION_ARN,
  WIRE_KMS_KEY_ARN,
  WIRE_SECRET_ARN,
  WIRE_SIGNING_KEY_ARN,
  type WireEnvironment,
} from "../../tools/testkit/wire/environment";
import { mediaBytes } from "../../tools/testkit/wire/media";
import { conversationPrefix, expectEveryObjectPaired, expectNoOpenUploads, readObject, sha256Hex } from "../support/wire/assertions";
import { recordingsLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, type LogLine, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * The real worker handler (env read at import, real S3, Secrets Manager and
 * Genesys clients) against s3rver behind the Object Lock proxy and a fake
 * Genesys on loopback: one message, a small recording (single PUT) and a
 * 20 MiB one (multipart, three 8 MiB parts).
 */

const SMALL = 300_000;
const LARGE = 20 * 1024 * 1024;

let wire: WireEnvironment;
let handler: WorkerHandler;
const job = exportJob({ caseId: "MATTER-HAPPY" });
const smallKey = recordingKey(job.caseId, job.conversationId, "rec-small", "WAV");
const largeKey = recordingKey(job.caseId, job.conversationId, "rec-large", "WAV");
let outcome: { response: Awaited<ReturnType<WorkerHandler>>; logs: LogLine[]; awsRequestId: string };

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
  wire.genesys.addConversation({
    id: job.conversationId,
    recordings: [
      { id: "rec-small", bytes: SMALL },
      { id: "rec-large", bytes: LARGE },
    ],
  });
  outcome = await invokeWorker(handler, [sqsRecord(job, "msg-happy")]);
});

afterAll(() => stopWorkerOnWire(wire));

const expected = (recordingId: string, bytes: number) => mediaBytes(wire.genesys.seedOf(job.conversationId, recordingId), bytes);
const requestsFor = (key: string) => wire.s3.proxy.requests.filter((request) => request.key === key);

describe("worker over the wire: happy path", () => {
  it("reports no batch item failures and logs both recordings as archived", () => {
    expect(outcome.response).toEqual({ batchItemFailures: [] });
    const finished = outcome.logs.find((line) => line.message === "export finished");
    expect(finished).toMatchObject({ jobId: job.jobId, conversationId: job.conversationId, messageId: "msg-happy" });
    expect(recordingsLogged(outcome.logs, "msg-happy")?.map((r) => [r.recordingId, r.status])).toEqual([
      ["rec-small", "archived"],
      ["rec-large", "archived"],
    ]);
  });

  it("stores exactly the bytes the media host served", async () => {
    for (const [key, id, size] of [
      [smallKey, "rec-small", SMALL],
      [largeKey, "rec-large", LARGE],
    ] as const) {
      const stored = await readObject(wire.client, key);
      expect(stored.length).toBe(size);
      expect(sha256Hex(stored)).toBe(sha256Hex(expected(id, size)));
    }
  });

  it("sends legal hold ON, SSE-KMS with the archive key and a CRC32 checksum on the single PUT", () => {
    const puts = requestsFor(smallKey).filter((request) => request.operation === "PutObject");
    expect(puts).toHaveLength(1);
    expect(puts[0].status).toBe(200);
    expect(puts[0].headers).toMatchObject({
      "x-amz-object-lock-legal-hold": "ON",
      "x-amz-server-side-encryption": "aws:kms",
      "x-amz-server-side-encryption-aws-kms-key-id": WIRE_KMS_KEY_ARN,
      "x-amz-sdk-checksum-algorithm": "CRC32",
      "x-amz-checksum-crc32": crc32Base64(crc32(expected("rec-small", SMALL))),
      // Integrity is the CRC32 S3 checks, not SigV4 hashing the body a third time.
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      "content-type": "audio/wav",
      "x-amz-meta-job-id": job.jobId,
      "x-amz-meta-recording-id": "rec-small",
    });
  });

  it("sends the same headers on CreateMultipartUpload, checksums every part, and completes the upload", () => {
    const requests = requestsFor(largeKey);
    const created = requests.filter((request) => request.operation === "CreateMultipartUpload");
    expect(created).toHaveLength(1);
    expect(created[0].headers).toMatchObject({
      "x-amz-object-lock-legal-hold": "ON",
      "x-amz-server-side-encryption": "aws:kms",
      "x-amz-server-side-encryption-aws-kms-key-id": WIRE_KMS_KEY_ARN,
      "x-amz-checksum-algorithm": "CRC32",
      "x-amz-checksum-type": "FULL_OBJECT",
      "content-type": "audio/wav",
    });
    const parts = requests
      .filter((request) => request.operation === "UploadPart")
      .sort((a, b) => (a.partNumber ?? 0) - (b.partNumber ?? 0));
    expect(parts.map((part) => [part.partNumber, part.bytes, part.status])).toEqual([
      [1, PART_SIZE_BYTES, 200],
      [2, PART_SIZE_BYTES, 200],
      [3, LARGE - 2 * PART_SIZE_BYTES, 200],
    ]);
    const data = expected("rec-large", LARGE);
    for (const part of parts) {
      const start = ((part.partNumber ?? 1) - 1) * PART_SIZE_BYTES;
      expect(part.headers["x-amz-checksum-crc32"]).toBe(crc32Base64(crc32(data.subarray(start, start + PART_SIZE_BYTES))));
      expect(part.headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    }
    expect(requests.filter((request) => request.operation === "CompleteMultipartUpload").map((request) => request.status)).toEqual([200]);
    expect(requests.filter((request) => request.operation === "PutObject")).toEqual([]);
  });

  it("reads each recording back (HEAD with checksum mode, GetObjectLegalHold of the version written)", () => {
    for (const key of [smallKey, largeKey]) {
      const [version] = wire.s3.proxy.versions(WIRE_BUCKET, key);
      const heads = requestsFor(key).filter((request) => request.operation === "HeadObject");
      expect(heads.some((head) => head.headers["x-amz-checksum-mode"] === "ENABLED" && head.status === 200)).toBe(true);
      const holds = requestsFor(key).filter((request) => request.operation === "GetObjectLegalHold");
      expect(holds).toHaveLength(1);
      expect(holds[0].status).toBe(200);
      expect(version).toBeDefined();
    }
  });

  it("ends with one version per recording, under legal hold, SSE-KMS, and the full-object CRC32 of the bytes", () => {
    for (const [key, id, size] of [
      [smallKey, "rec-small", SMALL],
      [largeKey, "rec-large", LARGE],
    ] as const) {
      const versions = wire.s3.proxy.versions(WIRE_BUCKET, key);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({
        legalHold: "ON",
        serverSideEncryption: "aws:kms",
        kmsKeyId: WIRE_KMS_KEY_ARN,
        bytes: size,
        checksumAlgorithm: "CRC32",
        checksumCRC32: crc32Base64(crc32(expected(id, size))),
        writtenBy: size > PART_SIZE_BYTES ? "CompleteMultipartUpload" : "PutObject",
      });
    }
  });

  it("stores one custody record beside each recording: an in-toto Statement naming its key, sha256, bytes, version and checksum", async () => {
    for (const [key, id, size] of [
      [smallKey, "rec-small", SMALL],
      [largeKey, "rec-large", LARGE],
    ] as const) {
      const text = (await readObject(wire.client, custodyRecordKeyFor(key))).toString("utf8");
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      const envelope = parseEnvelope(text);
      expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
      const statement = JSON.parse(envelope.payloadBytes.toString("utf8"));
      const [version] = wire.s3.proxy.versions(WIRE_BUCKET, key);
      expect(statement).toMatchObject({
        _type: "https://in-toto.io/Statement/v1",
        subject: [{ name: key, digest: { sha256: sha256Hex(expected(id, size)) } }],
        predicateType: CUSTODY_PREDICATE_TYPE,
      });
      expect(statement.predicate).toMatchObject({
        jobId: job.jobId,
        caseId: job.caseId,
        conversationId: job.conversationId,
        recordingId: id,
        formatId: "WAV",
        contentType: "audio/wav",
        bytes: size,
        sha256: sha256Hex(expected(id, size)),
        s3: {
          bucket: WIRE_BUCKET,
          key,
          versionId: version.versionId,
          checksum: { algorithm: "CRC32", type: "FULL_OBJECT", value: crc32Base64(crc32(expected(id, size))) },
          legalHold: "ON",
        },
        storage: { method: "uploaded" },
        source: { host: new URL(wire.genesys.cdnOrigin).host, path: `/media/${job.conversationId}/${id}.wav` },
        requestedBy: "Legal Ops",
        functionArn: WIRE_FUNCTION_ARN,
        awsRequestId: outcome.awsRequestId,
        deletionProtection: { status: "applied" },
      });
      expect(text).not.toContain("wire-sig");
    }
  });

  it("stores each custody record once, conditionally (If-None-Match: *), under legal hold and SSE-KMS, after the recording is verified", () => {
    for (const key of [smallKey, largeKey]) {
      const puts = requestsFor(custodyRecordKeyFor(key)).filter((request) => request.operation === "PutObject");
      expect(puts).toHaveLength(1);
      expect(puts[0]).toMatchObject({
        status: 200,
        headers: expect.objectContaining({
          "if-none-match": "*",
          "x-amz-object-lock-legal-hold": "ON",
          "x-amz-server-side-encryption": "aws:kms",
          "x-amz-server-side-encryption-aws-kms-key-id": WIRE_KMS_KEY_ARN,
          "x-amz-sdk-checksum-algorithm": "CRC32",
          "content-type": "application/json",
        }),
      });
      expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key))).toMatchObject([
        { legalHold: "ON", kmsKeyId: WIRE_KMS_KEY_ARN },
      ]);
      const recordPut = wire.s3.proxy.requests.findIndex((r) => r.key === custodyRecordKeyFor(key) && r.operation === "PutObject");
      const holdCheck = wire.s3.proxy.requests.findIndex((r) => r.key === key && r.operation === "GetObjectLegalHold");
      expect(holdCheck).toBeGreaterThanOrEqual(0);
      expect(recordPut).toBeGreaterThan(holdCheck);
    }
  });

  it("stores each recording conditionally (If-None-Match: * on the PUT or on CompleteMultipartUpload)", () => {
    for (const key of [smallKey, largeKey]) {
      const final = requestsFor(key).filter((r) => r.operation === "PutObject" || r.operation === "CompleteMultipartUpload");
      expect(final).toHaveLength(1);
      expect(final[0]).toMatchObject({ status: 200, headers: expect.objectContaining({ "if-none-match": "*" }) });
    }
  });

  it("signs each record's DSSE pre-authentication encoding with the signing key, verifiable with its public key", async () => {
    const paes: Buffer[] = [];
    for (const key of [smallKey, largeKey]) {
      const envelope = parseEnvelope((await readObject(wire.client, custodyRecordKeyFor(key))).toString("utf8"));
      const pae = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
      paes.push(pae);
      expect(envelope.signatures).toEqual([{ keyid: WIRE_SIGNING_KEY_ARN, sig: expect.any(String) }]);
      const signature = Buffer.from(envelope.signatures[0].sig, "base64");
      expect(verify("sha256", pae, wire.kms.publicKeyPem, signature)).toBe(true);
      const tampered = Buffer.from(pae);
      tampered[tampered.length - 2] ^= 1;
      expect(verify("sha256", tampered, wire.kms.publicKeyPem, signature)).toBe(false);
    }
    expect(wire.kms.requests.map((r) => [r.keyId, r.messageType, r.signingAlgorithm, r.status, r.message.toString("hex")])).toEqual(
      paes.map((bytes) => [WIRE_SIGNING_KEY_ARN, "DIGEST", "ECDSA_SHA_256", 200, sha256Hex(bytes)]),
    );
  });

  it("leaves every recording paired with its custody record and no multipart upload open", async () => {
    await expectEveryObjectPaired(wire.client, conversationPrefix(job.caseId, job.conversationId));
    await expectNoOpenUploads(wire);
  });

  it("logs in with the client credentials from Secrets Manager and sends the token to the API only, never to the media host", () => {
    expect(wire.secrets.requestedSecretIds).toEqual([WIRE_SECRET_ARN]);
    const logins = wire.genesys.requests.filter((request) => request.server === "login");
    expect(logins).toHaveLength(1);
    expect(logins[0].authorization).toBe(
      `Basic ${Buffer.from(`${wire.genesys.clientId}:${wire.genesys.clientSecret}`).toString("base64")}`,
    );

    const api = wire.genesys.requests.filter((request) => request.server === "api");
    expect(api.map((request) => `${request.method} ${request.path}`)).toEqual([
      "PUT /api/v2/recordings/deletionprotection",
      `GET /api/v2/conversations/${job.conversationId}/recordings`,
      `GET /api/v2/conversations/${job.conversationId}/recordings/rec-small`,
      `GET /api/v2/conversations/${job.conversationId}/recordings/rec-large`,
    ]);
    for (const request of api) expect(request.authorization).toBe(`Bearer ${wire.genesys.issuedTokens[0]}`);

    const cdn = wire.genesys.requests.filter((request) => request.server === "cdn");
    expect(cdn).toHaveLength(2);
    for (const request of cdn) {
      expect(request.authorization).toBeUndefined();
      expect(request.acceptEncoding).toBe("identity");
      expect(request.query).toContain("X-Amz-Signature=wire-sig-");
    }
  });

  it("never logs the client secret, the token or the media URI's signature", () => {
    const text = JSON.stringify(outcome.logs);
    expect(outcome.logs.length).toBeGreaterThan(0);
    expect(text).not.toContain(wire.genesys.clientSecret);
    expect(text).not.toContain(wire.genesys.issuedTokens[0]);
    expect(text).not.toContain("wire-sig");
  });
});
