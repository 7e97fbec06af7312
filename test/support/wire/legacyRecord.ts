import { createHash } from "node:crypto";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { canonicalJsonBytes } from "../../../lambda/custody/canonicalJson";
import type { ExportJob } from "../../../lambda/intake/exportRequest";
import { recordingKey } from "../../../lambda/worker/exportConversation";
import {
  WIRE_BUCKET,
  WIRE_FUNCTION_ARN,
  WIRE_KMS_KEY_ARN,
  WIRE_REGION,
  type WireEnvironment,
} from "../../../tools/testkit/wire/environment";
import { S3RVER_CREDENTIALS } from "../../../tools/testkit/wire/s3";
import { buildManifest } from "../legacyCustodyManifest";

/**
 * Stores a recording as an earlier release archived it: the media, a
 * canonical-JSON manifest, and a signature file over the manifest's digest
 * (signed by the fake KMS), so tests can check that today's tools still read
 * the two-file records kept in archives for years.
 */
export async function storeLegacyRecording(wire: WireEnvironment, job: ExportJob, recordingId: string, media: Buffer): Promise<string> {
  const key = recordingKey(job.caseId, job.conversationId, recordingId, "WAV");
  const put = (objectKey: string, body: Buffer) =>
    wire.client.send(
      new PutObjectCommand({
        Bucket: WIRE_BUCKET,
        Key: objectKey,
        Body: body,
        ObjectLockLegalHoldStatus: "ON",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: WIRE_KMS_KEY_ARN,
        ChecksumAlgorithm: "CRC64NVME",
      }),
    );
  const stored = await put(key, media);
  const [version] = wire.s3.proxy.versions(WIRE_BUCKET, key);
  const manifestBytes = canonicalJsonBytes(
    buildManifest({
      job,
      recordingId,
      source: { host: "media.example", path: `/${recordingId}.wav` },
      formatId: "WAV",
      contentType: "audio/wav",
      bucket: WIRE_BUCKET,
      key,
      stored: {
        versionId: stored.VersionId ?? "",
        sha256: createHash("sha256").update(media).digest("hex"),
        bytes: media.length,
        checksumCRC64NVME: version?.checksumCRC64NVME ?? "",
        legalHold: "ON",
      },
      downloadStartedAt: new Date(),
      storedAt: new Date(),
      functionArn: WIRE_FUNCTION_ARN,
      awsRequestId: "legacy-request",
      deletionProtection: { status: "applied" },
    }),
  );
  const kms = new KMSClient({ region: WIRE_REGION, endpoint: wire.kms.endpoint, credentials: S3RVER_CREDENTIALS });
  const manifestSha256 = createHash("sha256").update(manifestBytes).digest();
  const signed = await kms.send(
    new SignCommand({ KeyId: wire.kms.keyArn, Message: manifestSha256, MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" }),
  );
  kms.destroy();
  await put(`${key}.custody.json`, manifestBytes);
  await put(
    `${key}.custody.sig.json`,
    canonicalJsonBytes({
      schemaVersion: 1,
      manifestKey: `${key}.custody.json`,
      manifestSha256: manifestSha256.toString("hex"),
      algorithm: "ECDSA_SHA_256",
      messageType: "DIGEST",
      signingKeyArn: wire.kms.keyArn,
      signature: Buffer.from(signed.Signature ?? []).toString("base64"),
      signedAt: new Date().toISOString(),
    }),
  );
  return key;
}
