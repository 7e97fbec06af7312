import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ArchiveUploadError,
  ArchiveVerificationError,
  archiveRecording,
  ConcurrentWriteError,
  crc32Base64,
  LengthMismatchError,
  MediaStreamError,
  PART_SIZE_BYTES,
  RecordingExistsError,
  UPLOAD_QUEUE_SIZE,
} from "../../lambda/archive/recordingWriter";

const BUCKET = "legal-hold-archive";
const KEY = "cases/c1/conversations/conv/recordings/rec.wav";
const KMS_KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const METADATA = { "job-id": "j", "case-id": "c1", "conversation-id": "conv", "recording-id": "rec" };
const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });

/** Deterministic bytes, delivered in 64 KiB chunks like a network stream. */
function bytes(length: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
  return data;
}

function chunked(data: Buffer, failAfter?: number): Readable {
  const chunkSize = 64 * 1024;
  let offset = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && offset >= failAfter) {
        this.destroy(new Error("connection reset by media host"));
        return;
      }
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function archive(body: Readable, expectedLength?: number) {
  return archiveRecording({
    s3,
    bucket: BUCKET,
    key: KEY,
    body,
    expectedLength,
    kmsKeyArn: KMS_KEY,
    contentType: "audio/wav",
    metadata: METADATA,
  });
}

const LOCK_PARAMS = {
  Bucket: BUCKET,
  Key: KEY,
  ObjectLockLegalHoldStatus: "ON",
  ServerSideEncryption: "aws:kms",
  SSEKMSKeyId: KMS_KEY,
  ChecksumAlgorithm: "CRC32",
  ChecksumType: "FULL_OBJECT",
  ContentType: "audio/wav",
  Metadata: METADATA,
};

const s3Error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** S3 holds `data` as `versionId`, with its full-object CRC32 (computed independently of the writer, by zlib). */
function storesVersion(versionId: string, data: Buffer) {
  s3Mock.on(HeadObjectCommand).resolves({
    VersionId: versionId,
    ContentLength: data.length,
    ChecksumCRC32: crc32Base64(crc32(data)),
    ChecksumType: "FULL_OBJECT",
  });
}

beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({ VersionId: "v-single", ETag: '"e"' });
  s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: "upload-1" });
  s3Mock.on(UploadPartCommand).resolves({ ETag: '"part"' });
  s3Mock.on(CompleteMultipartUploadCommand).resolves({ VersionId: "v-multi", ETag: '"e-2"' });
  s3Mock.on(AbortMultipartUploadCommand).resolves({});
  s3Mock.on(GetObjectLegalHoldCommand).resolves({ LegalHold: { Status: "ON" } });
});

