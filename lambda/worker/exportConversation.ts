import { type SealDeps, type SealOutcome, sealRecording } from "../archive/sealRecording";
import { buildCustodyStatement } from "../custody/custodyStatement";
import type { DeletionProtectionOutcome, GenesysClient, MediaSource, RecordingInfo } from "../genesys/genesysClient";
import type { ExportJob } from "../intake/exportRequest";
import type { RecordingFormatId } from "../shared/env";
import { availabilityOf, holdBack, type UnavailableRecording, unavailableRecordingsError } from "./recordingAvailability";

/**
 * One export job: protect the conversation in Genesys, then archive each of
 * its audio recordings with one signed custody record beside it. Storing,
 * adopting and recording each one is the sealing both export paths share
 * (../archive/sealRecording.ts); this module decides what to download.
 */

export {
  CUSTODY_RECORD_SUFFIX,
  CustodyCheckError,
  CustodyConflictError,
  CustodyWriteError,
  custodyRecordKeyFor,
  LEGACY_MANIFEST_SUFFIX,
  legacyManifestKeyFor,
} from "../archive/sealRecording";

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

/** The archive, signer and logger (SealDeps), plus what the worker adds. */
export interface ExportDeps extends SealDeps {
  genesys: GenesysClient;
  formatId: RecordingFormatId;
  /** The worker invocation, recorded in each manifest. */
  functionArn: string;
  awsRequestId: string;
  /** How long after the request an empty recordings list is retried rather than believed. @default 30 */
  recordingsSettleMinutes?: number;
}

type SealedOutcome = Exclude<SealOutcome<never>, { status: "unavailable" }>;

export type RecordingOutcome =
  | ({ recordingId: string } & SealedOutcome)
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

/** S3 user metadata: identifiers only, so no personal data sits in object headers. */
function idMetadata(job: ExportJob, recordingId: string): Record<string, string> {
  return { "job-id": job.jobId, "case-id": job.caseId, "conversation-id": job.conversationId, "recording-id": recordingId };
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
  const contentType = FORMAT_CONTENT_TYPES[deps.formatId];
  const sealed = await sealRecording<MediaSource, UnavailableRecording>(
    {
      key,
      contentType,
      metadata: idMetadata(job, recordingId),
      logContext: { recordingId },
      open: async () => {
        // Only now does Genesys' file state matter: a recording already stored needs no media from Genesys.
        const availability = availabilityOf(recording.fileState);
        if (availability.kind !== "download") {
          return {
            unavailable: await holdBack(job.conversationId, recording, availability, { genesys: deps.genesys, logger: deps.logger, now }),
          };
        }
        const mediaUri = await deps.genesys.mediaFor(job.conversationId, recordingId, deps.formatId);
        const startedAt = now();
        const media = await deps.genesys.openMedia(mediaUri);
        return { opened: { body: media.body, contentLength: media.contentLength, source: media.source, startedAt } };
      },
      statement: (facts) =>
        buildCustodyStatement({
          job,
          recordingId,
          formatId: deps.formatId,
          contentType,
          bucket: deps.bucket,
          key,
          deletionProtection,
          functionArn: deps.functionArn,
          awsRequestId: deps.awsRequestId,
          ...facts,
        }),
    },
    deps,
  );
  if (sealed.status === "unavailable") return { status: "unavailable", ...sealed.detail };
  return { recordingId, ...sealed };
}
