import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from "@aws-sdk/client-s3";
import { isPreconditionFailed } from "../archive/s3Errors";
import { canonicalJsonBytes } from "./canonicalJson";
import type { CustodySigner } from "./custodySigner";
import { IN_TOTO_PAYLOAD_TYPE } from "./dsse";

/** What a record's PUT sets beyond the body and the write-once condition (legal hold, SSE-KMS key, metadata). */
export type RecordObjectSettings = Omit<
  PutObjectCommandInput,
  "Bucket" | "Key" | "Body" | "ContentType" | "ChecksumAlgorithm" | "IfNoneMatch"
>;

/**
 * Signs an in-toto statement as a DSSE envelope and stores it under `key`
 * only if nothing is there yet (If-None-Match: *): every signed record of the
 * archive (custody, case export, release) is evidence, written once. "exists"
 * when S3 refused the write because the key already holds an object (another
 * delivery or run stored it first; the caller decides whether that one will
 * do). A signing error is thrown as it is; any other failed write through
 * `writeError`, which names the record.
 */
export async function putSignedRecordOnce(
  target: { s3: S3Client; signer: CustodySigner; bucket: string },
  key: string,
  statement: unknown,
  settings: RecordObjectSettings,
  writeError: (cause: unknown) => Error,
): Promise<"written" | "exists"> {
  const envelope = await target.signer.signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, canonicalJsonBytes(statement));
  try {
    await target.s3.send(
      new PutObjectCommand({
        ...settings,
        Bucket: target.bucket,
        Key: key,
        Body: canonicalJsonBytes(envelope),
        ContentType: "application/json",
        ChecksumAlgorithm: "CRC32",
        IfNoneMatch: "*",
      }),
    );
    return "written";
  } catch (error) {
    if (isPreconditionFailed(error)) return "exists";
    throw writeError(error);
  }
}
