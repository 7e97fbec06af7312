import { CONVERSATION_ID_PATTERN } from "../../components/genesys/exportRequestContract";

/**
 * Keys Genesys' AWS S3 recording bulk actions integration writes into the
 * landing bucket.
 *
 * Confirmed (Genesys Help, "Working with exported recordings in AWS S3
 * bucket", help.mypurecloud.com/articles/working-with-exported-recordings-in-aws-s3-bucket):
 * - folder `{organizationId}/year={year}/month={month}/day={day}/hour={hourOfDay}/conversation_id={conversationId}/`,
 *   the date and hour being when the conversation began, in UTC, month "in digits";
 * - "Each recording file has one recording, and the name of the file is the recording ID";
 * - "Each recording file has a corresponding JSON metadata file ... suffixed with `_metadata.json`".
 * Assumed (not stated there): whether month/day/hour are zero-padded (both are
 * accepted), and whether the recording file carries an extension. Third-party
 * consumers of these exports handle `{recordingId}.opus` with
 * `{recordingId}.opus_metadata.json` beside it, so a file name is accepted as
 * the recording id alone or followed by one extension, and its metadata file
 * as either `{recordingId}_metadata.json` (the contract's form) or
 * `{recordingFile}_metadata.json`. Recording ids are UUIDs, as everywhere in
 * the Genesys API.
 */

export const METADATA_SUFFIX = "_metadata.json";

/** The key is not one Genesys' bulk export writes; `reason` says which part is wrong. */
export class LandingKeyError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Landing key ${JSON.stringify(key)} is not a Genesys bulk-export key: ${reason}`);
    this.name = "LandingKeyError";
  }
}

export interface ConversationStart {
  year: number;
  month: number;
  day: number;
  hour: number;
}

interface LandingFile {
  key: string;
  organizationId: string;
  conversationId: string;
  recordingId: string;
  /** The last key segment, as Genesys named it. */
  fileName: string;
  /** The conversation's folder, ending in "/": where the recording and its metadata sit side by side. */
  folder: string;
  conversationStart: ConversationStart;
}

export interface LandingRecording extends LandingFile {
  kind: "recording";
  /** The extension without the dot, when the file has one. */
  extension: string | undefined;
}

export interface LandingMetadata extends LandingFile {
  kind: "metadata";
}

export type LandingObject = LandingRecording | LandingMetadata;

const uuidPattern = new RegExp(CONVERSATION_ID_PATTERN, "u");
const SEGMENT_COUNT = 7;
/** One or two digits, no sign, no spaces: "1", "01" and "23" are numbers Genesys writes, "001" is not. */
const SHORT_NUMBER = /^\d{1,2}$/u;
const EXTENSION = /^[A-Za-z0-9]{1,10}$/u;

function partitionValue(key: string, segment: string, name: string, digits: RegExp, min: number, max: number): number {
  const prefix = `${name}=`;
  if (!segment.startsWith(prefix)) throw new LandingKeyError(key, `expected "${prefix}…" but found "${segment}"`);
  const text = segment.slice(prefix.length);
  const value = Number(text);
  if (!digits.test(text) || value < min || value > max) {
    throw new LandingKeyError(key, `${name} must be a number from ${min} to ${max} (zero-padded or not), not "${text}"`);
  }
  return value;
}

/** The recording id and extension a file name carries, or the reason it carries none. */
function recordingFileParts(fileName: string): { recordingId: string; extension: string | undefined } | string {
  const dot = fileName.indexOf(".");
  const recordingId = dot === -1 ? fileName : fileName.slice(0, dot);
  const extension = dot === -1 ? undefined : fileName.slice(dot + 1);
  if (!uuidPattern.test(recordingId)) return "the file name must start with the recording id (a UUID)";
  if (extension !== undefined && !EXTENSION.test(extension)) return "the file name may only end in one extension of 1-10 letters or digits";
  return { recordingId, extension };
}

/**
 * Parses a landing key (already URL-decoded). `organizationId`, when given,
 * must be the key's first segment: objects of another organization are not ours.
 */
export function parseLandingKey(key: string, organizationId?: string): LandingObject {
  const segments = key.split("/");
  if (segments.length !== SEGMENT_COUNT) {
    throw new LandingKeyError(
      key,
      `expected ${SEGMENT_COUNT} segments {orgId}/year=…/month=…/day=…/hour=…/conversation_id=…/{file}, found ${segments.length}`,
    );
  }
  const [orgId, yearSegment, monthSegment, daySegment, hourSegment, conversationSegment, fileName] = segments;
  if (!uuidPattern.test(orgId)) throw new LandingKeyError(key, "the first segment must be the Genesys organization id (a UUID)");
  if (organizationId !== undefined && orgId.toLowerCase() !== organizationId.toLowerCase()) {
    throw new LandingKeyError(key, "the first segment is not this stack's Genesys organization id");
  }
  const conversationStart: ConversationStart = {
    year: partitionValue(key, yearSegment, "year", /^\d{4}$/u, 1970, 9999),
    month: partitionValue(key, monthSegment, "month", SHORT_NUMBER, 1, 12),
    day: partitionValue(key, daySegment, "day", SHORT_NUMBER, 1, 31),
    hour: partitionValue(key, hourSegment, "hour", SHORT_NUMBER, 0, 23),
  };
  const conversationPrefix = "conversation_id=";
  const conversationId = conversationSegment.startsWith(conversationPrefix) ? conversationSegment.slice(conversationPrefix.length) : "";
  if (!uuidPattern.test(conversationId)) throw new LandingKeyError(key, 'the sixth segment must be "conversation_id={UUID}"');
  const folder = key.slice(0, key.length - fileName.length);
  const common = { key, organizationId: orgId, conversationId, fileName, folder, conversationStart };

  if (fileName.endsWith(METADATA_SUFFIX)) {
    const parts = recordingFileParts(fileName.slice(0, -METADATA_SUFFIX.length));
    if (typeof parts === "string") throw new LandingKeyError(key, `metadata file: ${parts}, then "${METADATA_SUFFIX}"`);
    return { ...common, kind: "metadata", recordingId: parts.recordingId };
  }
  const parts = recordingFileParts(fileName);
  if (typeof parts === "string") throw new LandingKeyError(key, `recording file: ${parts}`);
  return { ...common, kind: "recording", recordingId: parts.recordingId, extension: parts.extension };
}

/**
 * Where a recording's metadata file may be: `{recordingId}_metadata.json`
 * (Genesys Help, the contract) first, then `{recordingFile}_metadata.json`
 * when the recording file has an extension (seen in third-party consumers).
 */
export function metadataKeysFor(recording: LandingRecording): string[] {
  const recordingIdName = recording.fileName.slice(0, recording.recordingId.length);
  const candidates = [
    `${recording.folder}${recordingIdName}${METADATA_SUFFIX}`,
    `${recording.folder}${recording.fileName}${METADATA_SUFFIX}`,
  ];
  return [...new Set(candidates)];
}
