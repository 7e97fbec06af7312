import { parseRecordKey } from "../../../lambda/caseExport/caseRecords";
import { RELEASE_RECORD_SUFFIX, releasesPrefixOf } from "../holdRelease/caseInventory";
import type { CaseRecordKind } from "./recordReport";

/**
 * The signed case records among listed archive keys: release records
 * (`cases/{caseId}/releases/{releaseId}.release.dsse.json`), case-export
 * records (`cases/{caseId}/exports/{exportId}.export.dsse.json`) and their job
 * records (`…/{exportId}.job-{n}.dsse.json`).
 */

export interface CaseRecordKey {
  key: string;
  kind: CaseRecordKind;
  caseId: string;
  /** The release id or the export id the key names. */
  id: string;
  jobNumber?: number;
}

export function parseCaseRecordKey(key: string): CaseRecordKey | undefined {
  const caseId = /^cases\/([^/]+)\//u.exec(key)?.[1];
  if (caseId === undefined) return undefined;
  const releasePrefix = releasesPrefixOf(caseId);
  if (key.startsWith(releasePrefix) && key.endsWith(RELEASE_RECORD_SUFFIX)) {
    const id = key.slice(releasePrefix.length, -RELEASE_RECORD_SUFFIX.length);
    if (id !== "" && !id.includes("/")) return { key, kind: "release", caseId, id };
  }
  const parsed = parseRecordKey(key);
  if (parsed?.kind === "export") return { key, kind: "export", caseId, id: parsed.exportId };
  if (parsed?.kind === "job") return { key, kind: "job", caseId, id: parsed.exportId, jobNumber: parsed.jobNumber };
  return undefined;
}

export function caseRecordKeys(keys: Iterable<string>): CaseRecordKey[] {
  const found: CaseRecordKey[] = [];
  for (const key of keys) {
    const parsed = parseCaseRecordKey(key);
    if (parsed) found.push(parsed);
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
