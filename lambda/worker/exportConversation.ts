import type { Logger } from "@aws-lambda-powertools/logger";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { abortAbandonedUploads } from "../archive/abandonedUploads";
import { type ArchivedRecording, archiveRecording, RecordingExistsError } from "../archive/recordingWriter";
import { httpStatus, isPreconditionFailed } from "../archive/s3Errors";
import { adoptStoredRecording, recordingStored } from "../archive/storedRecording";
import { canonicalJsonBytes } from "../custody/canonicalJson";
import type { CustodySigner } from "../custody/custodySigner";
import { buildCustodyStatement, type CustodyStatement, type StorageOrigin } from "../custody/custodyStatement";
import { DsseEnvelopeError, IN_TOTO_PAYLOAD_TYPE, parseEnvelope } from "../custody/dsse";
import type { DeletionProtectionOutcome, GenesysClient, RecordingInfo } from "../genesys/genesysClient";
import type { ExportJob } from "../intake/exportRequest";
import type { RecordingFormatId } from "../shared/env";
import { availabilityOf, holdBack, unavailableRecordingsError } from "./recordingAvailability";

/**
 * One export job: protect the conversation in Genesys, then archive each of
 * its audio recordings with one signed custody record beside it.
 *
 * Idempotent by construction: both writes are conditional (If-None-Match: *),
 * so a key never holds two versions. The custody record is written last and
 * is the "done" marker. A recording stored without its record (a crash, a
 * KMS failure, a concurrent delivery) is adopted, never uploaded again: the
 * worker proves the stored version and says in the record that it adopted it
 * and why. A record already stored by a concurrent delivery is accepted when
 * it describes the same bytes.
 */

export const FORMAT_EXTENSIONS: Record<RecordingFormatId, string> = {
  WAV: "wav",
  WEBM: "webm",
  WAV_ULAW: "wav",
  OGG_VORBIS: "ogg",
  OGG_OPUS: "opus",
  MP3: "mp3",
};

/** Decided by the format we asked for: media hosts often answer application/octet-stream. */
export const FORMAT_CONTENT_TYPES: Record<RecordingFormatId, string> = {
  WAV: "audio/wav",
  WEBM: "audio/webm",
  WAV_ULAW: "audio/wav",
  OGG_VORBIS: "audio/ogg",
  OGG_OPUS: "audio/ogg",
  MP3: "audio/mpeg",
};

/** The custody record: one DSSE envelope per recording, beside it. */
export const CUSTODY_RECORD_SUFFIX = ".custody.dsse.json";
/** The two-file records of earlier releases (manifest + signature file); still honoured as "done". */
export const LEGACY_MANIFEST_SUFFIX = ".custody.json";

export class ExportError extends Error {
  constructor(
    message: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ExportError";
  }
}

/** Whether a custody record exists could not be established, so exporting could duplicate a version. */
export class CustodyCheckError extends ExportError {
  constructor(key: string, options?: ErrorOptions) {
    super(
      `Could not tell whether ${key} exists; the worker needs s3:ListBucket on the archive bucket so a missing object answers 404, not 403`,
      key,
      options,
    );
    this.name = "CustodyCheckError";
  }
}

/** The custody record could not be stored (or the one already stored could not be read). */
export class CustodyWriteError extends ExportError {
  constructor(key: string, options?: ErrorOptions) {
    super(`Storing the custody record ${key} failed`, key, options);
    this.name = "CustodyWriteError";
  }
}

/**
 * A custody record is already stored for this recording but describes other
 * bytes than the version the key holds. Records are under legal hold and can
 * never be replaced: a person must look.
 */
export class CustodyConflictError extends ExportError {
  constructor(
    key: string,
    readonly storedSubjectSha256: string | undefined,
    readonly sha256: string,
  ) {
    super(
      `The custody record ${key} already exists and describes sha256 ${storedSubjectSha256 ?? "(unreadable)"}, ` +
        `but the stored recording is ${sha256}; records cannot be replaced, so a person must resolve it`,
      key,
    );
    this.name = "CustodyConflictError";
  }
}

/**
 * Genesys listed no recordings for a conversation whose job was requested
 * moments ago: they may not be uploaded yet. Retried (SQS) until the settle
 * window has passed; only then does the job conclude there is nothing to archive.
 */
export class RecordingsNotListedYetError extends Error {
  constructor(
    readonly conversationId: string,
    readonly settleMinutes: number,
  ) {
    super(
      `Genesys lists no recordings for conversation ${conversationId} yet; the job was requested less than ${settleMinutes} minutes ago, so it will be retried`,
    );
    this.name = "RecordingsNotListedYetError";
  }
}