describe("archiveRecording", () => {
  it("stores a small recording in one PUT with legal hold, SSE-KMS and a CRC32, and measures it", async () => {
    const data = bytes(300 * 1024);
    storesVersion("v-single", data);

    const stored = await archive(chunked(data), data.length);

    expect(stored).toEqual({
      versionId: "v-single",
      sha256: sha256(data),
      bytes: data.length,
      checksum: { algorithm: "CRC32", type: "FULL_OBJECT", value: crc32Base64(crc32(data)) },
      legalHold: "ON",
    });
    const puts = s3Mock.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    const { ChecksumType: _multipartOnly, ...putParams } = LOCK_PARAMS;
    // The whole object's CRC32 is sent with the PUT: S3 stores it only if the bytes it received match.
    expect(puts[0].args[0].input).toMatchObject({ ...putParams, IfNoneMatch: "*", ChecksumCRC32: crc32Base64(crc32(data)) });
    expect(Buffer.compare(puts[0].args[0].input.Body as Buffer, data)).toBe(0);
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it("streams a recording above 8 MiB as a multipart upload carrying the lock parameters", async () => {
    const data = bytes(PART_SIZE_BYTES + 1024 * 1024 + 123);
    storesVersion("v-multi", data);

    const stored = await archive(chunked(data));

    expect(stored).toMatchObject({ versionId: "v-multi", sha256: sha256(data), bytes: data.length });
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).toMatchObject(LOCK_PARAMS);
    const parts = s3Mock.commandCalls(UploadPartCommand).map((call) => call.args[0].input);
    expect(parts.map((part) => [part.PartNumber, (part.Body as Buffer).length])).toEqual([
      [1, PART_SIZE_BYTES],
      [2, data.length - PART_SIZE_BYTES],
    ]);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
    // Only a key with no version may be completed: a retry can never add a second, undeletable version.
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input).toMatchObject({
      Key: KEY,
      UploadId: "upload-1",
      IfNoneMatch: "*",
      ChecksumType: "FULL_OBJECT",
      ChecksumCRC32: crc32Base64(crc32(data)),
      MpuObjectSize: data.length,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"part"', ChecksumCRC32: crc32Base64(crc32(data.subarray(0, PART_SIZE_BYTES))) },
          { PartNumber: 2, ETag: '"part"', ChecksumCRC32: crc32Base64(crc32(data.subarray(PART_SIZE_BYTES))) },
        ],
      },
    });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it("confirms the hold on the version it wrote", async () => {
    const data = bytes(10);
    storesVersion("v-single", data);

    await archive(chunked(data));

    expect(s3Mock.commandCalls(HeadObjectCommand)[0].args[0].input).toMatchObject({ Bucket: BUCKET, Key: KEY, ChecksumMode: "ENABLED" });
    expect(s3Mock.commandCalls(GetObjectLegalHoldCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: KEY, VersionId: "v-single" });
  });

  it("writes nothing when a small body is shorter than announced", async () => {
    const data = bytes(1024);

    const error = await archive(chunked(data), 2048).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LengthMismatchError);
    expect(error).toMatchObject({ expectedBytes: 2048, receivedBytes: 1024 });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it("aborts the multipart upload when a large body is shorter than announced", async () => {
    const data = bytes(PART_SIZE_BYTES + 512 * 1024);

    const error = await archive(chunked(data), data.length + 1).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LengthMismatchError);
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: KEY, UploadId: "upload-1" });
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it("aborts as soon as a body runs longer than announced", async () => {
    const data = bytes(4096);

    await expect(archive(chunked(data), 100)).rejects.toBeInstanceOf(LengthMismatchError);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("aborts the multipart upload when the download fails mid-way, naming the download, not S3", async () => {
    const data = bytes(3 * PART_SIZE_BYTES);

    const error = await archive(chunked(data, PART_SIZE_BYTES + 256 * 1024)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MediaStreamError);
    expect(((error as Error).cause as Error).message).toBe("connection reset by media host");
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it("aborts the multipart upload when S3 refuses a part", async () => {
    s3Mock
      .on(UploadPartCommand)
      .rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    const body = chunked(bytes(2 * PART_SIZE_BYTES + 10));

    await expect(archive(body)).rejects.toBeInstanceOf(ArchiveUploadError);
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect(body.destroyed).toBe(true);
  });

  it("refuses to report success when S3's full-object CRC32 is not the one of the bytes sent", async () => {
    storesVersion("v-single", bytes(11).subarray(1));

    await expect(archive(chunked(bytes(10)))).rejects.toThrow(/S3's CRC32 of the stored object is/);
  });

  it("refuses to report success when the legal hold is not ON", async () => {
    storesVersion("v-single", bytes(10));
    s3Mock.on(GetObjectLegalHoldCommand).resolves({ LegalHold: { Status: "OFF" } });

    await expect(archive(chunked(bytes(10)))).rejects.toThrow(ArchiveVerificationError);
  });

  it("refuses to report success when the bucket returns no version (Object Lock off)", async () => {
    s3Mock.on(PutObjectCommand).resolves({});

    await expect(archive(chunked(bytes(10)))).rejects.toThrow(/no VersionId/);
  });

  it("answers RecordingExistsError, with what it downloaded, when a single PUT finds the key taken (412)", async () => {
    const data = bytes(2048);
    s3Mock.on(PutObjectCommand).rejects(s3Error("PreconditionFailed", 412));

    const error = await archive(chunked(data), data.length).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RecordingExistsError);
    expect((error as RecordingExistsError).downloaded).toEqual({ sha256: sha256(data), bytes: data.length });
  });

  it("aborts and answers RecordingExistsError when CompleteMultipartUpload finds the key taken (412)", async () => {
    const data = bytes(PART_SIZE_BYTES + 4096);
    s3Mock.on(CompleteMultipartUploadCommand).rejects(s3Error("PreconditionFailed", 412));

    const error = await archive(chunked(data)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RecordingExistsError);
    expect((error as RecordingExistsError).downloaded).toEqual({ sha256: sha256(data), bytes: data.length });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: KEY, UploadId: "upload-1" });
  });

  it("answers ConcurrentWriteError when another conditional write of the key is in flight (409)", async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error("ConditionalRequestConflict", 409));

    await expect(archive(chunked(bytes(10)))).rejects.toBeInstanceOf(ConcurrentWriteError);
  });

  it("keeps the original failure when the abort fails too, and attaches the abort's error", async () => {
    s3Mock.on(UploadPartCommand).rejects(s3Error("InternalError", 500));
    s3Mock.on(AbortMultipartUploadCommand).rejects(s3Error("AccessDenied", 403));

    const error = await archive(chunked(bytes(2 * PART_SIZE_BYTES + 10))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ArchiveUploadError);
    expect(((error as Error).cause as Error).name).toBe("InternalError");
    expect(((error as ArchiveUploadError).abortFailure as Error).name).toBe("AccessDenied");
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
  });

  it("keeps at most UPLOAD_QUEUE_SIZE parts in flight, and reuses part buffers without mixing their bytes", async () => {
    const data = bytes(7 * PART_SIZE_BYTES + 99);
    storesVersion("v-multi", data);
    let inFlight = 0;
    let most = 0;
    const received: Buffer[] = [];
    s3Mock.on(UploadPartCommand).callsFake(async (input: { PartNumber: number; Body: Buffer }) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Copied at once: the buffer goes back to the pool when the part is answered.
      received[input.PartNumber - 1] = Buffer.from(input.Body);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { ETag: `"p${input.PartNumber}"` };
    });

    await archive(chunked(data));
    await archive(chunked(data));

    expect(most).toBe(UPLOAD_QUEUE_SIZE);
    expect(Buffer.concat(received).equals(data)).toBe(true);
  });
});
