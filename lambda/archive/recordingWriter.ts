import { createHash } from "node:crypto";
import { pipeline, type Readable, Transform, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";
import { AbortMultipartUploadCommand, GetObjectLegalHoldCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ConditionalUpload, crc32Base64 } from "./conditionalUpload";
import { httpStatus, isPreconditionFailed } from "./s3Errors";

/**
 * Streams one recording into the Object Lock bucket under legal hold, never
 * holding more than queueSize × partSize bytes in memory, then reads the
 * object back to prove the hold and the checksum S3 stored (a full-object
 * CRC32 that must equal the one computed here while streaming).
 *
 * The write is conditional (If-None-Match: * on the single PUT and on
 * CompleteMultipartUpload, see conditionalUpload.ts), so a key can only ever
 * hold one version: a retry or a concurrent delivery gets RecordingExistsError
 * instead of storing a second, undeletable copy.
 */

/** 8 MiB parts × 4 in flight: at most ~32 MiB buffered however long the call. */
export const PART_SIZE_BYTES = 8 * 1024 * 1024;
export const UPLOAD_QUEUE_SIZE = 4;

export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ArchiveError";
  }

  /** Set when aborting the failed multipart upload failed too; the parts then wait for the lifecycle rule. */
  abortFailure?: unknown;
}

/** The download ended with a different number of bytes than announced: the object was not written. */
export class LengthMismatchError extends ArchiveError {
  constructor(
    key: string,
    readonly expectedBytes: number,
    readonly receivedBytes: number,
  ) {
    super(`Recording for ${key} was ${receivedBytes} bytes but ${expectedBytes} were announced; the upload was aborted`, key);
    this.name = "LengthMismatchError";
  }
}

/** S3 refused or failed the upload (the cause says how); any multipart upload was aborted. */
export class ArchiveUploadError extends ArchiveError {
  constructor(key: string, options?: ErrorOptions) {
    super(`Archiving ${key} failed in S3 and was aborted`, key, options);
    this.name = "ArchiveUploadError";
  }
}

/** The media download broke while streaming (connection reset or closed early); nothing was stored. */
export class MediaStreamError extends ArchiveError {
  constructor(key: string, options?: ErrorOptions) {
    super(`The recording's download for ${key} broke while streaming; the upload was aborted`, key, options);
    this.name = "MediaStreamError";
  }
}

/**
 * S3 refused the write because the key already holds a version (If-None-Match: * answered 412): an earlier
 * or concurrent delivery stored it. Carries what this delivery downloaded, to compare with the stored version.
 */
export class RecordingExistsError extends ArchiveError {
  constructor(
    key: string,
    readonly downloaded: { sha256: string; bytes: number },
    options?: ErrorOptions,
  ) {
    super(`${key} already holds a stored version; S3 refused to store a second one`, key, options);
    this.name = "RecordingExistsError";
  }
}

/** Another conditional write of the same key was in flight (409 ConditionalRequestConflict): retry later. */
export class ConcurrentWriteError extends ArchiveError {
  constructor(key: string, options?: ErrorOptions) {
    super(`Another delivery was writing ${key} at the same moment; nothing was stored by this one`, key, options);
    this.name = "ConcurrentWriteError";
  }
}

/** The object was written but reading it back did not prove the hold, version or checksum. */
export class ArchiveVerificationError extends ArchiveError {
  constructor(key: string, problem: string, options?: ErrorOptions) {
    super(`Archived ${key} but could not confirm it: ${problem}`, key, options);
    this.name = "ArchiveVerificationError";
  }
}

export interface ArchiveRecordingInput {
  s3: S3Client;
  bucket: string;
  key: string;
  body: Readable;
  /** Bytes the source announced (Content-Length); a different count aborts the upload. */
  expectedLength?: number;
  kmsKeyArn: string;
  contentType: string;
  /** S3 user metadata: ids only (job, case, conversation, recording), never names or other personal data. */
  metadata: Record<string, string>;
}

/** The full-object checksum S3 verified and reports for a version (CRC64NVME for versions earlier releases wrote). */
export interface StoredChecksum {
  algorithm: "CRC32" | "CRC64NVME";
  type: "FULL_OBJECT";
  /** Base64, as S3 reports it. */
  value: string;
}

export interface ArchivedRecording {
  versionId: string;
  /** Hex SHA-256 of exactly the bytes stored. */
  sha256: string;
  bytes: number;
  checksum: StoredChecksum;
  legalHold: "ON";
}

export { crc32Base64 };

/**
 * Hashes and counts the bytes on their way to S3, and fails the stream if the count is not the announced one.
 * Both digests are native (OpenSSL's SHA-256, zlib's CRC32): each byte is checked at memory speed, once.
 */
class MeasuringStream extends Transform {
  private readonly hash = createHash("sha256");
  bytes = 0;
  crc32 = 0;

  constructor(
    private readonly key: string,
    private readonly expectedLength: number | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedLength !== undefined && this.bytes > this.expectedLength) {
      callback(new LengthMismatchError(this.key, this.expectedLength, this.bytes));
      return;
    }
    this.hash.update(chunk);
    this.crc32 = crc32(chunk, this.crc32);
    callback(null, chunk);
  }

  // Failing in flush, before the stream ends, keeps the uploader from sending the last (or only) part.
  override _flush(callback: TransformCallback): void {
    if (this.expectedLength !== undefined && this.bytes !== this.expectedLength) {
      callback(new LengthMismatchError(this.key, this.expectedLength, this.bytes));
      return;
    }
    callback();
  }

  sha256Hex(): string {
    return this.hash.digest("hex");
  }
}

