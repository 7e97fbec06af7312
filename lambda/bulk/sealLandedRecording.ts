import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { httpStatus } from "../archive/s3Errors";
import {
  CustodyConflictError,
  custodyRecordExists,
  custodyRecordKeyFor,
  recordedSubjectSha256,
  type SealDeps,
  type SealOutcome,
  sealRecording,
} from "../archive/sealRecording";
import { type BulkExportOrigin, buildCustodyStatement } from "../custody/custodyStatement";
import { type CaseRouting, caseRoutingPrefix, parseCaseRouting } from "./caseRouting";
import { type ReadMetadata, readExportedMetadata } from "./exportedMetadata";
import { type LandingRecording, metadataKeysFor, parseLandingKey } from "./landingKey";

/**
 * Takes one recording Genesys bulk-exported into the landing bucket into the
 * archive, once per case that routes its conversation, with the same sealing
 * (conditional upload under legal hold, adoption, one signed custody record)
 * as the pull path. The landing recording and its metadata are deleted only
 * when every routed case holds a copy with a record describing exactly the
 * landing bytes; until then the message fails and is redelivered.
 *
 * Landing the same key twice: with the same bytes, every case is already
 * sealed and the copy is cleaned up; with other bytes, nothing is chosen
 * silently — the sealed version stays the evidence, the landing copy stays,
 * and LandingBytesDifferError sends the message to the dead-letter queue (a
 * record written during the race names both digests, see sealRecording).
 */

export class SealerError extends Error {
  constructor(
    message: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "SealerError";
  }
}

/** The recording landed but its `_metadata.json` has not (yet): retried until it does. */
export class MetadataNotLandedError extends SealerError {
  constructor(key: string, candidates: string[]) {
    super(`No Genesys metadata beside ${key} yet (looked for ${candidates.join(", ")}); retried later`, key);
    this.name = "MetadataNotLandedError";
  }
}

/** The landing bytes differ from those an archive copy was already sealed with: a person must look. */
export class LandingBytesDifferError extends SealerError {
  constructor(
    key: string,
    readonly archiveKey: string,
    readonly sealed: { sha256: string; bytes?: number },
    readonly landed: { sha256: string; bytes: number },
  ) {
    super(
      `The landing object ${key} (sha256 ${landed.sha256}, ${landed.bytes} bytes) differs from the copy already sealed at ${archiveKey} ` +
        `(sha256 ${sealed.sha256}); the sealed copy stays the evidence and the landing copy is kept for a person to resolve`,
      key,
    );
    this.name = "LandingBytesDifferError";
  }
}

export interface SealerDeps extends SealDeps {
  landingBucket: string;
  organizationId: string;
  /** The sealer invocation, recorded in each custody record. */
  functionArn: string;
  awsRequestId: string;
}

export type CaseOutcome = { caseId: string } & Exclude<SealOutcome<never>, { status: "unavailable" }>;

export type LandedOutcome =
  | { status: "metadata-file"; key: string }
  /** Already sealed and cleaned up by an earlier delivery (or expired): nothing to do. */
  | { status: "gone"; key: string; deleted: string[] }
  /** No case routes the conversation: left for the landing bucket's expiry (and its alarm). */
  | { status: "unrouted"; key: string; conversationId: string }
  | { status: "sealed"; key: string; cases: CaseOutcome[]; deleted: string[] };

const isMissing = (error: unknown) =>
  (error as Error)?.name === "NotFound" || (error as Error)?.name === "NoSuchKey" || httpStatus(error) === 404;

export function archiveKeyFor(caseId: string, recording: LandingRecording): string {
  return `cases/${caseId}/conversations/${recording.conversationId}/recordings/${recording.fileName}`;
}

async function headLanding(s3: S3Client, bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The version of the landing object this delivery inspected: reads and deletes are pinned to it. */
interface LandingVersion {
  key: string;
  versionId: string | undefined;
  etag: string | undefined;
  bytes: number;
  contentType: string | undefined;
}

function openLanding(s3: S3Client, bucket: string, landing: LandingVersion): Promise<GetObjectCommandOutput> {
  // IfMatch: a recording landing again between HEAD and GET is refused (412), never sealed under the first one's facts.
  return s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: landing.key,
      VersionId: landing.versionId,
      IfMatch: landing.etag,
      ChecksumMode: "ENABLED",
    }),
  );
}

