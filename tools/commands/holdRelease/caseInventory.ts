import { createHash } from "node:crypto";
import {
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import { parseEnvelope } from "../../../lambda/custody/dsse";
import { RECORD_SUFFIX } from "../custodyVerify/layout";
import { describeError } from "../custodyVerify/sources";

/**
 * What the archive holds for a case, read before anything changes: every
 * object version under `cases/{caseId}/` (recordings, custody records, any
 * other object; not the release records themselves) with its legal hold now
 * and, where a custody record names it, its SHA-256.
 */

export const RELEASES_FOLDER = "releases/";
export const RELEASE_RECORD_SUFFIX = ".release.dsse.json";

export type HoldStatus = "ON" | "OFF";

export interface CaseVersion {
  key: string;
  versionId: string;
  /** From the custody record that names this version (media), or of the record's own bytes; null when unknown. */
  sha256: string | null;
  hold: HoldStatus;
}

/** S3 could not be read: nothing was changed; exit 1 names it. */
export class ArchiveReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ArchiveReadError";
  }
}

export const casePrefixOf = (caseId: string) => `cases/${caseId}/`;
export const releasesPrefixOf = (caseId: string) => `${casePrefixOf(caseId)}${RELEASES_FOLDER}`;

/** The conversation a key of the case belongs to, if any. */
export function conversationOf(key: string): string | undefined {
  return /^cases\/[^/]+\/conversations\/([^/]+)\//u.exec(key)?.[1];
}

async function listVersions(s3: S3Client, bucket: string, caseId: string): Promise<{ key: string; versionId: string }[]> {
  const found: { key: string; versionId: string }[] = [];
  try {
    // The SDK has no paginator for ListObjectVersions: follow the key and version-id markers.
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: casePrefixOf(caseId), ...markers }));
      for (const version of page.Versions ?? []) {
        if (!version.Key || !version.VersionId || version.Key.startsWith(releasesPrefixOf(caseId))) continue;
        found.push({ key: version.Key, versionId: version.VersionId });
      }
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
  } catch (error) {
    throw new ArchiveReadError(`listing the versions under s3://${bucket}/${casePrefixOf(caseId)} failed: ${describeError(error)}`, {
      cause: error,
    });
  }
  return found.sort((a, b) => (a.key === b.key ? (a.versionId < b.versionId ? -1 : 1) : a.key < b.key ? -1 : 1));
}

async function holdOf(s3: S3Client, bucket: string, key: string, versionId: string): Promise<HoldStatus> {
  try {
    const answer = await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    return answer.LegalHold?.Status === "ON" ? "ON" : "OFF";
  } catch (error) {
    throw new ArchiveReadError(`reading the legal hold of ${key} version ${versionId} failed: ${describeError(error)}`, { cause: error });
  }
}

/**
 * SHA-256s the custody records state: the media version each names, and the
 * record's own current version. A record that is not a readable envelope
 * leaves its versions without a digest rather than stopping the release.
 */
async function custodyDigests(s3: S3Client, bucket: string, recordKeys: string[]): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const key of recordKeys) {
    let bytes: Buffer;
    let versionId: string | undefined;
    try {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      bytes = Buffer.from((await answer.Body?.transformToByteArray()) ?? []);
      versionId = answer.VersionId;
    } catch (error) {
      throw new ArchiveReadError(`reading the custody record ${key} failed: ${describeError(error)}`, { cause: error });
    }
    if (versionId) digests.set(`${key}\n${versionId}`, createHash("sha256").update(bytes).digest("hex"));
    try {
      const statement = JSON.parse(parseEnvelope(bytes.toString("utf8")).payloadBytes.toString("utf8")) as {
        predicate?: { sha256?: unknown; s3?: { key?: unknown; versionId?: unknown } };
      };
      const { sha256, s3: stored } = statement.predicate ?? {};
      if (typeof sha256 === "string" && typeof stored?.key === "string" && typeof stored.versionId === "string")
        digests.set(`${stored.key}\n${stored.versionId}`, sha256);
    } catch {
      // Not an envelope: verify reports it; the release lists the versions without a digest.
    }
  }
  return digests;
}

/** Every version of the case with its hold and known digest, in key order; progress on `progress`. */
export async function readCaseVersions(
  s3: S3Client,
  bucket: string,
  caseId: string,
  progress: (line: string) => void,
): Promise<CaseVersion[]> {
  const versions = await listVersions(s3, bucket, caseId);
  progress(`found ${versions.length} object version(s) under ${casePrefixOf(caseId)}`);
  const recordKeys = [...new Set(versions.map((v) => v.key).filter((key) => key.endsWith(RECORD_SUFFIX)))];
  const digests = await custodyDigests(s3, bucket, recordKeys);
  const result: CaseVersion[] = [];
  for (const [index, version] of versions.entries()) {
    if ((index + 1) % 50 === 0) progress(`read the legal hold of ${index + 1} of ${versions.length} version(s)`);
    result.push({
      ...version,
      sha256: digests.get(`${version.key}\n${version.versionId}`) ?? null,
      hold: await holdOf(s3, bucket, version.key, version.versionId),
    });
  }
  return result;
}

export interface ArchiveCases {
  /** Conversation ids per case, from the keys under cases/{caseId}/conversations/. */
  conversations: Map<string, Set<string>>;
  /** Cases with at least one release record. */
  released: Set<string>;
}

/** Which cases hold which conversations, and which cases are released, from one listing of `cases/`. */
export async function readArchiveCases(s3: S3Client, bucket: string): Promise<ArchiveCases> {
  const conversations = new Map<string, Set<string>>();
  const released = new Set<string>();
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: "cases/" })) {
      for (const { Key: key } of page.Contents ?? []) {
        const caseId = key && /^cases\/([^/]+)\//u.exec(key)?.[1];
        if (!key || !caseId) continue;
        if (key.startsWith(releasesPrefixOf(caseId)) && key.endsWith(RELEASE_RECORD_SUFFIX)) released.add(caseId);
        const conversation = conversationOf(key);
        if (conversation) conversations.set(caseId, (conversations.get(caseId) ?? new Set()).add(conversation));
      }
    }
  } catch (error) {
    throw new ArchiveReadError(`listing s3://${bucket}/cases/ failed: ${describeError(error)}`, { cause: error });
  }
  return { conversations, released };
}

export interface GenesysPlan {
  /** Conversations of the case no other unreleased case holds: their deletion protection is revoked. */
  revoke: string[];
  /** Conversations another unreleased case still holds, with those cases: protection stays. */
  keep: { conversationId: string; heldBy: string[] }[];
}

export function planGenesysRevocation(caseId: string, cases: ArchiveCases): GenesysPlan {
  const mine = [...(cases.conversations.get(caseId) ?? [])].sort();
  const revoke: string[] = [];
  const keep: GenesysPlan["keep"] = [];
  for (const conversationId of mine) {
    const heldBy = [...cases.conversations]
      .filter(([other, ids]) => other !== caseId && !cases.released.has(other) && ids.has(conversationId))
      .map(([other]) => other)
      .sort();
    if (heldBy.length === 0) revoke.push(conversationId);
    else keep.push({ conversationId, heldBy });
  }
  return { revoke, keep };
}
