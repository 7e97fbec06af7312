import { generateKeyPairSync, verify } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { Logger } from "@aws-lambda-powertools/logger";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import {
  AbortMultipartUploadCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, type Mock, vi } from "vitest";
import { ArchiveUploadError, ConcurrentWriteError, crc32Base64, MediaStreamError } from "../../lambda/archive/recordingWriter";
import { canonicalJson } from "../../lambda/custody/canonicalJson";
import { CustodySigningError, createCustodySigner } from "../../lambda/custody/custodySigner";
import { CUSTODY_PREDICATE_TYPE } from "../../lambda/custody/custodyStatement";
import { parseEnvelope, preAuthEncoding } from "../../lambda/custody/dsse";
import { GenesysPermissionError, TranscodeNotReadyError } from "../../lambda/genesys/errors";
import type { GenesysClient } from "../../lambda/genesys/genesysClient";
import type { ExportJob } from "../../lambda/intake/exportRequest";
import {
  CustodyCheckError,
  CustodyConflictError,
  custodyRecordKeyFor,
  DeletionProtectionFailedError,
  type ExportDeps,
  exportConversation,
  legacyManifestKeyFor,
  RecordingsNotListedYetError,
  recordingKey,
} from "../../lambda/worker/exportConversation";
import { signP256Digest } from "../../tools/testkit/wire/fakeKms";

// handler.ts reads its environment when imported, as at a Lambda cold start.
vi.hoisted(() => {
  vi.stubEnv("ARCHIVE_BUCKET", "legal-hold-archive");
  vi.stubEnv("ARCHIVE_KMS_KEY_ARN", "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  vi.stubEnv("SIGNING_KEY_ARN", "arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f");
  vi.stubEnv("GENESYS_CREDENTIALS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-AbCdEf");
  vi.stubEnv("GENESYS_API_BASE_URL", "https://api.euw2.pure.cloud");
  vi.stubEnv("GENESYS_LOGIN_BASE_URL", "https://login.euw2.pure.cloud");
});

import { classifyFailure, createWorkerHandler } from "../../lambda/worker/handler";

const BUCKET = "legal-hold-archive";
const KMS_KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const FUNCTION_ARN = "arn:aws:lambda:eu-west-2:111122223333:function:worker";
const CDN_URI = "https://media.cdn.example/rec/r1.wav?X-Amz-Signature=secret-sig";
const job: ExportJob = {
  jobId: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e",
  conversationId: "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  caseId: "MATTER-1",
  requestedBy: "Legal Ops",
  requestedAt: "2025-03-04T05:06:07.000Z",
};
const KEY_R1 = recordingKey(job.caseId, job.conversationId, "r1", "WAV");
const SIGNING_KEY = "arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f";
// A local P-256 key stands in for the KMS key; the mock signs the digest KMS is sent, as KMS does.
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const s3Mock = mockClient(S3Client);
const kmsMock = mockClient(KMSClient);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" };
const s3 = new S3Client({ region: "eu-west-2", credentials });
const signer = createCustodySigner({ kms: new KMSClient({ region: "eu-west-2", credentials }), signingKeyArn: SIGNING_KEY });
const RECORD_KEY = custodyRecordKeyFor(KEY_R1);
const MEDIA = Buffer.from("RIFF....WAVE");
const preconditionFailed = () =>
  Object.assign(new Error("PreconditionFailed"), { name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
const storedBody = (text: string) => ({ transformToString: async () => text }) as unknown as GetObjectCommandOutput["Body"];
const streamedBody = (bytes: Buffer) => Readable.from([bytes]) as unknown as GetObjectCommandOutput["Body"];
const notFound = () => Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });

type FakeGenesys = { [Name in keyof GenesysClient]: Mock<GenesysClient[Name]> };

function fakeGenesys(recordings: Array<{ recordingId: string; media?: string }>): FakeGenesys {
  return {
    protectConversation: vi.fn(async () => ({ status: "applied" as const })),
    listRecordings: vi.fn(async () =>
      recordings.map((r) => ({
        recordingId: r.recordingId,
        media: r.media ?? "audio",
        fileState: "AVAILABLE",
        startTime: undefined,
        endTime: undefined,
      })),
    ),
    mediaFor: vi.fn(async () => CDN_URI),
    restoreRecording: vi.fn(async () => undefined),
    openMedia: vi.fn(async () => ({
      body: Readable.from([MEDIA]),
      contentLength: 12,
      contentType: "application/octet-stream",
      source: { host: "media.cdn.example", path: "/rec/r1.wav" },
    })),
  };
}

function deps(genesys: GenesysClient): ExportDeps {
  return {
    s3,
    genesys,
    signer,
    bucket: BUCKET,
    kmsKeyArn: KMS_KEY,
    formatId: "WAV",
    functionArn: FUNCTION_ARN,
    awsRequestId: "req-1",
    logger: new Logger({ logLevel: "SILENT" }),
    now: () => new Date("2025-03-04T06:00:00.000Z"),
  };
}

const commandNames = () => s3Mock.calls().map((call) => `${call.args[0].constructor.name}:${(call.args[0].input as { Key?: string }).Key}`);

const STORED = {
  VersionId: "v1",
  ContentLength: 12,
  ChecksumCRC32: crc32Base64(crc32(MEDIA)),
  ChecksumType: "FULL_OBJECT" as const,
  LastModified: new Date("2025-03-04T05:30:00.000Z"),
};

beforeEach(() => {
  s3Mock.reset();
  kmsMock.reset();
  kmsMock.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
    KeyId: SIGNING_KEY,
    Signature: signP256Digest(privateKey, input.Message),
    SigningAlgorithm: "ECDSA_SHA_256",
  }));
  s3Mock.on(HeadObjectCommand, { Key: RECORD_KEY }).rejects(notFound());
  s3Mock.on(HeadObjectCommand, { Key: legacyManifestKeyFor(KEY_R1) }).rejects(notFound());
  // Not there before the upload; there (as written) afterwards.
  s3Mock.on(HeadObjectCommand, { Key: KEY_R1 }).rejectsOnce(notFound()).resolves(STORED);
  s3Mock.on(PutObjectCommand).resolves({ VersionId: "v1" });
  s3Mock.on(GetObjectLegalHoldCommand).resolves({ LegalHold: { Status: "ON" } });
  s3Mock.on(ListMultipartUploadsCommand).resolves({ Uploads: [] });
});