/**
 * Genesys did not apply deletion protection (failedUpdates). The recordings
 * were archived anyway (evidence first); the message is then failed so SQS
 * retries the protection, and after maxReceiveCount the dead-letter alarm
 * makes it visible. A record never hides it.
 */
export class DeletionProtectionFailedError extends Error {
  constructor(
    readonly conversationId: string,
    readonly failures: string[],
  ) {
    super(`Genesys did not protect conversation ${conversationId} from deletion (${failures.join("; ")}); its recordings were archived`);
    this.name = "DeletionProtectionFailedError";
  }
}

export type ExportLogger = Pick<Logger, "info" | "warn">;

export interface ExportDeps {
  s3: S3Client;
  genesys: GenesysClient;
  /** Signs each custody record's DSSE envelope (KMS ECDSA_SHA_256 over the SHA-256 of its PAE). */
  signer: CustodySigner;
  bucket: string;
  kmsKeyArn: string;
  formatId: RecordingFormatId;
  /** The worker invocation, recorded in each manifest. */
  functionArn: string;
  awsRequestId: string;
  logger: ExportLogger;
  /** @default () => new Date() */
  now?: () => Date;
  /** How long after the request an empty recordings list is retried rather than believed. @default 30 */
  recordingsSettleMinutes?: number;
}

export type RecordingOutcome =
  | { recordingId: string; status: "archived"; key: string; versionId: string; bytes: number; sha256: string }
  | {
      recordingId: string;
      /** The key already held a version with no custody record: it was proven and recorded, not uploaded again. */
      status: "adopted";
      key: string;
      versionId: string;
      bytes: number;
      sha256: string;
      reason: string;
      /** Set when this delivery downloaded bytes that differ from the stored version: both are named in the record. */
      freshDownloadDiffers?: { sha256: string; bytes: number };
    }
  | { recordingId: string; status: "already-archived"; key: string }
  /** Archived, restoring, uploading, deleted or in an unknown state in Genesys: no custody record, so never done. */
  | { recordingId: string; status: "unavailable"; fileState: string; note: string }
  | { recordingId: string; status: "skipped"; reason: string };

export interface ExportSummary {
  jobId: string;
  conversationId: string;
  /** "nothing-to-archive" when Genesys still listed no recordings after the settle window. */
  outcome: "archived" | "nothing-to-archive";
  deletionProtection: DeletionProtectionOutcome;
  recordings: RecordingOutcome[];
}

export function recordingKey(caseId: string, conversationId: string, recordingId: string, formatId: RecordingFormatId): string {
  return `cases/${caseId}/conversations/${conversationId}/recordings/${recordingId}.${FORMAT_EXTENSIONS[formatId]}`;
}

export function custodyRecordKeyFor(key: string): string {
  return `${key}${CUSTODY_RECORD_SUFFIX}`;
}

export function legacyManifestKeyFor(key: string): string {
  return `${key}${LEGACY_MANIFEST_SUFFIX}`;
}

/** S3 user metadata: identifiers only, so no personal data sits in object headers. */
function idMetadata(job: ExportJob, recordingId: string): Record<string, string> {
  return { "job-id": job.jobId, "case-id": job.caseId, "conversation-id": job.conversationId, "recording-id": recordingId };
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error)?.name === "NotFound" || httpStatus(error) === 404) return false;
    throw new CustodyCheckError(key, { cause: error });
  }
}

