import {
  CASE_EXPORT_JOB_PREDICATE_TYPE,
  CASE_EXPORT_PREDICATE_TYPE,
  type CaseExportJobPredicate,
  type CaseExportPredicate,
  caseExportRecordKey,
  exportStatement,
  jobStatement,
} from "../../../lambda/caseExport/caseRecords";
import { canonicalJson } from "../../../lambda/custody/canonicalJson";
import type { CaseExportIndex } from "./caseExportIndex";
import type { CaseRecordKey } from "./caseRecordKeys";
import type { RecordCheck } from "./recordReport";
import type { SignedStatement } from "./signedStatement";
import { shown } from "./signedStatement";

/**
 * The checks specific to the bulk path's records, beyond signature and lock
 * state: the record names the case and export its key does, and its subject
 * is what the case-export Lambda's own statement builder derives from the
 * predicate (the conversation list's digest), so an edited list cannot pass.
 * A job record's batch must be the one its export record fixed.
 */

export const EXPORT_PREDICATE_TYPES = { export: CASE_EXPORT_PREDICATE_TYPE, job: CASE_EXPORT_JOB_PREDICATE_TYPE } as const;

function subjectCheck(actual: unknown, derive: () => unknown): RecordCheck {
  let expected: unknown;
  try {
    expected = derive();
  } catch (error) {
    return { name: "subject", status: "FAILED", detail: `cannot be derived from the predicate (${(error as Error).message})` };
  }
  return canonicalJson(actual ?? null) === canonicalJson(expected)
    ? { name: "subject", status: "ok", detail: "digest of the conversation list recomputed" }
    : { name: "subject", status: "FAILED", detail: `is ${shown(actual)}, the predicate gives ${shown(expected)}` };
}

function locationCheck(problems: string[]): RecordCheck {
  return { name: "location", status: problems.length === 0 ? "ok" : "FAILED", detail: problems.join("; ") };
}

export function exportRecordChecks(where: CaseRecordKey, statement: SignedStatement): RecordCheck[] {
  const p = statement.predicate;
  const problems: string[] = [];
  if (p.caseId !== where.caseId) problems.push(`caseId is ${shown(p.caseId)}, the key says ${where.caseId}`);
  if (p.exportId !== where.id) problems.push(`exportId is ${shown(p.exportId)}, the key says ${where.id}`);
  return [locationCheck(problems), subjectCheck(statement.subject, () => exportStatement(p as unknown as CaseExportPredicate).subject)];
}

export async function jobRecordChecks(where: CaseRecordKey, statement: SignedStatement, exports: CaseExportIndex): Promise<RecordCheck[]> {
  const p = statement.predicate;
  const exportKey = caseExportRecordKey(where.caseId, where.id);
  const problems: string[] = [];
  if (p.caseId !== where.caseId) problems.push(`caseId is ${shown(p.caseId)}, the key says ${where.caseId}`);
  if (p.exportId !== where.id) problems.push(`exportId is ${shown(p.exportId)}, the key says ${where.id}`);
  if (p.jobNumber !== where.jobNumber) problems.push(`jobNumber is ${shown(p.jobNumber)}, the key says ${where.jobNumber}`);
  if (p.exportRecordKey !== exportKey) problems.push(`exportRecordKey is ${shown(p.exportRecordKey)}, expected ${exportKey}`);
  const checks = [
    locationCheck(problems),
    subjectCheck(statement.subject, () => jobStatement(p as unknown as CaseExportJobPredicate).subject),
  ];

  const exported = await exports(exportKey);
  if (!exported.found) checks.push({ name: "export record", status: "FAILED", detail: exported.problem });
  else {
    const batch = exported.jobBatches[(where.jobNumber ?? 0) - 1];
    const same = batch !== undefined && canonicalJson(batch) === canonicalJson(p.conversationIds ?? null);
    checks.push({
      name: "export record",
      status: same ? "ok" : "FAILED",
      detail: same ? `batch ${where.jobNumber} of ${exportKey}` : `its conversations are not batch ${where.jobNumber} of ${exportKey}`,
    });
  }
  return checks;
}
