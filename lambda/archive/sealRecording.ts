import type { Readable } from "node:stream";
import type { Logger } from "@aws-lambda-powertools/logger";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { CustodySigner } from "../custody/custodySigner";
import type { CustodyStatement, StorageOrigin } from "../custody/custodyStatement";
import { DsseEnvelopeError, parseEnvelope } from "../custody/dsse";
import { putSignedRecordOnce } from "../custody/signedRecordOnce";
import { abortAbandonedUploads } from "./abandonedUploads";
import { type ArchivedRecording, archiveRecording, RecordingExistsError } from "./recordingWriter";
import { httpStatus } from "./s3Errors";
import { adoptStoredRecording, recordingStored } from "./storedRecording";

/**
 * Sealing one recording into the archive, the same for both export paths (the
 * worker's Genesys download and the sealer's landing object): store the byte
 * stream under legal hold with the conditional uploader, or adopt a version
 * already stored without a record; build the custody statement; sign it and
 * store it once (If-None-Match: *); close uploads a killed delivery left open.
 *
 * Idempotent by construction: both writes are conditional, so a key never
 * holds two versions. The custody record is written last and is the "done"
 * marker. A recording stored without its record (a crash, a KMS failure, a
 * concurrent delivery) is adopted, never uploaded again: the stored version is
 * proven and the record says it was adopted and why. A record already stored
 * by a concurrent delivery is accepted when it describes the same bytes.
 */

/** The custody record: one DSSE envelope per recording, beside it. */
export const CUSTODY_RECORD_SUFFIX = ".custody.dsse.json";
/** The two-file records of earlier releases (manifest + signature file); still honoured as "done". */
export const LEGACY_MANIFEST_SUFFIX = ".custody.json";

export function custodyRecordKeyFor(key: string): string {
  return `${key}${CUSTODY_RECORD_SUFFIX}`;
}

export function legacyManifestKeyFor(key: string): string {
  return `${key}${LEGACY_MANIFEST_SUFFIX}`;
}

export class CustodyError extends Error {
  constructor(
    message: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "CustodyError";
  }
}

/** Whether a custody record exists could not be established, so sealing could duplicate a version. */
export class CustodyCheckError extends CustodyError {
  constructor(key: string, options?: ErrorOptions) {
    super(
      `Could not tell whether ${key} exists; the function needs s3:ListBucket on the archive bucket so a missing object answers 404, not 403`,
      key,
      options,
    );
    this.name = "CustodyCheckError";
  }
}

/** The custody record could not be stored (or the one already stored could not be read). */
export class CustodyWriteError extends CustodyError {
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
export class CustodyConflictError extends CustodyError {
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

export type SealLogger = Pick<Logger, "info" | "warn">;

export interface SealDeps {
  s3: S3Client;
  /** Signs each custody record's DSSE envelope (KMS ECDSA_SHA_256 over the SHA-256 of its PAE). */
  signer: CustodySigner;
  bucket: string;
  kmsKeyArn: string;
  logger: SealLogger;
  /** @default () => new Date() */
  now?: () => Date;
}

/** The byte stream to store and what the record should say about where it came from. */
export interface OpenedStream<Source> {
  body: Readable;
  /** Bytes the source announced; a different count aborts the upload. */
  contentLength?: number;
  source: Source;
  /** When the download began (before any response); @default when open() answered */
  startedAt?: Date;
}

/** What the custody statement is built from. */
export interface SealFacts<Source> {
  stored: ArchivedRecording;
  storage: StorageOrigin;
  /** null when nothing was opened: the stored version was adopted as it was. */
  source: Source | null;
  downloadStartedAt: Date | null;
  storedAt: Date;
}

export interface SealRequest<Source, Unavailable> {
  key: string;
  contentType: string;
  /** S3 user metadata of the recording and its record: ids only, never names or other personal data. */
  metadata: Record<string, string>;
  /** Opens the bytes; called only when the key holds nothing yet. `unavailable` seals nothing now. */
  open(): Promise<{ opened: OpenedStream<Source> } | { unavailable: Unavailable }>;
  statement(facts: SealFacts<Source>): CustodyStatement;
  /** Keys added to every log line about this recording (its ids). */
  logContext?: Record<string, string>;
}

export type SealOutcome<Unavailable> =
  | { status: "archived"; key: string; versionId: string; bytes: number; sha256: string }
  | {
      /** The key already held a version with no custody record: it was proven and recorded, not uploaded again. */
      status: "adopted";
      key: string;
      versionId: string;
      bytes: number;
      sha256: string;
      reason: string;
      /** Set when this delivery streamed bytes that differ from the stored version: both are named in the record. */
      freshDownloadDiffers?: { sha256: string; bytes: number };
    }
  | { status: "already-archived"; key: string }
  | { status: "unavailable"; key: string; detail: Unavailable };

const ADOPTED_BEFORE_UPLOAD =
  "the key already held a version without a custody record (an earlier or concurrent delivery stopped before its record)";
const ADOPTED_AFTER_REFUSAL =
  "S3 refused this delivery's conditional write (412): another delivery stored the key while this one downloaded";

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error)?.name === "NotFound" || httpStatus(error) === 404) return false;
    throw new CustodyCheckError(key, { cause: error });
  }
}

