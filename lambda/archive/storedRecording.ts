import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { GetObjectCommand, GetObjectLegalHoldCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type ArchivedRecording, ArchiveVerificationError, crc32Base64, type StoredChecksum } from "./recordingWriter";
import { httpStatus } from "./s3Errors";

/**
 * Adopting a recording an earlier or concurrent delivery already stored (the
 * key holds a version but no custody record: a container killed after the
 * upload, a signing failure, two deliveries at once). Rather than store a
 * second, undeletable copy, the worker proves what is there: its version,
 * size, full-object checksum and legal hold, and the SHA-256 (and CRC32) of
 * its bytes, streamed back once.
 */

export interface AdoptedRecording extends ArchivedRecording {
  /** When S3 stored the version (its Last-Modified). */
  storedAt: Date;
}

/** Whether the key holds a version; a 403 (no s3:ListBucket) is an error, not "missing". */
export async function recordingStored(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error)?.name === "NotFound" || httpStatus(error) === 404) return false;
    throw new ArchiveVerificationError(key, "could not tell whether the key already holds a version (needs s3:ListBucket)", {
      cause: error,
    });
  }
}

export async function adoptStoredRecording(s3: S3Client, bucket: string, key: string): Promise<AdoptedRecording> {
  try {
    // Without VersionId HEAD and GET need only s3:GetObject; each answer's VersionId is compared instead.
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    const versionId = head.VersionId;
    if (!versionId) throw new ArchiveVerificationError(key, "the stored object has no VersionId; is Object Lock enabled on the bucket?");
    // Versions this release stores carry a full-object CRC32; those earlier releases stored, a CRC64NVME.
    const checksum: StoredChecksum | undefined = head.ChecksumCRC32
      ? { algorithm: "CRC32", type: "FULL_OBJECT", value: head.ChecksumCRC32 }
      : head.ChecksumCRC64NVME
        ? { algorithm: "CRC64NVME", type: "FULL_OBJECT", value: head.ChecksumCRC64NVME }
        : undefined;
    if (!checksum) throw new ArchiveVerificationError(key, "S3 reports no CRC32 or CRC64NVME checksum for the stored version");
    if (head.ChecksumType !== undefined && head.ChecksumType !== "FULL_OBJECT") {
      throw new ArchiveVerificationError(key, `S3 reports a ${head.ChecksumType} checksum for the stored version, not a FULL_OBJECT one`);
    }
    if (!head.LastModified) throw new ArchiveVerificationError(key, "S3 reports no Last-Modified for the stored version");
    const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    if (hold.LegalHold?.Status !== "ON") {
      throw new ArchiveVerificationError(key, `the stored version's legal hold is ${hold.LegalHold?.Status ?? "absent"}`);
    }
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (object.VersionId !== versionId)
      throw new ArchiveVerificationError(key, `a newer version ${object.VersionId} replaced ${versionId}`);
    const hash = createHash("sha256");
    let bytes = 0;
    let crc = 0;
    for await (const chunk of (object.Body ?? []) as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      crc = crc32(chunk, crc);
      bytes += chunk.length;
    }
    // A CRC32 is checked here too (natively); a CRC64NVME of an older version is left to S3.
    if (checksum.algorithm === "CRC32" && crc32Base64(crc) !== checksum.value) {
      throw new ArchiveVerificationError(key, `the bytes read back have CRC32 ${crc32Base64(crc)}, but S3 reports ${checksum.value}`);
    }
    if (head.ContentLength !== undefined && head.ContentLength !== bytes) {
      throw new ArchiveVerificationError(key, `S3 announced ${head.ContentLength} bytes but ${bytes} were read back`);
    }
    return {
      versionId,
      sha256: hash.digest("hex"),
      bytes,
      checksum,
      legalHold: "ON",
      storedAt: head.LastModified,
    };
  } catch (error) {
    if (error instanceof ArchiveVerificationError) throw error;
    throw new ArchiveVerificationError(key, "reading the stored version back failed", { cause: error });
  }
}
