import { RELEASE_PREDICATE_TYPE } from "../holdRelease/releaseRecord";
import type { CaseExportIndex } from "./caseExportIndex";
import type { CaseRecordKey } from "./caseRecordKeys";
import type { PublicKeyResolver } from "./checks";
import { EXPORT_PREDICATE_TYPES, exportRecordChecks, jobRecordChecks } from "./exportRecordChecks";
import { legalHoldCheck, retentionCheck } from "./lockState";
import { type RecordCheck, type RecordReport, recordReport } from "./recordReport";
import { releasedVersionChecks, releaseStatementChecks } from "./releaseRecordChecks";
import { checkSignedStatement } from "./signedStatement";
import { type ArchiveSource, describeError } from "./sources";

/**
 * Verifies one signed case record: the envelope, statement and signature
 * (like a custody record), what its kind derives from its predicate, and
 * what S3 Object Lock says about it. Never throws.
 */

export interface CaseRecordContext {
  source: ArchiveSource;
  publicKeyFor: PublicKeyResolver;
  now: Date;
  /** Every key the run listed (a local copy's release records are checked against it). */
  listed: ReadonlySet<string>;
  caseExports: CaseExportIndex;
}

const PREDICATE_TYPES = { release: RELEASE_PREDICATE_TYPE, ...EXPORT_PREDICATE_TYPES } as const;

export async function verifyCaseRecord(where: CaseRecordKey, context: CaseRecordContext): Promise<RecordReport> {
  const { source } = context;
  let bytes: Buffer;
  try {
    bytes = await source.read(where.key);
  } catch (error) {
    return recordReport(where.key, where.kind, [{ name: "record", status: "FAILED", detail: `unreadable: ${describeError(error)}` }]);
  }
  const { statement, checks } = await checkSignedStatement(bytes, PREDICATE_TYPES[where.kind], context.publicKeyFor, describeError);
  if (!statement) checks.push({ name: "subject", status: "FAILED", detail: "no valid record" });
  else if (where.kind === "release") {
    checks.push(...releaseStatementChecks(where, statement, source.bucket));
    checks.push(...(await releasedVersionChecks(statement, source, context.listed)));
  } else if (where.kind === "export") checks.push(...exportRecordChecks(where, statement));
  else checks.push(...(await jobRecordChecks(where, statement, context.caseExports)));
  checks.push(...(await lockChecks(where, context)));
  return recordReport(where.key, where.kind, checks);
}

/**
 * Export and job records are written under a legal hold like custody records.
 * Release records are not (the release role writes the record of lifting the
 * case's holds, and the bucket's default COMPLIANCE retention keeps it): their
 * hold is shown, not required.
 */
async function lockChecks(where: CaseRecordKey, context: CaseRecordContext): Promise<RecordCheck[]> {
  if (!context.source.storedFacts)
    return [
      { name: "legal hold", status: "n/a", detail: "n/a (local copy)" },
      { name: "retention", status: "n/a", detail: "n/a (local copy)" },
    ];
  const facts = await context.source.storedFacts(where.key);
  const hold = legalHoldCheck(facts);
  return [
    where.kind === "release"
      ? { name: "legal hold", status: "n/a", detail: `${hold.detail} (release records are kept by retention, not a hold)` }
      : { name: "legal hold", ...hold },
    { name: "retention", ...retentionCheck(facts, context.now) },
  ];
}
