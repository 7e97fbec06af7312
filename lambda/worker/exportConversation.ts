import type { Logger } from "@aws-lambda-powertools/logger";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { archiveRecording } from "../archive/recordingWriter";
import { canonicalJsonBytes } from "../custody/canonicalJson";
import { buildManifest } from "../custody/manifest";
import type { ManifestSignature, ManifestSigner } from "../custody/manifestSigner";
import type { DeletionProtectionOutcome, GenesysClient, RecordingInfo } from "../genesys/genesysClient";
import type { ExportJob } from "../intake/exportRequest";
import type { RecordingFormatId } from "../shared/env";

/**
 * One export job: protect the conversation in Genesys, then archive each of
 * its audio recordings with a custody manifest beside it, signed with KMS.
 * Write order per recording: recording, signature file, manifest. The
 * manifest is written last and is the "done" marker, so a redelivered message
 * skips what is already archived and never creates a second version of it.
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

export const MANIFEST_SUFFIX = ".custody.json";
export const SIGNATURE_SUFFIX = ".custody.sig.json";

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

/** Whether a manifest exists could not be established, so exporting could duplicate a version. */
export class ManifestCheckError extends ExportError {
  constructor(key: string, options?: ErrorOptions) {
    super(
      `Could not tell whether ${key} exists; the worker needs s3:ListBucket on the archive bucket so a missing object answers 404, not 403`,
      key,
      options,
    );
    this.name = "ManifestCheckError";
  }
}

/** The recording was archived but its manifest was not stored. */
export class ManifestWriteError extends ExportError {
  constructor(key: string, options?: ErrorOptions) {
    super(`Storing the custody manifest ${key} failed`, key, options);
    this.name = "ManifestWriteError";
  }
}

/** The manifest's signature file could not be stored (or an existing one could not be read). */
export class SignatureWriteError extends ExportError {
  constructor(key: string, options?: ErrorOptions) {
    super(`Storing the custody signature ${key} failed`, key, options);
    this.name = "SignatureWriteError";
  }
}

/**
 * A signature file already exists for this recording but signs a different
 * manifest than the one this delivery built, and no manifest is stored yet:
 * another delivery is (or was) half-way through the same recording. Objects
 * under legal hold cannot be replaced, so the worker stops rather than store
 * a manifest whose signature file does not match it.
 */
export class SignatureConflictError extends ExportError {
  constructor(
    key: string,
    readonly storedManifestSha256: string | undefined,
    readonly manifestSha256: string,
  ) {
    super(
      `The custody signature ${key} already exists and signs manifest sha256 ${storedManifestSha256 ?? "(unreadable)"}, ` +
        `not ${manifestSha256}; no manifest was stored. If no other delivery of this job is running, ` +
        "the signature is orphaned (an earlier attempt stopped before its manifest) and needs a person to resolve it",
      key,
    );
    this.name = "SignatureConflictError";
  }
}

export type ExportLogger = Pick<Logger, "info" | "warn">;

export interface ExportDeps {
  s3: S3Client;
  genesys: GenesysClient;
  /** Signs each manifest's canonical bytes (KMS ECDSA_SHA_256 over the SHA-256 digest). */
  signer: ManifestSigner;
  bucket: string;
  kmsKeyArn: string;
  formatId: RecordingFormatId;
  /** The worker invocation, recorded in each manifest. */
  functionArn: string;
  awsRequestId: string;
  logger: ExportLogger;
  /** @default () => new Date() */
  now?: () => Date;
}

export type RecordingOutcome =
  | { recordingId: string; status: "archived"; key: string; versionId: string; bytes: number; sha256: string }
  | { recordingId: string; status: "already-archived"; key: string }
  | { recordingId: string; status: "skipped"; reason: string };

export interface ExportSummary {
  jobId: string;
  conversationId: string;
  deletionProtection: DeletionProtectionOutcome;
  recordings: RecordingOutcome[];
}

export function recordingKey(caseId: string, conversationId: string, recordingId: string, formatId: RecordingFormatId): string {
  return `cases/${caseId}/conversations/${conversationId}/recordings/${recordingId}.${FORMAT_EXTENSIONS[formatId]}`;
}

export function manifestKeyFor(key: string): string {
  return `${key}${MANIFEST_SUFFIX}`;
}

export function signatureKeyFor(key: string): string {
  return `${key}${SIGNATURE_SUFFIX}`;
}

/** S3 user metadata: identifiers only, so no personal data sits in object headers. */
function idMetadata(job: ExportJob, recordingId: string): Record<string, string> {
  return { "job-id": job.jobId, "case-id": job.caseId, "conversation-id": job.conversationId, "recording-id": recordingId };
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as Error)?.name === "NotFound" || httpStatus(error) === 404) return false;
    throw new ManifestCheckError(key, { cause: error });
  }
}

