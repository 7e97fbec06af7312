import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { KMSClient } from "@aws-sdk/client-kms";
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { SQSRecord } from "aws-lambda";
import { vi } from "vitest";
import { bundleHandler } from "../../../components/lambdaBundle";
import {
  CASE_ROUTING_SCHEMA,
  type CaseRouting,
  caseExportRecordKey,
  caseRoutingBytes,
  caseRoutingKey,
} from "../../../lambda/bulk/caseRouting";
import { exportStatement, writeRecordOnce } from "../../../lambda/caseExport/caseRecords";
import { createCustodySigner } from "../../../lambda/custody/custodySigner";
import {
  startWireEnvironment,
  WIRE_BUCKET,
  WIRE_KMS_KEY_ARN,
  WIRE_REGION,
  WIRE_SIGNING_KEY_ARN,
  type WireEnvironment,
  type WireEnvironmentOptions,
} from "../../../tools/testkit/wire/environment";
import { caseExportPredicate } from "../caseExportPredicate";
import { sqsRecord, type WorkerHandler } from "./worker";

/**
 * The landing sealer on the wire: the landing bucket (no Object Lock) beside
 * the archive (Object Lock) on one s3rver behind the proxy, the fake KMS, and
 * builders for what Genesys and the case export put into the landing bucket.
 */

export const LANDING_BUCKET = "legal-hold-landing-wire";
export const ORG_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

export function sealerEnvFor(wire: WireEnvironment): Record<string, string> {
  return { ...wire.workerEnv, LANDING_BUCKET, GENESYS_ORGANIZATION_ID: ORG_ID, AWS_LAMBDA_FUNCTION_NAME: "legal-hold-landing-sealer" };
}

/** Builds (or reuses) the sealer's bundle as it ships; answers the path of its index.js. */
export function buildSealerBundle(): string {
  const { directory } = bundleHandler("landing-sealer", join(__dirname, "..", "..", "..", "lambda", "bulk", "sealerHandler.ts"));
  return join(directory, "index.js");
}

/** Starts the fakes, stubs the sealer's environment and imports the real handler (its cold start). */
export async function startSealerOnWire(options: WireEnvironmentOptions = {}): Promise<{ wire: WireEnvironment; handler: WorkerHandler }> {
  const wire = await startWireEnvironment({ ...options, plainBuckets: [LANDING_BUCKET] });
  for (const [name, value] of Object.entries(sealerEnvFor(wire))) vi.stubEnv(name, value);
  const { handler } = await import("../../../lambda/bulk/sealerHandler");
  return { wire, handler };
}

export interface LandedRecording {
  conversationId: string;
  recordingId: string;
  fileName: string;
  key: string;
  metadataKey: string;
  bytes: Buffer;
}

/** Deterministic media bytes of a given size, different per seed. */
export function mediaBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17) & 0xff;
  return bytes;
}

export function landingFolder(conversationId: string): string {
  // Unpadded month and day, padded hour: Genesys' padding is not documented, and both must work.
  return `${ORG_ID}/year=2026/month=3/day=4/hour=05/conversation_id=${conversationId}/`;
}

/** What Genesys' bulk export puts into the landing bucket: the recording, then its metadata (unless told not to). */
export async function landRecording(
  client: S3Client,
  options: { conversationId: string; recordingId?: string; bytes: Buffer; extension?: string; metadata?: Record<string, unknown> | null },
): Promise<LandedRecording> {
  const recordingId = options.recordingId ?? randomUUID();
  const fileName = `${recordingId}${options.extension ?? ".opus"}`;
  const folder = landingFolder(options.conversationId);
  const key = `${folder}${fileName}`;
  const metadataKey = `${folder}${recordingId}_metadata.json`;
  await client.send(new PutObjectCommand({ Bucket: LANDING_BUCKET, Key: key, Body: options.bytes, ContentType: "audio/ogg" }));
  if (options.metadata !== null) {
    const metadata = {
      conversationId: options.conversationId,
      recordingId,
      mediaType: "Call",
      provider: "edge",
      userIds: [randomUUID()],
      participantName: "Jane Doe",
      ...options.metadata,
    };
    await client.send(new PutObjectCommand({ Bucket: LANDING_BUCKET, Key: metadataKey, Body: JSON.stringify(metadata) }));
  }
  return { conversationId: options.conversationId, recordingId, fileName, key, metadataKey, bytes: options.bytes };
}

/** What the case export writes before it starts the Genesys job. */
export async function routeConversation(client: S3Client, conversationId: string, caseId: string, exportId = randomUUID()) {
  const routing: CaseRouting = {
    schema: CASE_ROUTING_SCHEMA,
    caseId,
    conversationId,
    exportId,
    requestedBy: "Legal Ops",
    requestedAt: "2026-03-04T06:00:00.000Z",
    caseRecordKey: caseExportRecordKey(caseId, exportId),
    deletionProtection: { status: "applied" },
  };
  await writeCaseExportRecord(client, caseId, exportId, [conversationId]);
  await client.send(
    new PutObjectCommand({
      Bucket: LANDING_BUCKET,
      Key: caseRoutingKey(conversationId, caseId),
      Body: caseRoutingBytes(routing),
      IfNoneMatch: "*",
    }),
  );
  return routing;
}

/** The signed case-export record the routing points at, by the case export's own writer and the wire's KMS key. */
async function writeCaseExportRecord(client: S3Client, caseId: string, exportId: string, conversationIds: string[]) {
  const signer = createCustodySigner({
    kms: new KMSClient({ region: WIRE_REGION, endpoint: process.env.AWS_ENDPOINT_URL_KMS }),
    signingKeyArn: WIRE_SIGNING_KEY_ARN,
  });
  await writeRecordOnce(
    { s3: client, bucket: WIRE_BUCKET, kmsKeyArn: WIRE_KMS_KEY_ARN, signer },
    caseExportRecordKey(caseId, exportId),
    exportStatement(caseExportPredicate(caseId, exportId, conversationIds)),
  );
}

/** The SQS message S3 sends for new landing objects (keys URL-encoded, as S3 does). */
export function landingEvent(keys: string[], messageId: string = randomUUID(), receiveCount = 1): SQSRecord {
  const body = {
    Records: keys.map((key) => ({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      eventName: "ObjectCreated:Put",
      s3: { bucket: { name: LANDING_BUCKET }, object: { key: encodeURIComponent(key).replace(/%2F/g, "/"), size: 1 } },
    })),
  };
  return sqsRecord(JSON.stringify(body), messageId, receiveCount);
}

export async function landingKeys(client: S3Client, prefix = `${ORG_ID}/`): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: LANDING_BUCKET, Prefix: prefix }));
  return (answer.Contents ?? []).map((object) => object.Key ?? "").sort();
}

/** The reason and retryability of the sealer's "sealing failed" line for a message. */
export function sealFailureLogged(logs: Array<Record<string, unknown>>, messageId: string) {
  const line = logs.find((entry) => entry.message === "sealing failed" && entry.messageId === messageId);
  return line ? { reason: line.reason as string, retryable: line.retryable as boolean, level: line.level as string } : undefined;
}