export async function archiveRecording(input: ArchiveRecordingInput): Promise<ArchivedRecording> {
  const { s3, bucket, key } = input;
  const measured = new MeasuringStream(key, input.expectedLength);
  // pipeline destroys the measuring stream (failing the upload) if the download breaks, and the download if S3 fails.
  pipeline(input.body, measured, () => undefined);
  const upload = new ConditionalUpload({
    s3,
    body: measured,
    partSize: PART_SIZE_BYTES,
    queueSize: UPLOAD_QUEUE_SIZE,
    params: {
      Bucket: bucket,
      Key: key,
      ContentType: input.contentType,
      Metadata: input.metadata,
      ObjectLockLegalHoldStatus: "ON",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: input.kmsKeyArn,
    },
    // S3 verifies it on the PUT or on CompleteMultipartUpload (FULL_OBJECT), and reports it on the read-back.
    wholeObjectCrc32: () => crc32Base64(measured.crc32),
  });
  let sourceError: unknown;
  input.body.on("error", (error) => {
    // A premature close is the pipeline tearing the download down after the upload stopped, not the media failing.
    if ((error as { code?: string }).code !== "ERR_STREAM_PREMATURE_CLOSE") sourceError ??= error;
  });

  let versionId: string | undefined;
  try {
    ({ versionId } = await upload.done());
  } catch (error) {
    // Named before the streams are torn down, whose own errors would blur what happened first.
    const failure = describeFailure(error, sourceError, input, measured);
    measured.destroy();
    input.body.destroy();
    await abortOpenUpload(s3, bucket, key, upload.uploadId, failure);
    throw failure;
  }
  return verifyArchived(s3, bucket, key, versionId, measured.bytes, measured.sha256Hex(), crc32Base64(measured.crc32));
}

/** Names what went wrong: the media (short, broken), S3 refusing a second version, or S3 itself. */
function describeFailure(error: unknown, sourceError: unknown, input: ArchiveRecordingInput, measured: MeasuringStream): ArchiveError {
  const { key } = input;
  if (error instanceof LengthMismatchError) return error;
  // Node's fetch notices a body shorter than its Content-Length before our own count does.
  if (input.expectedLength !== undefined && hasCauseCode(error, "UND_ERR_RES_CONTENT_LENGTH_MISMATCH")) {
    return new LengthMismatchError(key, input.expectedLength, measured.bytes);
  }
  if (sourceError !== undefined) return new MediaStreamError(key, { cause: sourceError ?? error });
  const status = httpStatus(error);
  if (isPreconditionFailed(error)) {
    return new RecordingExistsError(key, { sha256: measured.sha256Hex(), bytes: measured.bytes }, { cause: error });
  }
  if (status === 409 || (error as Error)?.name === "ConditionalRequestConflict") return new ConcurrentWriteError(key, { cause: error });
  return new ArchiveUploadError(key, { cause: error });
}

/**
 * Aborts the multipart upload a failed write left open. A failed abort is
 * attached to the original error (`abortFailure`), never thrown in its place:
 * the parts then wait for the bucket's lifecycle rule.
 */
async function abortOpenUpload(s3: S3Client, bucket: string, key: string, uploadId: string | undefined, failure: ArchiveError) {
  if (!uploadId) return;
  try {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch (abortError) {
    failure.abortFailure = abortError;
  }
}

/** Whether the error, or any error in its cause chain, carries the given code. */
function hasCauseCode(error: unknown, code: string): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 10; depth++) {
    if ((current as { code?: unknown }).code === code) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Reads back what S3 stored: the version we wrote, its size, its CRC64NVME, and the legal hold. */
async function verifyArchived(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string | undefined,
  bytes: number,
  sha256: string,
  crc32: string,
): Promise<ArchivedRecording> {
  if (!versionId)
    throw new ArchiveVerificationError(key, "S3 returned no VersionId; is Object Lock (and so versioning) enabled on the bucket?");
  try {
    // Without VersionId HEAD needs only s3:GetObject; checking the answer's VersionId proves it is the version we wrote.
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    if (head.VersionId !== versionId) throw new ArchiveVerificationError(key, `a newer version ${head.VersionId} replaced ${versionId}`);
    if (head.ContentLength !== undefined && head.ContentLength !== bytes) {
      throw new ArchiveVerificationError(key, `S3 holds ${head.ContentLength} bytes but ${bytes} were sent`);
    }
    if (!head.ChecksumCRC32) throw new ArchiveVerificationError(key, "S3 reports no CRC32 checksum");
    if (head.ChecksumType !== undefined && head.ChecksumType !== "FULL_OBJECT") {
      throw new ArchiveVerificationError(key, `S3 reports a ${head.ChecksumType} CRC32, not the FULL_OBJECT one asked for`);
    }
    if (head.ChecksumCRC32 !== crc32) {
      throw new ArchiveVerificationError(key, `S3's CRC32 of the stored object is ${head.ChecksumCRC32}, but the bytes sent have ${crc32}`);
    }
    if (hold.LegalHold?.Status !== "ON") throw new ArchiveVerificationError(key, `legal hold is ${hold.LegalHold?.Status ?? "absent"}`);
    return { versionId, sha256, bytes, checksum: { algorithm: "CRC32", type: "FULL_OBJECT", value: crc32 }, legalHold: "ON" };
  } catch (error) {
    if (error instanceof ArchiveVerificationError) throw error;
    throw new ArchiveVerificationError(key, "reading the object back failed", { cause: error });
  }
}