export async function exportConversation(job: ExportJob, deps: ExportDeps): Promise<ExportSummary> {
  const now = deps.now ?? (() => new Date());
  const settleMinutes = deps.recordingsSettleMinutes ?? 30;
  // Every delivery re-applies protection: it is idempotent in Genesys, and a failure fails the job once archived.
  const deletionProtection = await deps.genesys.protectConversation(job.conversationId);
  if (deletionProtection.status === "failed") {
    deps.logger.warn("Genesys did not apply deletion protection; archiving first, then failing the job so it is retried", {
      failures: deletionProtection.failures,
    });
  }
  const recordings = await deps.genesys.listRecordings(job.conversationId);
  if (recordings.length === 0) {
    const sinceRequestMs = now().getTime() - Date.parse(job.requestedAt);
    if (sinceRequestMs < settleMinutes * 60_000) throw new RecordingsNotListedYetError(job.conversationId, settleMinutes);
    deps.logger.warn("Genesys lists no recordings for the conversation, past the settle window: nothing to archive", { settleMinutes });
  }
  const outcomes: RecordingOutcome[] = [];
  // One at a time: each streams a whole recording, and Genesys limits requests per client.
  for (const recording of recordings) {
    outcomes.push(await exportRecording(job, recording, deletionProtection, deps, now));
  }
  if (deletionProtection.status === "failed") throw new DeletionProtectionFailedError(job.conversationId, deletionProtection.failures);
  const unavailable = unavailableRecordingsError(
    job.conversationId,
    outcomes.flatMap((o) => (o.status === "unavailable" ? [{ recordingId: o.recordingId, fileState: o.fileState, note: o.note }] : [])),
  );
  if (unavailable) throw unavailable;
  return {
    jobId: job.jobId,
    conversationId: job.conversationId,
    outcome: recordings.length === 0 ? "nothing-to-archive" : "archived",
    deletionProtection,
    recordings: outcomes,
  };
}

const ADOPTED_BEFORE_UPLOAD =
  "the key already held a version without a custody record (an earlier or concurrent delivery stopped before its record)";
const ADOPTED_AFTER_REFUSAL =
  "S3 refused this delivery's conditional write (412): another delivery stored the key while this one downloaded";

async function exportRecording(
  job: ExportJob,
  recording: RecordingInfo,
  deletionProtection: DeletionProtectionOutcome,
  deps: ExportDeps,
  now: () => Date,
): Promise<RecordingOutcome> {
  const { recordingId } = recording;
  if (recording.media !== undefined && recording.media !== "audio") {
    return { recordingId, status: "skipped", reason: `media is ${recording.media}, not audio` };
  }
  const key = recordingKey(job.caseId, job.conversationId, recordingId, deps.formatId);
  const recordKey = custodyRecordKeyFor(key);
  if ((await objectExists(deps.s3, deps.bucket, recordKey)) || (await objectExists(deps.s3, deps.bucket, legacyManifestKeyFor(key)))) {
    deps.logger.info("recording already archived", { recordingId, key });
    // An earlier delivery may have died between its record and this cleanup.
    await closeAbandonedUploads(deps, key);
    return { recordingId, status: "already-archived", key };
  }
  const contentType = FORMAT_CONTENT_TYPES[deps.formatId];
  const common = { job, recordingId, formatId: deps.formatId, contentType, bucket: deps.bucket, key, deletionProtection };
  const invocation = { functionArn: deps.functionArn, awsRequestId: deps.awsRequestId };

  let statement: CustodyStatement;
  let outcome: RecordingOutcome;
  if (await recordingStored(deps.s3, deps.bucket, key)) {
    // Nothing is downloaded: the stored version is the only byte stream there is.
    const adopted = await adoptStoredRecording(deps.s3, deps.bucket, key);
    const storage: StorageOrigin = { method: "adopted", reason: ADOPTED_BEFORE_UPLOAD, freshDownload: null };
    statement = buildCustodyStatement({
      ...common,
      ...invocation,
      source: null,
      stored: adopted,
      storage,
      downloadStartedAt: null,
      storedAt: adopted.storedAt,
    });
    outcome = adoptedOutcome(recordingId, key, adopted, ADOPTED_BEFORE_UPLOAD);
  } else {
    // Only now does Genesys' file state matter: a recording already stored needs no media from Genesys.
    const availability = availabilityOf(recording.fileState);
    if (availability.kind !== "download") {
      const held = await holdBack(job.conversationId, recording, availability, { genesys: deps.genesys, logger: deps.logger, now });
      return { status: "unavailable", ...held };
    }
    const mediaUri = await deps.genesys.mediaFor(job.conversationId, recordingId, deps.formatId);
    const downloadStartedAt = now();
    const media = await deps.genesys.openMedia(mediaUri);
    try {
      const stored = await archiveRecording({
        s3: deps.s3,
        bucket: deps.bucket,
        key,
        body: media.body,
        expectedLength: media.contentLength,
        kmsKeyArn: deps.kmsKeyArn,
        contentType,
        metadata: idMetadata(job, recordingId),
      });
      statement = buildCustodyStatement({
        ...common,
        ...invocation,
        source: media.source,
        stored,
        storage: { method: "uploaded" },
        downloadStartedAt,
        storedAt: now(),
      });
      outcome = { recordingId, status: "archived", key, versionId: stored.versionId, bytes: stored.bytes, sha256: stored.sha256 };
    } catch (error) {
      if (!(error instanceof RecordingExistsError)) throw error;
      const adopted = await adoptStoredRecording(deps.s3, deps.bucket, key);
      const matchesStored = error.downloaded.sha256 === adopted.sha256 && error.downloaded.bytes === adopted.bytes;
      const storage: StorageOrigin = {
        method: "adopted",
        reason: ADOPTED_AFTER_REFUSAL,
        freshDownload: { ...error.downloaded, matchesStored },
      };
      statement = buildCustodyStatement({
        ...common,
        ...invocation,
        source: media.source,
        stored: adopted,
        storage,
        downloadStartedAt,
        storedAt: adopted.storedAt,
      });
      outcome = adoptedOutcome(recordingId, key, adopted, ADOPTED_AFTER_REFUSAL);
      if (!matchesStored) {
        outcome.freshDownloadDiffers = error.downloaded;
        // Never chosen silently: the stored version stays the evidence, and the record and this log name both streams.
        deps.logger.warn("this delivery downloaded different bytes than the stored version", {
          recordingId,
          key,
          stored: { sha256: adopted.sha256, bytes: adopted.bytes, versionId: adopted.versionId },
          downloaded: error.downloaded,
        });
      }
    }
  }

  const written = await storeCustodyRecord(deps, recordKey, statement, idMetadata(job, recordingId));
  await closeAbandonedUploads(deps, key);
  if (!written) return { recordingId, status: "already-archived", key };
  deps.logger.info(outcome.status === "adopted" ? "recording adopted" : "recording archived", outcome);
  return outcome;
}

