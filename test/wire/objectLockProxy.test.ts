import { crc32 } from "node:zlib";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { combineCrc64, crc64nvme, crc64ToBase64 } from "../../tools/testkit/wire/crc64nvme";
import { type LocalS3, S3RVER_CREDENTIALS, startLocalS3 } from "../../tools/testkit/wire/s3";

/**
 * The wire tests trust the Object Lock proxy's records and answers, so its
 * simulation is tested here against the S3 behaviour it stands in for.
 */

const LOCKED = "locked-bucket";
const PLAIN = "plain-bucket";
const KMS_KEY = "arn:aws:kms:eu-west-2:111122223333:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const LOCK_PARAMS = { ObjectLockLegalHoldStatus: "ON", ServerSideEncryption: "aws:kms", SSEKMSKeyId: KMS_KEY } as const;
const FIVE_MIB = 5 * 1024 * 1024;

let local: LocalS3;
let s3: S3Client;
/** Sends no checksum unless an operation requires one, as an older SDK or a hand-written client would. */
let bareS3: S3Client;

beforeAll(async () => {
  vi.stubEnv("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true");
  local = await startLocalS3({
    buckets: [
      { name: LOCKED, objectLock: true },
      { name: PLAIN, objectLock: false },
    ],
  });
  const config = { region: "eu-west-2", endpoint: local.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS };
  s3 = new S3Client(config);
  bareS3 = new S3Client({ ...config, requestChecksumCalculation: "WHEN_REQUIRED" });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  s3?.destroy();
  bareS3?.destroy();
  await local?.close();
});

const s3Error = async (promise: Promise<unknown>) => {
  const error = (await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return { name: error?.name, status: error?.$metadata?.httpStatusCode };
};

describe("CRC-64/NVME", () => {
  it("matches the catalogue check value and combines like a single pass", () => {
    expect(crc64nvme(Buffer.from("123456789")).toString(16)).toBe("ae8b14860a799888");
    const data = Buffer.from(Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 251));
    const [a, b] = [data.subarray(0, 40_001), data.subarray(40_001)];
    expect(combineCrc64(crc64nvme(a), crc64nvme(b), b.length)).toBe(crc64nvme(data));
  });
});

