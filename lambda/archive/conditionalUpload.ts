import { crc32 } from "node:zlib";
import {
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

/**
 * Streams one object into S3 with a conditional write, in bounded memory:
 * a single PutObject when the body fits in one part, otherwise a multipart
 * upload of `partSize` parts, at most `queueSize` in flight. Both the PUT and
 * CompleteMultipartUpload carry `If-None-Match: *` and the object's
 * full-object CRC32, so S3 stores it only if the key holds nothing yet and
 * only if the bytes it received are the bytes that were sent.
 *
 * Why not @aws-sdk/lib-storage: it assembles each part with Buffer.concat
 * into a freshly allocated buffer, and the page faults of that new memory
 * were the largest single cost of an export (about 0.5 s per 100 MB on the
 * build machine, more than hashing). Here parts are copied into buffers
 * taken from a small pool and reused across parts and uploads. It also
 * cannot send the full-object checksum with CompleteMultipartUpload (known
 * only once the body has ended), and its own abort throws the abort's error
 * in place of the failure.
 *
 * On failure `done()` rejects with the first error once no part is in flight
 * any more; `uploadId` then names the multipart upload the caller must abort.
 */

export interface ConditionalUploadParams {
  Bucket: string;
  Key: string;
  ContentType: string;
  Metadata: Record<string, string>;
  ObjectLockLegalHoldStatus: "ON";
  ServerSideEncryption: "aws:kms";
  SSEKMSKeyId: string;
}

export interface ConditionalUploadOptions {
  s3: S3Client;
  params: ConditionalUploadParams;
  body: AsyncIterable<Buffer>;
  partSize: number;
  queueSize: number;
  /** The base64 CRC32 of the whole body, asked for once the body has ended. */
  wholeObjectCrc32: () => string;
}

/** Base64 of a CRC32's 4 big-endian bytes, as S3 writes it in x-amz-checksum-crc32. */
export function crc32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString("base64");
}

/**
 * Signs the request without hashing its body (x-amz-content-sha256: UNSIGNED-PAYLOAD). The body's integrity
 * is the CRC32 S3 verifies, and the custody SHA-256 is computed once while streaming: SigV4's own SHA-256 of
 * every part would be a third pass over each byte (about as costly as the custody hash, per the profile).
 */
type BuildStep = (args: { request: unknown }) => Promise<unknown>;
/** The one shape of middlewareStack.add used here (the SDK's overloads do not unify across command types). */
type BuildStack = { add(middleware: (next: BuildStep) => BuildStep, options: { step: "build"; name: string }): void };

function unsignedPayload<T extends PutObjectCommand | UploadPartCommand>(command: T): T {
  (command.middlewareStack as unknown as BuildStack).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      return next(args);
    },
    { step: "build", name: "unsignedPayloadForChecksummedBody" },
  );
  return command;
}

/** Free part buffers, by size; memory already touched, so copying into them costs no page faults. */
const freeBuffers = new Map<number, Buffer[]>();
const MAX_FREE_PER_SIZE = 8;

function takeBuffer(size: number): Buffer {
  return freeBuffers.get(size)?.pop() ?? Buffer.allocUnsafe(size);
}

function giveBack(buffer: Buffer): void {
  const free = freeBuffers.get(buffer.length) ?? [];
  if (free.length < MAX_FREE_PER_SIZE) free.push(buffer);
  freeBuffers.set(buffer.length, free);
}

export class ConditionalUpload {
  /** Set once CreateMultipartUpload answered; the caller aborts it if `done()` fails. */
  uploadId: string | undefined;

  constructor(private readonly options: ConditionalUploadOptions) {}

  /** Uploads the whole body; answers the VersionId S3 gave the object. */
  async done(): Promise<{ versionId: string | undefined }> {
    const { s3, params, partSize, queueSize } = this.options;
    const parts: CompletedPart[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    let partNumber = 0;
    let total = 0;

    const sendPart = async (buffer: Buffer, length: number) => {
      if (!this.uploadId) {
        const created = await s3.send(
          new CreateMultipartUploadCommand({ ...params, ChecksumAlgorithm: "CRC32", ChecksumType: "FULL_OBJECT" }),
        );
        if (!created.UploadId) throw new Error("S3 answered CreateMultipartUpload without an UploadId");
        this.uploadId = created.UploadId;
      }
      while (inFlight.size >= queueSize) await Promise.race(inFlight);
      if (failure) throw failure.error;
      partNumber += 1;
      const number = partNumber;
      const data = buffer.subarray(0, length);
      // Computed here (natively) and sent, so the SDK does not checksum the part a second time.
      const checksum = crc32Base64(crc32(data));
      const sent: Promise<void> = s3
        .send(
          unsignedPayload(
            new UploadPartCommand({
              Bucket: params.Bucket,
              Key: params.Key,
              UploadId: this.uploadId,
              PartNumber: number,
              Body: data,
              ContentLength: length,
              ChecksumCRC32: checksum,
            }),
          ),
        )
        .then(
          (answer) => {
            parts.push({ PartNumber: number, ETag: answer.ETag, ChecksumCRC32: answer.ChecksumCRC32 ?? checksum });
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          inFlight.delete(sent);
          giveBack(buffer);
        });
      inFlight.add(sent);
    };

    let current = takeBuffer(partSize);
    let filled = 0;
    try {
      for await (const chunk of this.options.body) {
        total += chunk.length;
        for (let offset = 0; offset < chunk.length; ) {
          const n = Math.min(chunk.length - offset, partSize - filled);
          chunk.copy(current, filled, offset, offset + n);
          filled += n;
          offset += n;
          if (filled === partSize) {
            const full = current;
            current = takeBuffer(partSize);
            filled = 0;
            await sendPart(full, partSize);
          }
        }
        if (failure) throw failure.error;
      }
      if (partNumber === 0) {
        // The whole body fitted in one part: one conditional PUT.
        const answer = await s3.send(
          unsignedPayload(
            new PutObjectCommand({
              ...params,
              Body: current.subarray(0, filled),
              ContentLength: filled,
              ChecksumAlgorithm: "CRC32",
              ChecksumCRC32: this.options.wholeObjectCrc32(),
              IfNoneMatch: "*",
            }),
          ),
        );
        return { versionId: answer.VersionId };
      }
      if (filled > 0) await sendPart(current, filled);
      await Promise.all(inFlight);
      if (failure) throw failure.error;
      parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
      const answer = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: params.Bucket,
          Key: params.Key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: parts },
          ChecksumType: "FULL_OBJECT",
          ChecksumCRC32: this.options.wholeObjectCrc32(),
          MpuObjectSize: total,
          IfNoneMatch: "*",
        }),
      );
      return { versionId: answer.VersionId };
    } catch (error) {
      // No part may still be reading a buffer (or be left uncounted) when the caller aborts.
      await Promise.allSettled(inFlight);
      throw error;
    } finally {
      if (filled === 0 || partNumber === 0) giveBack(current);
    }
  }
}
