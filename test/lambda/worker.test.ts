import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Logger } from "@aws-lambda-powertools/logger";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, type Mock, vi } from "vitest";
import { canonicalJson } from "../../lambda/custody/canonicalJson";
import { createManifestSigner, ManifestSigningError } from "../../lambda/custody/manifestSigner";
import { GenesysPermissionError, TranscodeNotReadyError } from "../../lambda/genesys/errors";
import type { GenesysClient } from "../../lambda/genesys/genesysClient";
import type { ExportJob } from "../../lambda/intake/exportRequest";
import {
  type ExportDeps,
  exportConversation,
  ManifestCheckError,
  manifestKeyFor,
  recordingKey,
  SignatureConflictError,
  signatureKeyFor,
} from "../../lambda/worker/exportConversation";

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
const FAKE_SIGNATURE = Buffer.from("3006020101020101", "hex"); // DER SEQUENCE { r 1, s 1 }: shape only
const s3Mock = mockClient(S3Client);
const kmsMock = mockClient(KMSClient);
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" };
const s3 = new S3Client({ region: "eu-west-2", credentials });
const signer = createManifestSigner({
  kms: new KMSClient({ region: "eu-west-2", credentials }),
  signingKeyArn: SIGNING_KEY,
  now: () => new Date("2025-03-04T06:00:01.000Z"),
});
const preconditionFailed = () =>
  Object.assign(new Error("PreconditionFailed"), { name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
const storedBody = (text: string) => ({ transformToString: async () => text }) as unknown as GetObjectCommandOutput["Body"];
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
    openMedia: vi.fn(async () => ({
      body: Readable.from([Buffer.from("RIFF....WAVE")]),
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

beforeEach(() => {
  s3Mock.reset();
  kmsMock.reset();
  kmsMock.on(SignCommand).resolves({ KeyId: SIGNING_KEY, Signature: FAKE_SIGNATURE, SigningAlgorithm: "ECDSA_SHA_256" });
  s3Mock.on(HeadObjectCommand, { Key: manifestKeyFor(KEY_R1) }).rejects(notFound());
  s3Mock.on(HeadObjectCommand, { Key: KEY_R1 }).resolves({ VersionId: "v1", ContentLength: 12, ChecksumCRC64NVME: "AAAAAAAAAAA=" });
  s3Mock.on(PutObjectCommand).resolves({ VersionId: "v1" });
  s3Mock.on(GetObjectLegalHoldCommand).resolves({ LegalHold: { Status: "ON" } });
});

describe("exportConversation", () => {
  it("writes the recording, confirms its hold, then the signature file, then the manifest", async () => {
    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(KEY_R1).toBe(`cases/MATTER-1/conversations/${job.conversationId}/recordings/r1.wav`);
    expect(commandNames()).toEqual([
      `HeadObjectCommand:${KEY_R1}.custody.json`,
      `PutObjectCommand:${KEY_R1}`,
      `HeadObjectCommand:${KEY_R1}`,
      `GetObjectLegalHoldCommand:${KEY_R1}`,
      `PutObjectCommand:${KEY_R1}.custody.sig.json`,
      `PutObjectCommand:${KEY_R1}.custody.json`,
    ]);
    expect(summary.recordings).toEqual([
      { recordingId: "r1", status: "archived", key: KEY_R1, versionId: "v1", bytes: 12, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it("stores the manifest as canonical JSON under legal hold, with ids-only metadata", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const manifestPut = s3Mock.commandCalls(PutObjectCommand)[2].args[0].input;
    expect(manifestPut).toMatchObject({
      Key: `${KEY_R1}.custody.json`,
      ContentType: "application/json",
      ObjectLockLegalHoldStatus: "ON",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KMS_KEY,
      ChecksumAlgorithm: "CRC64NVME",
      IfNoneMatch: "*",
      Metadata: { "job-id": job.jobId, "case-id": "MATTER-1", "conversation-id": job.conversationId, "recording-id": "r1" },
    });
    const text = (manifestPut.Body as Buffer).toString("utf8");
    const manifest = JSON.parse(text);
    expect(canonicalJson(manifest)).toBe(text);
    expect(manifest).toMatchObject({
      schemaVersion: 1,
      jobId: job.jobId,
      recordingId: "r1",
      source: { host: "media.cdn.example", path: "/rec/r1.wav" },
      formatId: "WAV",
      contentType: "audio/wav",
      bytes: 12,
      s3: { bucket: BUCKET, key: KEY_R1, versionId: "v1", checksumCRC64NVME: "AAAAAAAAAAA=", legalHold: "ON" },
      times: { requestedAt: job.requestedAt, downloadStartedAt: "2025-03-04T06:00:00.000Z", storedAt: "2025-03-04T06:00:00.000Z" },
      requestedBy: "Legal Ops",
      functionArn: FUNCTION_ARN,
      awsRequestId: "req-1",
      deletionProtection: { status: "applied" },
    });
    expect(text).not.toContain("secret-sig");
  });

  it("signs the manifest's canonical bytes and stores the signature file like the manifest", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    const [, signaturePut, manifestPut] = s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    const manifestBytes = manifestPut.Body as Buffer;
    const manifestSha256 = createHash("sha256").update(manifestBytes).digest();
    expect(kmsMock.commandCalls(SignCommand)).toHaveLength(1);
    expect(kmsMock.commandCalls(SignCommand)[0].args[0].input).toMatchObject({
      KeyId: SIGNING_KEY,
      Message: manifestSha256,
      MessageType: "DIGEST",
      SigningAlgorithm: "ECDSA_SHA_256",
    });
    expect(signaturePut).toMatchObject({
      Bucket: BUCKET,
      Key: signatureKeyFor(KEY_R1),
      ContentType: "application/json",
      ObjectLockLegalHoldStatus: "ON",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KMS_KEY,
      ChecksumAlgorithm: "CRC64NVME",
      IfNoneMatch: "*",
      Metadata: { "job-id": job.jobId, "case-id": "MATTER-1", "conversation-id": job.conversationId, "recording-id": "r1" },
    });
    const text = (signaturePut.Body as Buffer).toString("utf8");
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(JSON.parse(text)).toEqual({
      schemaVersion: 1,
      manifestKey: manifestKeyFor(KEY_R1),
      manifestSha256: manifestSha256.toString("hex"),
      algorithm: "ECDSA_SHA_256",
      messageType: "DIGEST",
      signingKeyArn: SIGNING_KEY,
      signature: FAKE_SIGNATURE.toString("base64"),
      signedAt: "2025-03-04T06:00:01.000Z",
    });
  });

  it("continues to the manifest when the signature file already exists and signs the same manifest", async () => {
    await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));
    const earlierSignature = (s3Mock.commandCalls(PutObjectCommand)[1].args[0].input.Body as Buffer).toString("utf8");
    s3Mock.resetHistory();
    s3Mock.on(PutObjectCommand, { Key: signatureKeyFor(KEY_R1) }).rejects(preconditionFailed());
    s3Mock.on(GetObjectCommand, { Key: signatureKeyFor(KEY_R1) }).resolves({ Body: storedBody(earlierSignature) });

    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(summary.recordings[0].status).toBe("archived");
    expect(commandNames().slice(-3)).toEqual([
      `PutObjectCommand:${KEY_R1}.custody.sig.json`,
      `GetObjectCommand:${KEY_R1}.custody.sig.json`,
      `PutObjectCommand:${KEY_R1}.custody.json`,
    ]);
  });

  it("fails with SignatureConflictError, storing no manifest, when the existing signature file signs another manifest", async () => {
    s3Mock.on(PutObjectCommand, { Key: signatureKeyFor(KEY_R1) }).rejects(preconditionFailed());
    s3Mock
      .on(GetObjectCommand, { Key: signatureKeyFor(KEY_R1) })
      .resolves({ Body: storedBody(canonicalJson({ schemaVersion: 1, manifestSha256: "00".repeat(32) })) });

    const failure = exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    await expect(failure).rejects.toBeInstanceOf(SignatureConflictError);
    await expect(failure).rejects.toThrow(`signs manifest sha256 ${"00".repeat(32)}`);
    expect(s3Mock.commandCalls(PutObjectCommand, { Key: manifestKeyFor(KEY_R1) })).toHaveLength(0);
  });

  it("stores neither signature file nor manifest when KMS refuses to sign", async () => {
    kmsMock.on(SignCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));

    await expect(exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])))).rejects.toBeInstanceOf(ManifestSigningError);
    expect(commandNames().filter((name) => name.startsWith("PutObjectCommand"))).toEqual([`PutObjectCommand:${KEY_R1}`]);
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

  it("skips a recording whose manifest already exists", async () => {
    s3Mock.on(HeadObjectCommand, { Key: manifestKeyFor(KEY_R1) }).resolves({ VersionId: "m1" });
    const genesys = fakeGenesys([{ recordingId: "r1" }]);

    const summary = await exportConversation(job, deps(genesys));

    expect(summary.recordings).toEqual([{ recordingId: "r1", status: "already-archived", key: KEY_R1 }]);
    expect(genesys.mediaFor).not.toHaveBeenCalled();
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("skips recordings that are not audio", async () => {
    const genesys = fakeGenesys([{ recordingId: "s1", media: "screen" }]);

    const summary = await exportConversation(job, deps(genesys));

    expect(summary.recordings).toEqual([{ recordingId: "s1", status: "skipped", reason: "media is screen, not audio" }]);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it("counts a manifest a concurrent delivery stored first as already archived", async () => {
    s3Mock.on(PutObjectCommand, { Key: manifestKeyFor(KEY_R1) }).rejects(preconditionFailed());

    const summary = await exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])));

    expect(summary.recordings[0].status).toBe("already-archived");
  });

  it("refuses to guess when S3 answers 403 to the manifest check", async () => {
    s3Mock
      .on(HeadObjectCommand, { Key: manifestKeyFor(KEY_R1) })
      .rejects(Object.assign(new Error("Forbidden"), { name: "403", $metadata: { httpStatusCode: 403 } }));

    await expect(exportConversation(job, deps(fakeGenesys([{ recordingId: "r1" }])))).rejects.toBeInstanceOf(ManifestCheckError);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
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
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(3);
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

  it("classifies an S3 403 as a permanent access problem", () => {
    const denied = new ManifestCheckError("k", { cause: { $metadata: { httpStatusCode: 403 } } });

    expect(classifyFailure(denied)).toEqual({ reason: "s3-access-denied", retryable: false });
  });

  it("classifies a KMS refusal to sign as permanent, and a KMS outage or a signature conflict as retryable", () => {
    const signing = (name: string) => new ManifestSigningError("k", "failed", { cause: Object.assign(new Error(name), { name }) });

    expect(classifyFailure(signing("AccessDeniedException"))).toEqual({ reason: "kms-sign-refused", retryable: false });
    expect(classifyFailure(signing("KMSInvalidStateException"))).toEqual({ reason: "kms-sign-refused", retryable: false });
    expect(classifyFailure(signing("ThrottlingException"))).toEqual({ reason: "kms-sign-failed", retryable: true });
    expect(classifyFailure(new SignatureConflictError("k", "00", "11"))).toEqual({ reason: "custody-signature-conflict", retryable: true });
  });
});
