/**
 * The archive's key layout: cases/{caseId}/conversations/{conversationId}/recordings/{recordingId}.{ext}
 * (or `{recordingId}` alone, as Genesys' bulk export may name it)
 * for the media, with `<media key>.custody.dsse.json` (the signed custody
 * record, a DSSE envelope) beside it; recordings archived by earlier releases
 * have `<media key>.custody.json` (the manifest) and `<media key>.custody.sig.json`
 * (its signature) instead.
 */

export const RECORD_SUFFIX = ".custody.dsse.json";
export const MANIFEST_SUFFIX = ".custody.json";
export const SIGNATURE_SUFFIX = ".custody.sig.json";

const MEDIA_KEY = /^cases\/([^/]+)\/conversations\/([^/]+)\/recordings\/([^/]+)\.([^./]+)$/u;
/** Genesys' bulk export may name a recording file by its id alone, and the sealer keeps that name. */
const MEDIA_KEY_WITHOUT_EXTENSION = /^cases\/([^/]+)\/conversations\/([^/]+)\/recordings\/([^/.]+)$/u;

/** The ids a media key's location implies, or undefined when the key is not in the layout. */
export interface KeyLocation {
  caseId: string;
  conversationId: string;
  recordingId: string;
  extension: string;
}

export function parseMediaKey(key: string): KeyLocation | undefined {
  const bare = MEDIA_KEY_WITHOUT_EXTENSION.exec(key);
  if (bare) return { caseId: bare[1] as string, conversationId: bare[2] as string, recordingId: bare[3] as string, extension: "" };
  const match = MEDIA_KEY.exec(key);
  if (!match) return undefined;
  const [, caseId, conversationId, recordingId, extension] = match as unknown as [string, string, string, string, string];
  return { caseId, conversationId, recordingId, extension };
}

/** One recording as found in the archive: whichever of its objects exist. */
export interface RecordingObjects {
  mediaKey: string;
  recordKey: string;
  manifestKey: string;
  signatureKey: string;
  hasMedia: boolean;
  hasRecord: boolean;
  hasManifest: boolean;
  hasSignature: boolean;
}

/** The key prefix that holds a case (or one conversation of it); "cases/" for everything. */
export function casePrefix(caseId: string | undefined, conversationId: string | undefined): string {
  if (caseId === undefined) return "cases/";
  return conversationId === undefined ? `cases/${caseId}/` : `cases/${caseId}/conversations/${conversationId}/`;
}

/**
 * Groups listed keys by recording. A record, manifest or signature without its media
 * still makes a recording (whose media check fails); keys outside
 * `.../recordings/` are ignored.
 */
export function groupRecordings(keys: Iterable<string>): RecordingObjects[] {
  const byMedia = new Map<string, RecordingObjects>();
  const entry = (mediaKey: string) => {
    let found = byMedia.get(mediaKey);
    if (!found) {
      found = {
        mediaKey,
        recordKey: mediaKey + RECORD_SUFFIX,
        manifestKey: mediaKey + MANIFEST_SUFFIX,
        signatureKey: mediaKey + SIGNATURE_SUFFIX,
        hasMedia: false,
        hasRecord: false,
        hasManifest: false,
        hasSignature: false,
      };
      byMedia.set(mediaKey, found);
    }
    return found;
  };
  for (const key of keys) {
    if (!/\/recordings\/[^/]+$/u.test(key)) continue;
    if (key.endsWith(RECORD_SUFFIX)) entry(key.slice(0, -RECORD_SUFFIX.length)).hasRecord = true;
    else if (key.endsWith(SIGNATURE_SUFFIX)) entry(key.slice(0, -SIGNATURE_SUFFIX.length)).hasSignature = true;
    else if (key.endsWith(MANIFEST_SUFFIX)) entry(key.slice(0, -MANIFEST_SUFFIX.length)).hasManifest = true;
    else entry(key).hasMedia = true;
  }
  return [...byMedia.values()].sort((a, b) => (a.mediaKey < b.mediaKey ? -1 : a.mediaKey > b.mediaKey ? 1 : 0));
}