async function readMetadata(deps: SealerDeps, recording: LandingRecording): Promise<{ read: ReadMetadata; versionId?: string }> {
  const candidates = metadataKeysFor(recording);
  for (const key of candidates) {
    let answer: GetObjectCommandOutput;
    try {
      answer = await deps.s3.send(new GetObjectCommand({ Bucket: deps.landingBucket, Key: key }));
    } catch (error) {
      if (isMissing(error)) continue;
      throw error;
    }
    const body = (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
    return { read: readExportedMetadata(key, body, recording), versionId: answer.VersionId };
  }
  throw new MetadataNotLandedError(recording.key, candidates);
}

type StoredRouting = CaseRouting & { routingKey: string };

async function readRoutings(deps: SealerDeps, conversationId: string): Promise<StoredRouting[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.send(
      new ListObjectsV2Command({ Bucket: deps.landingBucket, Prefix: caseRoutingPrefix(conversationId), ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const routings: StoredRouting[] = [];
  for (const key of keys.sort()) {
    const answer = await deps.s3.send(new GetObjectCommand({ Bucket: deps.landingBucket, Key: key }));
    routings.push({ ...parseCaseRouting((await answer.Body?.transformToString("utf8")) ?? "", key), routingKey: key });
  }
  return routings;
}

async function digestOf(body: Readable | undefined): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of (body ?? []) as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Seals (or confirms) the landing recording for one routed case. */
async function sealForCase(
  deps: SealerDeps,
  recording: LandingRecording,
  landing: LandingVersion,
  metadata: ReadMetadata,
  routing: StoredRouting,
  landingDigest: () => Promise<{ sha256: string; bytes: number }>,
): Promise<CaseOutcome> {
  const { caseId } = routing;
  const key = archiveKeyFor(caseId, recording);
  const contentType = landing.contentType ?? "application/octet-stream";
  const bulkExport: BulkExportOrigin = {
    landing: {
      bucket: deps.landingBucket,
      key: landing.key,
      versionId: landing.versionId ?? null,
      etag: landing.etag ?? null,
      bytes: landing.bytes,
    },
    genesysMetadata: { key: metadata.key, bytes: metadata.bytes, sha256: metadata.sha256, summary: metadata.summary },
    routing: {
      key: routing.routingKey,
      exportId: routing.exportId,
      caseRecordKey: routing.caseRecordKey,
      requestedBy: routing.requestedBy,
      requestedAt: routing.requestedAt,
    },
  };
  const job = {
    jobId: routing.exportId,
    caseId,
    conversationId: recording.conversationId,
    requestedAt: routing.requestedAt,
    ...(routing.requestedBy === null ? {} : { requestedBy: routing.requestedBy }),
  };
  const sealed = await sealRecording<{ landingKey: string }, never>(
    {
      key,
      contentType,
      metadata: {
        "export-id": routing.exportId,
        "case-id": caseId,
        "conversation-id": recording.conversationId,
        "recording-id": recording.recordingId,
      },
      logContext: { caseId, recordingId: recording.recordingId },
      open: async () => {
        const object = await openLanding(deps.s3, deps.landingBucket, landing);
        return { opened: { body: object.Body as Readable, contentLength: landing.bytes, source: { landingKey: landing.key } } };
      },
      statement: (facts) =>
        buildCustodyStatement({
          job,
          recordingId: recording.recordingId,
          formatId: recording.extension?.toUpperCase() ?? "UNSPECIFIED",
          contentType,
          bucket: deps.bucket,
          key,
          deletionProtection: routing.deletionProtection,
          functionArn: deps.functionArn,
          awsRequestId: deps.awsRequestId,
          stored: facts.stored,
          storage: facts.storage,
          // The origin is the landing object, named in bulkExport; there is no Genesys media URI.
          source: null,
          downloadStartedAt: facts.downloadStartedAt,
          storedAt: facts.storedAt,
          bulkExport,
        }),
    },
    deps,
  );
  if (sealed.status === "unavailable") throw new Error("unreachable: the landing object is always available");
  // Uploaded from these very bytes: nothing to compare.
  if (sealed.status === "archived") return { caseId, ...sealed };
  if (sealed.status === "adopted" && sealed.freshDownloadDiffers) {
    throw new LandingBytesDifferError(landing.key, key, { sha256: sealed.sha256, bytes: sealed.bytes }, sealed.freshDownloadDiffers);
  }
  // Adopted or sealed earlier: the copy must describe exactly the landing bytes before the landing copy may go.
  const sealedSha256 =
    sealed.status === "adopted" ? sealed.sha256 : await recordedSubjectSha256(deps.s3, deps.bucket, custodyRecordKeyFor(key));
  if (sealedSha256 === undefined) throw new CustodyConflictError(custodyRecordKeyFor(key), undefined, (await landingDigest()).sha256);
  const landed = await landingDigest();
  if (landed.sha256 !== sealedSha256) throw new LandingBytesDifferError(landing.key, key, { sha256: sealedSha256 }, landed);
  return { caseId, ...sealed };
}

/**
 * A delivery killed between deleting the recording and deleting its metadata
 * leaves the metadata behind. It goes too, but only when every routed case
 * holds the recording's custody record: a recording that merely expired
 * unsealed keeps its metadata for a person to look at.
 */
async function removeLeftoverMetadata(deps: SealerDeps, recording: LandingRecording): Promise<string[]> {
  const leftovers: string[] = [];
  for (const key of metadataKeysFor(recording)) if (await headLanding(deps.s3, deps.landingBucket, key)) leftovers.push(key);
  if (leftovers.length === 0) return [];
  const routings = await readRoutings(deps, recording.conversationId);
  if (routings.length === 0) return [];
  for (const routing of routings) {
    if (!(await custodyRecordExists(deps.s3, deps.bucket, archiveKeyFor(routing.caseId, recording)))) return [];
  }
  for (const key of leftovers) await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.landingBucket, Key: key }));
  return leftovers;
}

export async function sealLandedObject(landingKey: string, deps: SealerDeps): Promise<LandedOutcome> {
  const parsed = parseLandingKey(landingKey, deps.organizationId);
  // A metadata file is read with its recording; its own event has nothing to do.
  if (parsed.kind === "metadata") return { status: "metadata-file", key: landingKey };
  const recording = parsed;
  const head = await headLanding(deps.s3, deps.landingBucket, landingKey);
  if (!head) {
    const deleted = await removeLeftoverMetadata(deps, recording);
    deps.logger.info("the landing recording is gone: sealed and cleaned up by an earlier delivery, or expired", {
      key: landingKey,
      deleted,
    });
    return { status: "gone", key: landingKey, deleted };
  }
  const landing: LandingVersion = {
    key: landingKey,
    versionId: head.VersionId,
    etag: head.ETag,
    bytes: head.ContentLength ?? 0,
    contentType: head.ContentType,
  };
  const metadata = await readMetadata(deps, recording);
  const routings = await readRoutings(deps, recording.conversationId);
  if (routings.length === 0) {
    deps.logger.warn("no case routes this conversation; the recording stays in the landing bucket until its expiry", {
      key: landingKey,
      conversationId: recording.conversationId,
    });
    return { status: "unrouted", key: landingKey, conversationId: recording.conversationId };
  }

  let digest: Promise<{ sha256: string; bytes: number }> | undefined;
  const landingDigest = () => {
    digest ??= openLanding(deps.s3, deps.landingBucket, landing).then((object) => digestOf(object.Body as Readable));
    return digest;
  };
  const cases: CaseOutcome[] = [];
  // One case at a time: each streams the whole recording with bounded memory.
  for (const routing of routings) cases.push(await sealForCase(deps, recording, landing, metadata.read, routing, landingDigest));

  // Every routed case holds a verified copy and its record: only now may the landing copy go, pinned to the version sealed.
  const deleted: string[] = [];
  for (const [key, versionId] of [
    [landingKey, landing.versionId],
    [metadata.read.key, metadata.versionId],
  ] as const) {
    await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.landingBucket, Key: key, VersionId: versionId }));
    deleted.push(key);
  }
  deps.logger.info("landing recording sealed into every routed case and removed from the landing bucket", {
    key: landingKey,
    cases: cases.map((c) => ({ caseId: c.caseId, status: c.status, key: c.key })),
  });
  return { status: "sealed", key: landingKey, cases, deleted };
}