describe("object lock proxy in front of s3rver", () => {
  it("gives each write a new version id and answers the current one with the SSE, hold and checksum of that write", async () => {
    const first = await s3.send(
      new PutObjectCommand({ Bucket: LOCKED, Key: "v/key", Body: "one", ...LOCK_PARAMS, ChecksumAlgorithm: "CRC64NVME" }),
    );
    const second = await s3.send(
      new PutObjectCommand({ Bucket: LOCKED, Key: "v/key", Body: "two", ...LOCK_PARAMS, ChecksumAlgorithm: "CRC64NVME" }),
    );

    const head = await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: "v/key", ChecksumMode: "ENABLED" }));

    expect(first.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(second.VersionId).not.toBe(first.VersionId);
    expect(head).toMatchObject({
      VersionId: second.VersionId,
      ContentLength: 3,
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KMS_KEY,
      ObjectLockLegalHoldStatus: "ON",
      ChecksumCRC64NVME: crc64ToBase64(crc64nvme(Buffer.from("two"))),
    });
    expect(local.proxy.versions(LOCKED, "v/key").map((version) => version.versionId)).toEqual([first.VersionId, second.VersionId]);
  });

  it("answers GetObjectLegalHold per version, and 404 for a version it never wrote", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: "hold/key", Body: "x", ...LOCK_PARAMS }));

    const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: LOCKED, Key: "hold/key", VersionId: put.VersionId }));

    expect(hold.LegalHold?.Status).toBe("ON");
    expect(await s3Error(s3.send(new GetObjectLegalHoldCommand({ Bucket: LOCKED, Key: "hold/key", VersionId: "nope" })))).toEqual({
      name: "NoSuchVersion",
      status: 404,
    });
  });

  it("refuses an Object Lock write without Content-MD5 or a checksum (400 InvalidRequest), storing nothing", async () => {
    const refused = bareS3.send(new PutObjectCommand({ Bucket: LOCKED, Key: "nochecksum/key", Body: "x", ...LOCK_PARAMS }));

    expect(await s3Error(refused)).toEqual({ name: "InvalidRequest", status: 400 });
    expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: "nochecksum/key" })))).toMatchObject({ status: 404 });
  });

  it("refuses a legal hold on a bucket without Object Lock", async () => {
    const refused = s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: "k", Body: "x", ObjectLockLegalHoldStatus: "ON" }));

    expect(await s3Error(refused)).toEqual({ name: "InvalidRequest", status: 400 });
  });

  it("refuses a write whose declared CRC64NVME is wrong (400 BadDigest), storing nothing", async () => {
    const refused = s3.send(
      new PutObjectCommand({ Bucket: LOCKED, Key: "bad/key", Body: "abc", ...LOCK_PARAMS, ChecksumCRC64NVME: crc64ToBase64(12345n) }),
    );

    expect(await s3Error(refused)).toEqual({ name: "BadDigest", status: 400 });
    expect(local.proxy.versions(LOCKED, "bad/key")).toEqual([]);
    expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: "bad/key" })))).toMatchObject({ status: 404 });
  });

  it("honours If-None-Match: * (412 once the key exists)", async () => {
    await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: "once/key", Body: "1", ...LOCK_PARAMS, IfNoneMatch: "*" }));

    const again = s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: "once/key", Body: "2", ...LOCK_PARAMS, IfNoneMatch: "*" }));

    expect(await s3Error(again)).toEqual({ name: "PreconditionFailed", status: 412 });
    expect(local.proxy.versions(LOCKED, "once/key")).toHaveLength(1);
  });

  it("honours If-None-Match: * on CompleteMultipartUpload (412 once the key exists), leaving the upload open to abort", async () => {
    await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: "once/mpu", Body: "1", ...LOCK_PARAMS, IfNoneMatch: "*" }));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: LOCKED, Key: "once/mpu", ...LOCK_PARAMS, ChecksumAlgorithm: "CRC64NVME" }),
    );
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: LOCKED,
        Key: "once/mpu",
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(10),
        ChecksumAlgorithm: "CRC64NVME",
      }),
    );

    const complete = s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: LOCKED,
        Key: "once/mpu",
        UploadId,
        IfNoneMatch: "*",
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC64NVME: part.ChecksumCRC64NVME }] },
      }),
    );

    expect(await s3Error(complete)).toEqual({ name: "PreconditionFailed", status: 412 });
    expect(local.proxy.versions(LOCKED, "once/mpu")).toMatchObject([{ writtenBy: "PutObject", bytes: 1 }]);
    expect(await local.proxy.pendingUploads(LOCKED)).toMatchObject([{ key: "once/mpu", uploadId: UploadId }]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: LOCKED, Key: "once/mpu", UploadId }));
    expect(await local.proxy.pendingUploads(LOCKED)).toEqual([]);
  });

  it("shows a key only once a write of it completed", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: LOCKED, Key: "pending/key", ...LOCK_PARAMS }));

    expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: "pending/key" })))).toMatchObject({ status: 404 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: LOCKED, Key: "pending/key", UploadId }));
  });

  it("refuses to delete a version under legal hold", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: "held/key", Body: "x", ...LOCK_PARAMS }));

    const refused = s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: "held/key", VersionId: put.VersionId }));

    expect(await s3Error(refused)).toMatchObject({ status: 403 });
  });

  it("derives the full-object CRC64NVME of a multipart upload from its parts", async () => {
    const data = Buffer.from(Array.from({ length: FIVE_MIB + 1000 }, (_, i) => (i * 31) % 256));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: LOCKED, Key: "mpu/key", ...LOCK_PARAMS, ChecksumAlgorithm: "CRC64NVME" }),
    );
    const parts = [];
    for (const [index, body] of [data.subarray(0, FIVE_MIB), data.subarray(FIVE_MIB)].entries()) {
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: LOCKED,
          Key: "mpu/key",
          UploadId,
          PartNumber: index + 1,
          Body: body,
          ChecksumAlgorithm: "CRC64NVME",
        }),
      );
      parts.push({ PartNumber: index + 1, ETag: part.ETag, ChecksumCRC64NVME: part.ChecksumCRC64NVME });
    }

    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: LOCKED, Key: "mpu/key", UploadId, MultipartUpload: { Parts: parts } }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: "mpu/key", ChecksumMode: "ENABLED" }));

    expect(head).toMatchObject({
      VersionId: done.VersionId,
      ContentLength: data.length,
      ChecksumCRC64NVME: crc64ToBase64(crc64nvme(data)),
      ObjectLockLegalHoldStatus: "ON",
      SSEKMSKeyId: KMS_KEY,
    });
    expect(await local.proxy.pendingUploads(LOCKED)).toEqual([]);
  });

  it("derives the full-object CRC32 of a FULL_OBJECT multipart upload from its parts, and checks one sent on completion", async () => {
    const data = Buffer.from(Array.from({ length: FIVE_MIB + 777 }, (_, i) => (i * 13) % 251));
    const upload = async (key: string) => {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({
          Bucket: LOCKED,
          Key: key,
          ...LOCK_PARAMS,
          ChecksumAlgorithm: "CRC32",
          ChecksumType: "FULL_OBJECT",
        }),
      );
      const parts = [];
      for (const [index, body] of [data.subarray(0, FIVE_MIB), data.subarray(FIVE_MIB)].entries()) {
        const part = await s3.send(
          new UploadPartCommand({ Bucket: LOCKED, Key: key, UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: "CRC32" }),
        );
        parts.push({ PartNumber: index + 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 });
      }
      return { UploadId, parts };
    };
    const whole = Buffer.alloc(4);
    whole.writeUInt32BE(crc32(data));

    const good = await upload("crc32/key");
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: LOCKED,
        Key: "crc32/key",
        UploadId: good.UploadId,
        ChecksumType: "FULL_OBJECT",
        MultipartUpload: { Parts: good.parts },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: "crc32/key", ChecksumMode: "ENABLED" }));
    expect(head).toMatchObject({ ChecksumCRC32: whole.toString("base64"), ChecksumType: "FULL_OBJECT", ContentLength: data.length });

    const wrong = await upload("crc32/wrong");
    const refused = s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: LOCKED,
        Key: "crc32/wrong",
        UploadId: wrong.UploadId,
        ChecksumType: "FULL_OBJECT",
        ChecksumCRC32: "AAAAAA==",
        MultipartUpload: { Parts: wrong.parts },
      }),
    );
    expect(await s3Error(refused)).toEqual({ name: "BadDigest", status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: LOCKED, Key: "crc32/wrong", UploadId: wrong.UploadId }));
  });

  it("aborts a multipart upload by removing s3rver's parts, lists open uploads, and refuses parts after the abort", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: LOCKED, Key: "abort/key", ...LOCK_PARAMS }));
    await s3.send(
      new UploadPartCommand({
        Bucket: LOCKED,
        Key: "abort/key",
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(FIVE_MIB),
        ChecksumAlgorithm: "CRC64NVME",
      }),
    );
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: LOCKED }));
    expect(open.Uploads?.map((upload) => [upload.Key, upload.UploadId])).toEqual([["abort/key", UploadId]]);
    expect(await local.proxy.pendingUploads(LOCKED)).toMatchObject([{ key: "abort/key", uploadId: UploadId, parts: 1 }]);

    await s3.send(new AbortMultipartUploadCommand({ Bucket: LOCKED, Key: "abort/key", UploadId }));

    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: LOCKED }))).Uploads ?? []).toEqual([]);
    expect(await local.proxy.pendingUploads(LOCKED)).toEqual([]);
    const late = s3.send(
      new UploadPartCommand({
        Bucket: LOCKED,
        Key: "abort/key",
        UploadId,
        PartNumber: 2,
        Body: Buffer.alloc(10),
        ChecksumAlgorithm: "CRC64NVME",
      }),
    );
    expect(await s3Error(late)).toEqual({ name: "NoSuchUpload", status: 404 });
    expect(await local.proxy.pendingUploads(LOCKED)).toEqual([]);
  });
});
