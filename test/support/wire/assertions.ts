import { createHash } from "node:crypto";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { CUSTODY_RECORD_SUFFIX, custodyRecordKeyFor, recordingKey } from "../../../lambda/worker/exportConversation";
import type { WireEnvironment } from "../../../tools/testkit/wire/environment";
import { WIRE_BUCKET } from "../../../tools/testkit/wire/environment";
import { listKeys, openUploads } from "./worker";

/** Assertions shared by the wire tests, each stated as the acceptance criterion it checks. */

export const conversationPrefix = (caseId: string, conversationId: string) => `cases/${caseId}/conversations/${conversationId}/`;

export async function readObject(client: S3Client, key: string): Promise<Buffer> {
  const answer = await client.send(new GetObjectCommand({ Bucket: WIRE_BUCKET, Key: key }));
  return Buffer.from((await answer.Body?.transformToByteArray()) ?? []);
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** No recording without its custody record, no record without its recording, and nothing else (no old-style files). */
export async function expectEveryObjectPaired(client: S3Client, prefix: string): Promise<void> {
  const keys = await listKeys(client, prefix);
  const records = keys.filter((key) => key.endsWith(CUSTODY_RECORD_SUFFIX));
  const others = keys.filter((key) => !key.endsWith(CUSTODY_RECORD_SUFFIX));
  expect(others.filter((key) => key.includes(".custody."))).toEqual([]);
  expect(records.sort()).toEqual(others.map(custodyRecordKeyFor).sort());
}

/** No multipart upload left open anywhere in the bucket: s3rver holds no parts. */
export async function expectNoOpenUploads(wire: WireEnvironment): Promise<void> {
  expect(await openUploads(wire.client)).toEqual([]);
  expect(await wire.s3.proxy.pendingUploads(WIRE_BUCKET)).toEqual([]);
}

/** A failed recording left nothing behind: no object, no custody record, no version, no parts. */
export async function expectNothingStored(wire: WireEnvironment, caseId: string, conversationId: string, recordingId: string) {
  const key = recordingKey(caseId, conversationId, recordingId, "WAV");
  expect(await listKeys(wire.client, key)).toEqual([]);
  expect(wire.s3.proxy.versions(WIRE_BUCKET, key)).toEqual([]);
  expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key))).toEqual([]);
  await expectNoOpenUploads(wire);
}

/** Every multipart upload the worker started for `key` was aborted (the proxy saw AbortMultipartUpload succeed). */
export function expectStartedUploadsAborted(wire: WireEnvironment, key: string): void {
  const started = wire.s3.proxy.requests.filter((r) => r.operation === "CreateMultipartUpload" && r.key === key && r.status === 200);
  const aborted = wire.s3.proxy.requests.filter((r) => r.operation === "AbortMultipartUpload" && r.key === key && r.status === 204);
  expect(started.length).toBeGreaterThan(0);
  expect(aborted.map((r) => r.uploadId).sort()).toEqual(started.map((r) => r.uploadId).sort());
}
