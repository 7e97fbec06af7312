import { createHash } from "node:crypto";
import { canonicalJson } from "../../../lambda/custody/canonicalJson";
import { casePrefixOf } from "../holdRelease/caseInventory";
import { releaseIdOf } from "../holdRelease/releaseRecord";
import type { CaseRecordKey } from "./caseRecordKeys";
import type { RecordCheck } from "./recordReport";
import { isObject, type SignedStatement, shown } from "./signedStatement";
import { type ArchiveSource, describeError } from "./sources";

/**
 * The checks specific to a release record: it names the case, bucket and
 * release its key does; its subject digest and release id are recomputed from
 * the released-version list it signs; every listed version still exists; and
 * what their holds are now.
 *
 * A hold found ON again is reported, not failed: the record proves the hold
 * was lifted at releasedAt, and a hold set since (the case reopened, another
 * matter holding the same recording) is a later, legitimate act verify cannot
 * tell from the record. Failing it would make a re-held archive unverifiable.
 */

type Version = { key: string; versionId: string };
const isVersion = (value: unknown): value is Version =>
  isObject(value) && typeof value.key === "string" && typeof value.versionId === "string";

export function releaseStatementChecks(where: CaseRecordKey, statement: SignedStatement, bucket: string | undefined): RecordCheck[] {
  const p = statement.predicate;
  const problems: string[] = [];
  if (p.caseId !== where.caseId) problems.push(`caseId is ${shown(p.caseId)}, the key says ${where.caseId}`);
  if (p.releaseId !== where.id) problems.push(`releaseId is ${shown(p.releaseId)}, the key says ${where.id}`);
  if (bucket !== undefined && p.bucket !== bucket) problems.push(`bucket is ${shown(p.bucket)}, found in ${bucket}`);
  const checks: RecordCheck[] = [{ name: "location", status: problems.length === 0 ? "ok" : "FAILED", detail: problems.join("; ") }];

  const versions = Array.isArray(p.versions) ? p.versions : undefined;
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  const subject = subjects.length === 1 && isObject(subjects[0]) ? subjects[0] : undefined;
  const digest = subject && isObject(subject.digest) ? subject.digest.sha256 : undefined;
  const subjectProblems: string[] = [];
  if (!versions?.every(isVersion)) subjectProblems.push("versions is not a list of {key, versionId}");
  else {
    const recomputed = createHash("sha256").update(canonicalJson(versions)).digest("hex");
    if (digest !== recomputed) subjectProblems.push(`digest ${shown(digest)} is not the released-version list's ${recomputed}`);
    if (releaseIdOf(versions) !== p.releaseId) subjectProblems.push("releaseId is not derived from the released versions");
  }
  if (!subject) subjectProblems.unshift(`expected one subject, found ${subjects.length}`);
  else if (subject.name !== `s3://${shown(p.bucket)}/${casePrefixOf(where.caseId)}`) subjectProblems.push(`names ${shown(subject.name)}`);
  checks.push({
    name: "subject",
    status: subjectProblems.length === 0 ? "ok" : "FAILED",
    detail: subjectProblems.join("; ") || "digest of the released-version list recomputed",
  });
  return checks;
}

/** Every listed version exists; holds ON again are named. Local copies have no versions: their keys must be there. */
export async function releasedVersionChecks(
  statement: SignedStatement,
  source: ArchiveSource,
  listed: ReadonlySet<string>,
): Promise<RecordCheck[]> {
  const versions = (Array.isArray(statement.predicate.versions) ? statement.predicate.versions : []).filter(isVersion);
  if (!source.versionState) {
    const missing = versions.filter((v) => !listed.has(v.key)).map((v) => v.key);
    return [
      {
        name: "released versions",
        status: missing.length === 0 ? "ok" : "FAILED",
        detail:
          missing.length === 0 ? `${versions.length} key(s) present (local copy: versions not compared)` : `missing ${missing.join(", ")}`,
      },
      { name: "holds lifted", status: "n/a", detail: "n/a (local copy)" },
    ];
  }
  const missing: string[] = [];
  const unknown: string[] = [];
  const heldAgain: string[] = [];
  for (const v of versions) {
    let state: Awaited<ReturnType<NonNullable<ArchiveSource["versionState"]>>>;
    try {
      state = await source.versionState(v.key, v.versionId);
    } catch (error) {
      unknown.push(`${v.key} (${v.versionId}): ${describeError(error)}`);
      continue;
    }
    if (!state.exists.ok) unknown.push(`${v.key} (${v.versionId}): ${state.exists.error}`);
    else if (!state.exists.value) missing.push(`${v.key} (${v.versionId})`);
    else if (!state.legalHold.ok) unknown.push(`${v.key} (${v.versionId}): ${state.legalHold.error}`);
    else if (state.legalHold.value === "ON") heldAgain.push(`${v.key} (${v.versionId})`);
  }
  const exists: RecordCheck =
    missing.length > 0
      ? { name: "released versions", status: "FAILED", detail: `missing ${missing.join(", ")}` }
      : unknown.length > 0
        ? { name: "released versions", status: "UNKNOWN", detail: unknown.join("; ") }
        : { name: "released versions", status: "ok", detail: `${versions.length} version(s) exist` };
  const holds: RecordCheck =
    heldAgain.length > 0
      ? {
          name: "holds lifted",
          status: "ok",
          detail: `OFF but for ${heldAgain.length} held again since the release: ${heldAgain.join(", ")}`,
        }
      : {
          name: "holds lifted",
          status: unknown.length > 0 ? "UNKNOWN" : "ok",
          detail: unknown.length > 0 ? "see released versions" : "OFF on every version",
        };
  return [exists, holds];
}