/** Aborts uploads of the key that a killed delivery left open; a failure is logged, the recording being safe already. */
async function closeAbandonedUploads(deps: ExportDeps, key: string): Promise<void> {
  const outcome = await abortAbandonedUploads(deps.s3, deps.bucket, key);
  if (outcome.aborted.length > 0)
    deps.logger.warn("aborted multipart uploads an earlier delivery left open", { key, uploadIds: outcome.aborted });
  if (outcome.problem) {
    deps.logger.warn("could not close multipart uploads left open; the bucket's lifecycle rule will", { key, problem: outcome.problem });
  }
}

function adoptedOutcome(recordingId: string, key: string, adopted: ArchivedRecording, reason: string) {
  return {
    recordingId,
    status: "adopted" as const,
    key,
    versionId: adopted.versionId,
    bytes: adopted.bytes,
    sha256: adopted.sha256,
    reason,
  } satisfies RecordingOutcome as Extract<RecordingOutcome, { status: "adopted" }>;
}

/**
 * Signs and stores the custody record once (If-None-Match: *). False when a
 * record was already there (a concurrent delivery): that is fine only if it
 * describes the same subject digest; otherwise CustodyConflictError.
 */
async function storeCustodyRecord(
  deps: ExportDeps,
  recordKey: string,
  statement: CustodyStatement,
  metadata: Record<string, string>,
): Promise<boolean> {
  const envelope = await deps.signer.signEnvelope(recordKey, IN_TOTO_PAYLOAD_TYPE, canonicalJsonBytes(statement));
  try {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: recordKey,
        Body: canonicalJsonBytes(envelope),
        ContentType: "application/json",
        Metadata: metadata,
        ObjectLockLegalHoldStatus: "ON",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: deps.kmsKeyArn,
        ChecksumAlgorithm: "CRC32",
        // SQS may deliver a job twice at once: only the first record may be stored.
        IfNoneMatch: "*",
      }),
    );
    return true;
  } catch (error) {
    if (!isPreconditionFailed(error)) throw new CustodyWriteError(recordKey, { cause: error });
  }
  const sha256 = statement.subject[0].digest.sha256;
  let storedSha256: string | undefined;
  try {
    const answer = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: recordKey }));
    const stored = parseEnvelope((await answer.Body?.transformToString("utf8")) ?? "");
    const storedStatement = JSON.parse(stored.payloadBytes.toString("utf8")) as Partial<CustodyStatement>;
    storedSha256 = storedStatement.subject?.[0]?.digest?.sha256;
  } catch (error) {
    if (!(error instanceof SyntaxError || error instanceof DsseEnvelopeError)) throw new CustodyWriteError(recordKey, { cause: error });
  }
  if (storedSha256 !== sha256) throw new CustodyConflictError(recordKey, storedSha256, sha256);
  deps.logger.warn("another delivery stored this custody record first; it describes the same bytes", { key: recordKey });
  return false;
}
