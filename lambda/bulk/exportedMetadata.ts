import { createHash } from "node:crypto";
import { CONVERSATION_ID_PATTERN } from "../../components/genesys/exportRequestContract";
import type { LandingRecording } from "./landingKey";

/**
 * The `_metadata.json` Genesys writes beside each bulk-exported recording.
 *
 * Confirmed (Genesys Help, "Working with exported recordings in AWS S3
 * bucket"): a JSON object described by a draft-04 schema whose properties
 * include `mediaType` ("one of Call, Chat, Email, Message, Callback, Screen"),
 * `provider` ("for example edge") and `userIds` ("List of users").
 * Assumed, not confirmed there (the article's schema could not be read past
 * `userIds`): that it names the recording and its conversation as top-level
 * `recordingId` and `conversationId`, the Genesys API's own field names. The
 * sealer refuses metadata that does not name the key's conversation and
 * recording, so if Genesys names them otherwise every recording stops in the
 * dead-letter queue with reason "landing-metadata-mismatch" rather than being
 * sealed on a guess; change ID_FIELDS then.
 *
 * Only ids and non-personal fields reach the custody record; the whole file is
 * identified by its SHA-256 (other fields may hold names or phone numbers).
 */

export const ID_FIELDS = { conversationId: "conversationId", recordingId: "recordingId" } as const;
/** A metadata file is small JSON; anything larger is not one. */
export const METADATA_MAX_BYTES = 1024 * 1024;

export interface ExportedMetadataSummary {
  conversationId: string;
  recordingId: string;
  mediaType: string | null;
  provider: string | null;
  /** Genesys user ids (UUIDs) the metadata lists; anything else in that list is left out. */
  userIds: string[];
  /** The names of every top-level field Genesys sent (not their values), to show what the hashed file held. */
  fields: string[];
}

/** The metadata file cannot be used: not JSON, too large, or naming another recording. A person must look. */
export class ExportedMetadataError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`Genesys metadata ${key} ${problem}; the recording was not sealed and stays in the landing bucket`);
    this.name = "ExportedMetadataError";
  }
}

const uuidPattern = new RegExp(CONVERSATION_ID_PATTERN, "u");
const shortText = (value: unknown) => (typeof value === "string" && value.length <= 64 ? value : null);

export interface ReadMetadata {
  key: string;
  bytes: number;
  sha256: string;
  summary: ExportedMetadataSummary;
}

/** Parses and checks a metadata file against the recording its key belongs to. */
export function readExportedMetadata(key: string, body: Uint8Array, recording: LandingRecording): ReadMetadata {
  if (body.length > METADATA_MAX_BYTES) throw new ExportedMetadataError(key, `is ${body.length} bytes, more than ${METADATA_MAX_BYTES}`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new ExportedMetadataError(key, "is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ExportedMetadataError(key, "is not a JSON object");
  const fields = value as Record<string, unknown>;
  const conversationId = fields[ID_FIELDS.conversationId];
  const recordingId = fields[ID_FIELDS.recordingId];
  if (conversationId !== recording.conversationId) {
    throw new ExportedMetadataError(
      key,
      typeof conversationId === "string"
        ? `names conversation ${shortText(conversationId) ?? "(unreadable)"}, but the recording's key names ${recording.conversationId}`
        : `has no "${ID_FIELDS.conversationId}" naming the recording's conversation ${recording.conversationId}`,
    );
  }
  if (recordingId !== recording.recordingId) {
    throw new ExportedMetadataError(
      key,
      typeof recordingId === "string"
        ? `names recording ${shortText(recordingId) ?? "(unreadable)"}, but the recording's key names ${recording.recordingId}`
        : `has no "${ID_FIELDS.recordingId}" naming the recording ${recording.recordingId}`,
    );
  }
  const userIds = Array.isArray(fields.userIds)
    ? fields.userIds.filter((id): id is string => typeof id === "string" && uuidPattern.test(id))
    : [];
  return {
    key,
    bytes: body.length,
    sha256: createHash("sha256").update(body).digest("hex"),
    summary: {
      conversationId,
      recordingId,
      mediaType: shortText(fields.mediaType),
      provider: shortText(fields.provider),
      userIds,
      fields: Object.keys(fields).sort(),
    },
  };
}