export async function exportConversation(job: ExportJob, deps: ExportDeps): Promise<ExportSummary> {
  const now = deps.now ?? (() => new Date());
  // Every delivery re-applies protection: it is idempotent in Genesys and the manifest records the latest outcome.
  const deletionProtection = await deps.genesys.protectConversation(job.conversationId);
  if (deletionProtection.status === "failed") {
    deps.logger.warn("Genesys did not apply deletion protection; archiving anyway", { failures: deletionProtection.failures });
  }
  const recordings = await deps.genesys.listRecordings(job.conversationId);
  if (recordings.length === 0) deps.logger.warn("Genesys lists no recordings for the conversation; nothing to archive");
  const outcomes: RecordingOutcome[] = [];
  // One at a time: each streams a whole recording, and Genesys limits requests per client.
  for (const recording of recordings) {
    outcomes.push(await exportRecording(job, recording, deletionProtection, deps, now));
  }
  return { jobId: job.jobId, conversationId: job.conversationId, deletionProtection, recordings: outcomes };
}

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
  const manifestKey = manifestKeyFor(key);
  if (await objectExists(deps.s3, deps.bucket, manifestKey)) {
    deps.logger.info("recording already archived", { recordingId, key });
    return { recordingId, status: "already-archived", key };
  }

  const mediaUri = await deps.genesys.mediaFor(job.conversationId, recordingId, deps.formatId);
  const downloadStartedAt = now();
  const media = await deps.genesys.openMedia(mediaUri);
  const contentType = FORMAT_CONTENT_TYPES[deps.formatId];
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
  const storedAt = now();

  const manifest = buildManifest({
    job,
    recordingId,
    source: media.source,
    formatId: deps.formatId,
    contentType,
    bucket: deps.bucket,
    key,
    stored,
    downloadStartedAt,
    storedAt,
    functionArn: deps.functionArn,
    awsRequestId: deps.awsRequestId,
    deletionProtection,
  });
  const manifestBytes = canonicalJsonBytes(manifest);
  const metadata = idMetadata(job, recordingId);

  // Signature before manifest: once the manifest (the "done" marker) exists, its signature file does too.
  const signatureKey = signatureKeyFor(key);
  const signature = await deps.signer.sign(manifestKey, manifestBytes);
  await storeSignature(deps, signatureKey, signature, metadata);

  const written = await putCustodyObject(deps, manifestKey, manifestBytes, metadata, ManifestWriteError);
  if (!written) {
    deps.logger.warn("another delivery stored this manifest first", { recordingId, key: manifestKey });
    return { recordingId, status: "already-archived", key };
  }
  deps.logger.info("recording archived", {
    recordingId,
    key,
    versionId: stored.versionId,
    bytes: stored.bytes,
    source: media.source,
    manifestSha256: signature.manifestSha256,
  });
  return { recordingId, status: "archived", key, versionId: stored.versionId, bytes: stored.bytes, sha256: stored.sha256 };
}

/**
 * Stores the signature file. A 412 means one is already there (a concurrent
 * delivery, or an earlier one that stopped before its manifest): that is fine
 * only if it signs exactly our manifest bytes; otherwise SignatureConflictError.
 */
async function storeSignature(deps: ExportDeps, key: string, signature: ManifestSignature, metadata: Record<string, string>) {
  if (await putCustodyObject(deps, key, canonicalJsonBytes(signature), metadata, SignatureWriteError)) return;
  let storedSha256: string | undefined;
  try {
    const answer = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: key }));
    const text = (await answer.Body?.transformToString("utf8")) ?? "";
    const stored = JSON.parse(text) as { manifestSha256?: unknown };
    storedSha256 = typeof stored.manifestSha256 === "string" ? stored.manifestSha256 : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) throw new SignatureConflictError(key, undefined, signature.manifestSha256);
    throw new SignatureWriteError(key, { cause: error });
  }
  if (storedSha256 !== signature.manifestSha256) throw new SignatureConflictError(key, storedSha256, signature.manifestSha256);
  deps.logger.warn("the signature file was already stored for this manifest", { key });
}

/**
 * Stores a custody object (manifest or signature file) under legal hold;
 * false when one already exists (If-None-Match: a concurrent or earlier delivery).
 */
async function putCustodyObject(
  deps: ExportDeps,
  key: string,
  body: Buffer,
  metadata: Record<string, string>,
  WriteError: new (key: string, options?: ErrorOptions) => ExportError,
): Promise<boolean> {
  try {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: key,
        Body: body,
        ContentType: "application/json",
        Metadata: metadata,
        ObjectLockLegalHoldStatus: "ON",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: deps.kmsKeyArn,
        ChecksumAlgorithm: "CRC64NVME",
        // SQS may deliver a job twice at once: only the first may be stored.
        IfNoneMatch: "*",
      }),
    );
    return true;
  } catch (error) {
    if (httpStatus(error) === 412 || (error as Error)?.name === "PreconditionFailed") return false;
    throw new WriteError(key, { cause: error });
  }
}
