import type { Logger } from "@aws-lambda-powertools/logger";
import type { GenesysClient, RecordingInfo } from "../genesys/genesysClient";

/**
 * What a recording's Genesys `fileState` lets the worker do. Genesys moves
 * recordings to cheaper storage after their archive date (ARCHIVED); their
 * media can be downloaded only once restored, which is asked for by moving
 * the archive date (PUT …/recordings/{id}) and takes time. Values from the
 * Platform API's Recording.fileState: AVAILABLE, ARCHIVED, RESTORING,
 * RESTORED, UPLOADING, DELETED, ERROR.
 */
export type Availability =
  | { kind: "download" }
  | { kind: "restore" }
  | { kind: "wait"; why: string }
  | { kind: "deleted" }
  | { kind: "unexpected"; fileState: string };

export function availabilityOf(fileState: string | undefined): Availability {
  switch (fileState) {
    // Absent: older API answers carried no fileState; the download itself then says whether media exists.
    case undefined:
    case "AVAILABLE":
    case "RESTORED":
      return { kind: "download" };
    case "ARCHIVED":
      return { kind: "restore" };
    case "RESTORING":
      return { kind: "wait", why: "Genesys is restoring it from its archive" };
    case "UPLOADING":
      return { kind: "wait", why: "Genesys is still uploading it" };
    case "DELETED":
      return { kind: "deleted" };
    default:
      return { kind: "unexpected", fileState };
  }
}

/** How long a restored recording stays downloadable: long enough for every retry of the job. */
export const RESTORE_DAYS = 7;

export interface UnavailableRecording {
  recordingId: string;
  fileState: string;
  /** What happens to it, for the log and the error message. */
  note: string;
}

const describe = (recordings: UnavailableRecording[]) => recordings.map((r) => `${r.recordingId} (${r.fileState}: ${r.note})`).join("; ");

/**
 * Some recordings are archived, being restored or still uploading in Genesys.
 * The job archived the others and is retried later; these recordings have no
 * custody record, so nothing counts them as done.
 */
export class RecordingsNotYetAvailableError extends Error {
  constructor(
    readonly conversationId: string,
    readonly recordings: UnavailableRecording[],
  ) {
    super(
      `Genesys cannot serve ${recordings.length} recording(s) of conversation ${conversationId} yet: ${describe(recordings)}; the job will be retried later`,
    );
    this.name = "RecordingsNotYetAvailableError";
  }
}

/** Genesys deleted recordings of a conversation under legal hold: no retry brings them back. */
export class RecordingsDeletedError extends Error {
  constructor(
    readonly conversationId: string,
    readonly recordings: UnavailableRecording[],
  ) {
    super(
      `Genesys reports recording(s) of conversation ${conversationId} as DELETED: ${describe(recordings)}; they cannot be archived. Tell the matter's legal team, and check the retention policy that deleted them (deletion protection is applied only when the export runs)`,
    );
    this.name = "RecordingsDeletedError";
  }
}

/** A fileState this worker does not know (or ERROR): reported, never ignored. */
export class UnexpectedFileStateError extends Error {
  constructor(
    readonly conversationId: string,
    readonly recordings: UnavailableRecording[],
  ) {
    super(
      `Genesys reports recording(s) of conversation ${conversationId} in a state the export does not handle: ${describe(recordings)}; check them in Genesys Cloud, then redrive the job`,
    );
    this.name = "UnexpectedFileStateError";
  }
}

/**
 * The error that ends a job whose other recordings were archived: waiting
 * first (a retry can still archive those), then deleted, then unexpected.
 */
export function unavailableRecordingsError(conversationId: string, recordings: UnavailableRecording[]): Error | undefined {
  const of = (states: (a: Availability["kind"]) => boolean) => recordings.filter((r) => states(availabilityOf(r.fileState).kind));
  const waiting = of((kind) => kind === "restore" || kind === "wait");
  if (waiting.length > 0) return new RecordingsNotYetAvailableError(conversationId, waiting);
  const deleted = of((kind) => kind === "deleted");
  if (deleted.length > 0) return new RecordingsDeletedError(conversationId, deleted);
  const unexpected = of((kind) => kind === "unexpected");
  if (unexpected.length > 0) return new UnexpectedFileStateError(conversationId, unexpected);
  return undefined;
}

/** Whether a listed recording can be downloaded now. */
export const downloadable = (recording: RecordingInfo) => availabilityOf(recording.fileState).kind === "download";

export interface HoldBackDeps {
  genesys: Pick<GenesysClient, "restoreRecording">;
  logger: Pick<Logger, "info">;
  now: () => Date;
}

/**
 * A recording Genesys cannot serve now: asks for the restore of an archived
 * one (once: RESTORING means it was asked) and says what will happen.
 */
export async function holdBack(
  conversationId: string,
  recording: RecordingInfo,
  availability: Exclude<Availability, { kind: "download" }>,
  deps: HoldBackDeps,
): Promise<UnavailableRecording> {
  const { recordingId } = recording;
  const fileState = recording.fileState ?? "";
  switch (availability.kind) {
    case "restore": {
      const until = new Date(deps.now().getTime() + RESTORE_DAYS * 86_400_000);
      await deps.genesys.restoreRecording({ conversationId, recordingId, deleteDate: recording.deleteDate }, until);
      deps.logger.info("asked Genesys to restore an archived recording", { recordingId, until: until.toISOString() });
      return { recordingId, fileState, note: `restore requested until ${until.toISOString()}, retried later` };
    }
    case "wait":
      return { recordingId, fileState, note: `${availability.why}, retried later` };
    case "deleted":
      return { recordingId, fileState, note: "deleted in Genesys" };
    case "unexpected":
      return { recordingId, fileState, note: "state not handled by the export" };
  }
}