/** Whether the recording at `key` has its custody record (or an earlier release's manifest). */
export async function custodyRecordExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  return (await objectExists(s3, bucket, custodyRecordKeyFor(key))) || (await objectExists(s3, bucket, legacyManifestKeyFor(key)));
}

export async function sealRecording<Source, Unavailable>(
  request: SealRequest<Source, Unavailable>,
  deps: SealDeps,
): Promise<SealOutcome<Unavailable>> {
  const now = deps.now ?? (() => new Date());
  const { key } = request;
  const ids = request.logContext ?? {};
  const recordKey = custodyRecordKeyFor(key);
  if (await custodyRecordExists(deps.s3, deps.bucket, key)) {
    deps.logger.info("recording already archived", { ...ids, key });
    // An earlier delivery may have died between its record and this cleanup.
    await closeAbandonedUploads(deps, key);
    return { status: "already-archived", key };
  }

  let statement: CustodyStatement;
  let outcome: SealOutcome<Unavailable>;
  if (await recordingStored(deps.s3, deps.bucket, key)) {
    // Nothing is opened: the stored version is the only byte stream there is.
    const adopted = await adoptStoredRecording(deps.s3, deps.bucket, key);
    statement = request.statement({
      stored: adopted,
      storage: { method: "adopted", reason: ADOPTED_BEFORE_UPLOAD, freshDownload: null },
      source: null,
      downloadStartedAt: null,
      storedAt: adopted.storedAt,
    });
    outcome = adoptedOutcome(key, adopted, ADOPTED_BEFORE_UPLOAD);
  } else {
    const opening = await request.open();
    if ("unavailable" in opening) return { status: "unavailable", key, detail: opening.unavailable };
    const { opened } = opening;
    const downloadStartedAt = opened.startedAt ?? now();
    try {
      const stored = await archiveRecording({
        s3: deps.s3,
        bucket: deps.bucket,
        key,
        body: opened.body,
        expectedLength: opened.contentLength,
        kmsKeyArn: deps.kmsKeyArn,
        contentType: request.contentType,
        metadata: request.metadata,
      });
      statement = request.statement({ stored, storage: { method: "uploaded" }, source: opened.source, downloadStartedAt, storedAt: now() });
      outcome = { status: "archived", key, versionId: stored.versionId, bytes: stored.bytes, sha256: stored.sha256 };
    } catch (error) {
      if (!(error instanceof RecordingExistsError)) throw error;
      const adopted = await adoptStoredRecording(deps.s3, deps.bucket, key);
      const matchesStored = error.downloaded.sha256 === adopted.sha256 && error.downloaded.bytes === adopted.bytes;
      statement = request.statement({
        stored: adopted,
        storage: { method: "adopted", reason: ADOPTED_AFTER_REFUSAL, freshDownload: { ...error.downloaded, matchesStored } },
        source: opened.source,
        downloadStartedAt,
        storedAt: adopted.storedAt,
      });
      const adoptedAfterRefusal = adoptedOutcome(key, adopted, ADOPTED_AFTER_REFUSAL);
      if (!matchesStored) {
        adoptedAfterRefusal.freshDownloadDiffers = error.downloaded;
        // Never chosen silently: the stored version stays the evidence, and the record and this log name both streams.
        deps.logger.warn("this delivery downloaded different bytes than the stored version", {
          ...ids,
          key,
          stored: { sha256: adopted.sha256, bytes: adopted.bytes, versionId: adopted.versionId },
          downloaded: error.downloaded,
        });
      }
      outcome = adoptedAfterRefusal;
    }
  }

  const written = await storeCustodyRecord(deps, recordKey, statement, request.metadata);
  await closeAbandonedUploads(deps, key);
  if (!written) return { status: "already-archived", key };
  deps.logger.info(outcome.status === "adopted" ? "recording adopted" : "recording archived", { ...ids, ...outcome });
  return outcome;
}

