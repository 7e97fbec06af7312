import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * Aborts multipart uploads of a recording's key that nobody will complete:
 * a worker killed mid-upload cannot abort its own, and once the recording's
 * custody record exists any upload still open for that key could only end
 * in a 412. Called when a recording is done, so a crash never leaves parts
 * billed until the lifecycle rule clears them.
 *
 * Best effort by design: the recording and its record are already safe, so
 * a failure here is answered (for a log line), never thrown.
 */

export interface AbandonedUploadsOutcome {
  aborted: string[];
  /** Why listing or aborting failed, when it did. */
  problem?: string;
}

export async function abortAbandonedUploads(s3: S3Client, bucket: string, key: string): Promise<AbandonedUploadsOutcome> {
  const aborted: string[] = [];
  try {
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
    for (const upload of listed.Uploads ?? []) {
      // The prefix also matches longer keys (the custody record's): only this exact key's uploads are ours.
      if (upload.Key !== key || !upload.UploadId) continue;
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId }));
      aborted.push(upload.UploadId);
    }
    return { aborted };
  } catch (error) {
    const name = (error as Error)?.name ?? "Error";
    return { aborted, problem: `${name}: ${(error as Error)?.message ?? String(error)}` };
  }
}