/** The custody record the worker stored: its PUT, the envelope and the in-toto statement inside. */
function storedRecord() {
  const put = s3Mock.commandCalls(PutObjectCommand, { Key: RECORD_KEY })[0].args[0].input;
  const text = (put.Body as Buffer).toString("utf8");
  const envelope = parseEnvelope(text);
  return { put, text, envelope, statement: JSON.parse(envelope.payloadBytes.toString("utf8")) };
}

/** The key already holds a version (stored by an earlier delivery) that reads back as `bytes`. */
function alreadyStored(bytes: Buffer) {
  s3Mock
    .on(HeadObjectCommand, { Key: KEY_R1 })
    .resolves({ ...STORED, ContentLength: bytes.length, ChecksumCRC32: crc32Base64(crc32(bytes)) });
  s3Mock.on(GetObjectCommand, { Key: KEY_R1 }).callsFake(() => ({ VersionId: "v1", Body: streamedBody(bytes) }));
}

describe("exportConversation", () => {
  it("writes the recording conditionally, confirms its hold, then stores one custody record", async () => {
    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(KEY_R1).toBe(`cases/MATTER-1/conversations/${job.conversationId}/recordings/r1.wav`);
    expect(commandNames()).toEqual([
      `HeadObjectCommand:${KEY_R1}.custody.dsse.json`,
      `HeadObjectCommand:${KEY_R1}.custody.json`,
      `HeadObjectCommand:${KEY_R1}`,
      `PutObjectCommand:${KEY_R1}`,
      `HeadObjectCommand:${KEY_R1}`,
      `GetObjectLegalHoldCommand:${KEY_R1}`,
      `PutObjectCommand:${KEY_R1}.custody.dsse.json`,
      `ListMultipartUploadsCommand:undefined`,
    ]);
    expect(s3Mock.commandCalls(PutObjectCommand, { Key: KEY_R1 })[0].args[0].input.IfNoneMatch).toBe("*");
    expect(summary.recordings).toEqual([
      { recordingId: "r1", status: "archived", key: KEY_R1, versionId: "v1", bytes: 12, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it("stores the record once (If-None-Match) under legal hold as a canonical DSSE envelope with ids-only metadata", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const { put, text, envelope } = storedRecord();
    expect(put).toMatchObject({
      ContentType: "application/json",
      ObjectLockLegalHoldStatus: "ON",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KMS_KEY,
      ChecksumAlgorithm: "CRC32",
      IfNoneMatch: "*",
      Metadata: { "job-id": job.jobId, "case-id": "MATTER-1", "conversation-id": job.conversationId, "recording-id": "r1" },
    });
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
    expect(envelope.signatures).toEqual([{ keyid: SIGNING_KEY, sig: expect.any(String) }]);
    expect(text).not.toContain("secret-sig");
    expect(envelope.payloadBytes.toString("utf8")).not.toContain("secret-sig");
  });

  it("records an in-toto Statement whose subject is the recording's key and SHA-256 and whose predicate is the custody manifest", async () => {
    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const { statement, envelope } = storedRecord();
    const sha256 = (summary.recordings[0] as { sha256: string }).sha256;
    expect(canonicalJson(statement)).toBe(envelope.payloadBytes.toString("utf8"));
    expect(statement).toEqual({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: KEY_R1, digest: { sha256 } }],
      predicateType: CUSTODY_PREDICATE_TYPE,
      predicate: {
        jobId: job.jobId,
        caseId: "MATTER-1",
        conversationId: job.conversationId,
        recordingId: "r1",
        source: { host: "media.cdn.example", path: "/rec/r1.wav" },
        formatId: "WAV",
        contentType: "audio/wav",
        bytes: 12,
        sha256,
        s3: {
          bucket: BUCKET,
          key: KEY_R1,
          versionId: "v1",
          checksum: { algorithm: "CRC32", type: "FULL_OBJECT", value: crc32Base64(crc32(MEDIA)) },
          legalHold: "ON",
        },
        storage: { method: "uploaded" },
        times: { requestedAt: job.requestedAt, downloadStartedAt: "2025-03-04T06:00:00.000Z", storedAt: "2025-03-04T06:00:00.000Z" },
        requestedBy: "Legal Ops",
        functionArn: FUNCTION_ARN,
        awsRequestId: "req-1",
        deletionProtection: { status: "applied" },
      },
    });
  });

  it("signs the SHA-256 of the DSSE pre-authentication encoding with the KMS key, verifiable with its public key", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const { envelope } = storedRecord();
    const pae = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
    expect(pae.subarray(0, 40).toString("utf8")).toBe(
      `DSSEv1 28 application/vnd.in-toto+json ${envelope.payloadBytes.length}`.slice(0, 40),
    );
    expect(kmsMock.commandCalls(SignCommand)).toHaveLength(1);
    expect(kmsMock.commandCalls(SignCommand)[0].args[0].input).toMatchObject({
      KeyId: SIGNING_KEY,
      MessageType: "DIGEST",
      SigningAlgorithm: "ECDSA_SHA_256",
    });
    expect(verify("sha256", pae, publicKey, Buffer.from(envelope.signatures[0].sig, "base64"))).toBe(true);
  });

  it("adopts a stored recording that has no custody record instead of downloading and uploading it again", async () => {
    alreadyStored(MEDIA);
    const genesys = fakeGenesys([{ recordingId: "r1" }]);

    const summary = await exportConversation(job, deps(genesys));

    expect(genesys.mediaFor).not.toHaveBeenCalled();
    expect(s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual([RECORD_KEY]);
    expect(summary.recordings[0]).toMatchObject({ status: "adopted", versionId: "v1", bytes: 12 });
    const { statement } = storedRecord();
    expect(statement.predicate).toMatchObject({
      source: null,
      bytes: 12,
      s3: { versionId: "v1", legalHold: "ON" },
      storage: { method: "adopted", reason: expect.stringContaining("without a custody record"), freshDownload: null },
      times: { downloadStartedAt: null, storedAt: "2025-03-04T05:30:00.000Z" },
    });
    expect(statement.subject[0].digest.sha256).toBe(statement.predicate.sha256);
  });

  it("refuses to adopt a stored version whose bytes do not have the CRC32 S3 reports", async () => {
    alreadyStored(MEDIA);
    s3Mock.on(GetObjectCommand, { Key: KEY_R1 }).callsFake(() => ({ VersionId: "v1", Body: streamedBody(Buffer.from("RIFF-changed")) }));

    await expect(exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])))).rejects.toThrow(/the bytes read back have CRC32/);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("refuses to adopt a stored version whose legal hold is off", async () => {
    alreadyStored(MEDIA);
    s3Mock.on(GetObjectLegalHoldCommand).resolves({ LegalHold: { Status: "OFF" } });

    await expect(exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])))).rejects.toThrow(/legal hold is OFF/);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("adopts the stored version when S3 refuses the upload (412), saying the fresh download matched", async () => {
    s3Mock.on(PutObjectCommand, { Key: KEY_R1 }).rejects(preconditionFailed());
    s3Mock.on(HeadObjectCommand, { Key: KEY_R1 }).rejectsOnce(notFound()).resolves(STORED);
    s3Mock.on(GetObjectCommand, { Key: KEY_R1 }).callsFake(() => ({ VersionId: "v1", Body: streamedBody(MEDIA) }));

    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(summary.recordings[0]).toMatchObject({ status: "adopted", reason: expect.stringContaining("412") });
    expect(summary.recordings[0]).not.toHaveProperty("freshDownloadDiffers");
    expect(storedRecord().statement.predicate.storage).toEqual({
      method: "adopted",
      reason: expect.stringContaining("412"),
      freshDownload: { sha256: (summary.recordings[0] as { sha256: string }).sha256, bytes: 12, matchesStored: true },
    });
  });

  it("names both byte streams, in the record and the outcome, when the fresh download differs from the stored version", async () => {
    const stored = Buffer.from("RIFF-older-WAVE");
    s3Mock.on(PutObjectCommand, { Key: KEY_R1 }).rejects(preconditionFailed());
    s3Mock
      .on(HeadObjectCommand, { Key: KEY_R1 })
      .rejectsOnce(notFound())
      .resolves({ ...STORED, ContentLength: stored.length, ChecksumCRC32: crc32Base64(crc32(stored)) });
    s3Mock.on(GetObjectCommand, { Key: KEY_R1 }).callsFake(() => ({ VersionId: "v1", Body: streamedBody(stored) }));

    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const outcome = summary.recordings[0] as { status: string; bytes: number; freshDownloadDiffers?: { bytes: number } };
    expect(outcome).toMatchObject({ status: "adopted", bytes: stored.length, freshDownloadDiffers: { bytes: 12 } });
    const { statement } = storedRecord();
    expect(statement.predicate.bytes).toBe(stored.length);
    expect(statement.predicate.storage.freshDownload).toMatchObject({ bytes: 12, matchesStored: false });
  });

  it("finishes without a second record when a concurrent delivery stored one for the same bytes", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));
    const earlier = storedRecord().text;
    s3Mock.resetHistory();
    s3Mock.on(HeadObjectCommand, { Key: KEY_R1 }).rejectsOnce(notFound()).resolves(STORED);
    s3Mock.on(PutObjectCommand, { Key: RECORD_KEY }).rejects(preconditionFailed());
    s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves({ Body: storedBody(earlier) });

    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(summary.recordings[0].status).toBe("already-archived");
    expect(commandNames().slice(-3, -1)).toEqual([`PutObjectCommand:${RECORD_KEY}`, `GetObjectCommand:${RECORD_KEY}`]);
  });

  it("fails with CustodyConflictError when the record already stored describes other bytes", async () => {
    s3Mock.on(PutObjectCommand, { Key: RECORD_KEY }).rejects(preconditionFailed());
    const other = { _type: "https://in-toto.io/Statement/v1", subject: [{ name: KEY_R1, digest: { sha256: "00".repeat(32) } }] };
    const envelope = {
      payload: Buffer.from(JSON.stringify(other)).toString("base64"),
      payloadType: "application/vnd.in-toto+json",
      signatures: [{ keyid: "k", sig: "AA==" }],
    };
    s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves({ Body: storedBody(JSON.stringify(envelope)) });

    const failure = exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    await expect(failure).rejects.toBeInstanceOf(CustodyConflictError);
    await expect(failure).rejects.toThrow(`describes sha256 ${"00".repeat(32)}`);
  });

  it("stores no record when KMS refuses to sign", async () => {
    kmsMock.on(SignCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));

    await expect(exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])))).rejects.toBeInstanceOf(CustodySigningError);
    expect(commandNames().filter((name) => name.startsWith("PutObjectCommand"))).toEqual([`PutObjectCommand:${KEY_R1}`]);
  });

  it("aborts the uploads of the recording's key a killed delivery left open, once the record exists", async () => {
    s3Mock.on(ListMultipartUploadsCommand).resolves({
      Uploads: [
        { Key: KEY_R1, UploadId: "left-open" },
        { Key: `${KEY_R1}.custody.dsse.json`, UploadId: "not-this-key" },
      ],
    });
    s3Mock.on(AbortMultipartUploadCommand).resolves({});

    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(s3Mock.commandCalls(ListMultipartUploadsCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Prefix: KEY_R1 });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: KEY_R1, UploadId: "left-open" },
    ]);
  });

  it("still succeeds when the uploads left open cannot be listed (the lifecycle rule clears them)", async () => {
    s3Mock.on(ListMultipartUploadsCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));

    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(summary.recordings[0].status).toBe("archived");
  });

  it("puts only ids in the recording's metadata", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const recordingPut = s3Mock.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(recordingPut.Metadata).toEqual({
      "job-id": job.jobId,
      "case-id": "MATTER-1",
      "conversation-id": job.conversationId,
      "recording-id": "r1",
    });
    expect(JSON.stringify(recordingPut.Metadata)).not.toContain("Legal Ops");
  });

  it("skips a recording whose custody record already exists", async () => {
    s3Mock.on(HeadObjectCommand, { Key: RECORD_KEY }).resolves({ VersionId: "m1" });
    const genesys = fakeGenesys([{ recordingId: "r1" }]);

    const summary = await exportConversation(job, deps(genesys));

    expect(summary.recordings).toEqual([{ recordingId: "r1", status: "already-archived", key: KEY_R1 }]);
    expect(genesys.mediaFor).not.toHaveBeenCalled();
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("skips a recording archived by an earlier release (manifest + signature file)", async () => {
    s3Mock.on(HeadObjectCommand, { Key: legacyManifestKeyFor(KEY_R1) }).resolves({ VersionId: "m0" });
    const genesys = fakeGenesys([{ recordingId: "r1" }]);

    const summary = await exportConversation(job, deps(genesys));

    expect(summary.recordings).toEqual([{ recordingId: "r1", status: "already-archived", key: KEY_R1 }]);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("skips recordings that are not audio", async () => {
    const genesys = fakeGenesys([{ recordingId: "s1", media: "screen" }]);

    const summary = await exportConversation(job, deps(genesys));

    expect(summary.recordings).toEqual([{ recordingId: "s1", status: "skipped", reason: "media is screen, not audio" }]);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it("refuses to guess when S3 answers 403 to the custody record check", async () => {
    s3Mock
      .on(HeadObjectCommand, { Key: RECORD_KEY })
      .rejects(Object.assign(new Error("Forbidden"), { name: "403", $metadata: { httpStatusCode: 403 } }));

    await expect(exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])))).rejects.toBeInstanceOf(CustodyCheckError);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("retries (RecordingsNotListedYetError) when Genesys lists no recordings for a job requested moments ago", async () => {
    const genesys = fakeGenesys([]);
    const recent = { ...deps(genesys), now: () => new Date("2025-03-04T05:20:00.000Z"), recordingsSettleMinutes: 30 };

    await expect(exportConversation(job, recent)).rejects.toBeInstanceOf(RecordingsNotListedYetError);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("reports nothing to archive once the settle window has passed and Genesys still lists no recordings", async () => {
    const genesys = fakeGenesys([]);
    const later = { ...deps(genesys), now: () => new Date("2025-03-04T05:36:08.000Z"), recordingsSettleMinutes: 30 };

    const summary = await exportConversation(job, later);

    expect(summary).toMatchObject({ outcome: "nothing-to-archive", recordings: [] });
  });

  it("archives first, records the failure, then fails the job when Genesys did not apply deletion protection", async () => {
    const genesys = fakeGenesys([{ recordingId: "r1" }]);
    genesys.protectConversation.mockResolvedValue({ status: "failed", failures: ['{"message":"busy"}'] });

    const failure = exportConversation(job, deps(genesys));

    await expect(failure).rejects.toBeInstanceOf(DeletionProtectionFailedError);
    expect(storedRecord().statement.predicate.deletionProtection).toEqual({ status: "failed", failures: ['{"message":"busy"}'] });
  });

  it("protects the conversation in Genesys before archiving", async () => {
    const genesys = fakeGenesys([{ recordingId: "r1" }]);

    await exportConversation(job, deps(genesys));

    expect(genesys.protectConversation).toHaveBeenCalledWith(job.conversationId);
    expect(genesys.protectConversation.mock.invocationCallOrder[0]).toBeLessThan(genesys.listRecordings.mock.invocationCallOrder[0]);
  });
});

/** Collects the JSON lines a Powertools Logger prints. */
function captureLogs(logger: Logger): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const print = (line: string) => lines.push(JSON.parse(line));
  Object.assign(logger, { console: { log: print, info: print, warn: print, error: print, debug: print, trace: print } });
  return lines;
}

describe("worker handler", () => {
  const context = { invokedFunctionArn: FUNCTION_ARN, awsRequestId: "req-1", functionName: "worker" } as Context;

  function record(messageId: string, body: unknown): SQSRecord {
    return {
      messageId,
      receiptHandle: `rh-${messageId}`,
      body: typeof body === "string" ? body : JSON.stringify(body),
      attributes: { ApproximateReceiveCount: "1" } as SQSRecord["attributes"],
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:eu-west-2:111122223333:jobs",
      awsRegion: "eu-west-2",
    };
  }

  function worker(genesys: GenesysClient) {
    const logger = new Logger({ logLevel: "SILENT" });
    const handler = createWorkerHandler({
      env: { archiveBucket: BUCKET, archiveKmsKeyArn: KMS_KEY, recordingFormatId: "WAV" },
      s3,
      genesys,
      signer,
      logger,
    });
    return { handler, logger };
  }

  it("reports only the failed message in a partial batch response", async () => {
    const { handler } = worker(fakeGenesys([{ recordingId: "r1" }]));
    const event: SQSEvent = { Records: [record("good", job), record("bad", "{not json")] };

    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: "bad" }] });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(2);
  });

  it("returns a still-transcoding job to the queue, logged as retryable", async () => {
    const genesys = fakeGenesys([{ recordingId: "r1" }]);
    genesys.mediaFor.mockRejectedValue(new TranscodeNotReadyError(job.conversationId, "r1", 10));
    const { handler, logger } = worker(genesys);
    const warn = vi.spyOn(logger, "warn");

    const answer = await handler({ Records: [record("m1", job)] }, context);

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
    expect(warn).toHaveBeenCalledWith("export failed", expect.objectContaining({ reason: "transcode-not-ready", retryable: true }));
  });

  it("reports a permanent failure too, logged with its reason for the dead-letter queue", async () => {
    const genesys = fakeGenesys([{ recordingId: "r1" }]);
    genesys.protectConversation.mockRejectedValue(new GenesysPermissionError("protecting", "recording:deletionProtection:apply"));
    const { handler, logger } = worker(genesys);
    const error = vi.spyOn(logger, "error");

    const answer = await handler({ Records: [record("m1", job)] }, context);

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
    expect(error).toHaveBeenCalledWith(
      "export failed",
      expect.objectContaining({ reason: "genesys-permission-missing", retryable: false }),
    );
  });

  it("adds the job's ids to its log lines, and never logs the media URI's query string", async () => {
    const { handler, logger } = worker(fakeGenesys([{ recordingId: "r1" }]));
    logger.setLogLevel("INFO");
    const lines = captureLogs(logger);

    await handler({ Records: [record("m1", job)] }, context);
    logger.info("after the batch");

    const finished = lines.find((line) => line.message === "export finished");
    expect(finished).toMatchObject({ messageId: "m1", jobId: job.jobId, caseId: job.caseId, conversationId: job.conversationId });
    expect(lines.find((line) => line.message === "recording archived")).toMatchObject({ recordingId: "r1", jobId: job.jobId });
    expect(lines.at(-1)).not.toHaveProperty("jobId");
    expect(JSON.stringify(lines)).not.toContain("secret-sig");
  });

  it("classifies an S3 403 as a permanent access problem, and other S3 failures as retryable S3 failures", () => {
    const denied = new CustodyCheckError("k", { cause: { $metadata: { httpStatusCode: 403 } } });

    expect(classifyFailure(denied)).toEqual({ reason: "s3-access-denied", retryable: false });
    expect(classifyFailure(new ArchiveUploadError("k", { cause: { $metadata: { httpStatusCode: 503 } } }))).toEqual({
      reason: "s3-write-failed",
      retryable: true,
    });
  });

  it("tells a broken media download and a concurrent delivery apart from S3 failures", () => {
    expect(classifyFailure(new MediaStreamError("k", { cause: new Error("terminated") }))).toEqual({
      reason: "media-download-broken",
      retryable: true,
    });
    expect(classifyFailure(new ConcurrentWriteError("k"))).toEqual({ reason: "concurrent-delivery", retryable: true });
    expect(classifyFailure(new CustodyConflictError("k", "00", "11"))).toEqual({ reason: "custody-record-conflict", retryable: false });
  });

  it("returns a job whose recordings are not listed yet, or whose protection failed, to the queue under its own reason", () => {
    expect(classifyFailure(new RecordingsNotListedYetError("c", 30))).toEqual({ reason: "recordings-not-listed-yet", retryable: true });
    expect(classifyFailure(new DeletionProtectionFailedError("c", ["x"]))).toEqual({
      reason: "deletion-protection-failed",
      retryable: true,
    });
  });

  it("tells KMS throttling, KMS denial, an unusable key and a KMS outage apart", () => {
    const signing = (name: string) => new CustodySigningError("k", "failed", { cause: Object.assign(new Error(name), { name }) });

    expect(classifyFailure(signing("ThrottlingException"))).toEqual({ reason: "kms-throttled", retryable: true });
    expect(classifyFailure(signing("AccessDeniedException"))).toEqual({ reason: "kms-access-denied", retryable: false });
    expect(classifyFailure(signing("KMSInvalidStateException"))).toEqual({ reason: "kms-sign-refused", retryable: false });
    expect(classifyFailure(signing("KMSInternalException"))).toEqual({ reason: "kms-sign-failed", retryable: true });
  });
});