/** Aborts uploads of the key that a killed delivery left open; a failure is logged, the recording being safe already. */
async function closeAbandonedUploads(deps: SealDeps, key: string): Promise<void> {
  const outcome = await abortAbandonedUploads(deps.s3, deps.bucket, key);
  if (outcome.aborted.length > 0)
    deps.logger.warn("aborted multipart uploads an earlier delivery left open", { key, uploadIds: outcome.aborted });
  if (outcome.problem) {
    deps.logger.warn("could not close multipart uploads left open; the bucket's lifecycle rule will", { key, problem: outcome.problem });
  }
}

function adoptedOutcome(key: string, adopted: ArchivedRecording, reason: string): Extract<SealOutcome<never>, { status: "adopted" }> {
  return { status: "adopted", key, versionId: adopted.versionId, bytes: adopted.bytes, sha256: adopted.sha256, reason };
}

/**
 * The subject SHA-256 the stored custody record states; undefined when the
 * record is not a readable DSSE statement. Throws CustodyWriteError when S3
 * does not answer.
 */
export async function recordedSubjectSha256(s3: S3Client, bucket: string, recordKey: string): Promise<string | undefined> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: recordKey }));
    const stored = parseEnvelope((await answer.Body?.transformToString("utf8")) ?? "");
    const storedStatement = JSON.parse(stored.payloadBytes.toString("utf8")) as Partial<CustodyStatement>;
    return storedStatement.subject?.[0]?.digest?.sha256;
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof DsseEnvelopeError) return undefined;
    throw new CustodyWriteError(recordKey, { cause: error });
  }
}

/**
 * Signs and stores the custody record once (If-None-Match: *). False when a
 * record was already there (a concurrent delivery): that is fine only if it
 * describes the same subject digest; otherwise CustodyConflictError.
 */
async function storeCustodyRecord(
  deps: SealDeps,
  recordKey: string,
  statement: CustodyStatement,
  metadata: Record<string, string>,
): Promise<boolean> {
  // SQS may deliver a message twice at once: only the first record may be stored.
  const outcome = await putSignedRecordOnce(
    deps,
    recordKey,
    statement,
    { Metadata: metadata, ObjectLockLegalHoldStatus: "ON", ServerSideEncryption: "aws:kms", SSEKMSKeyId: deps.kmsKeyArn },
    (cause) => new CustodyWriteError(recordKey, { cause }),
  );
  if (outcome === "written") return true;
  const sha256 = statement.subject[0].digest.sha256;
  const storedSha256 = await recordedSubjectSha256(deps.s3, deps.bucket, recordKey);
  if (storedSha256 !== sha256) throw new CustodyConflictError(recordKey, storedSha256, sha256);
  deps.logger.warn("another delivery stored this custody record first; it describes the same bytes", { key: recordKey });
  return false;
}
