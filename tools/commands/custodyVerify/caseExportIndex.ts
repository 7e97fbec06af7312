import type { KeyObject } from "node:crypto";
import { CASE_EXPORT_PREDICATE_TYPE } from "../../../lambda/caseExport/caseRecords";
import { checkSignedStatement } from "./signedStatement";
import { type ArchiveSource, describeError } from "./sources";

/**
 * The case-export records other records point at (a job record's
 * exportRecordKey, a bulk custody record's caseRecordKey), each read and
 * verified once per run. Only a record whose signature verifies is answered:
 * a pointer to a forged list proves nothing.
 */

export type ExportRecordLookup = { found: true; conversationIds: string[]; jobBatches: string[][] } | { found: false; problem: string };

export type CaseExportIndex = (key: string) => Promise<ExportRecordLookup>;

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : undefined;

export function caseExportIndex(source: ArchiveSource, publicKeyFor: (keyId: string) => Promise<KeyObject>): CaseExportIndex {
  const lookups = new Map<string, Promise<ExportRecordLookup>>();
  const lookup = async (key: string): Promise<ExportRecordLookup> => {
    let bytes: Buffer;
    try {
      bytes = await source.read(key);
    } catch (error) {
      return { found: false, problem: `${key} cannot be read: ${describeError(error)}` };
    }
    const { statement, checks } = await checkSignedStatement(bytes, CASE_EXPORT_PREDICATE_TYPE, publicKeyFor, describeError);
    const failed = checks.filter((c) => c.status !== "ok");
    if (!statement || failed.length > 0)
      return { found: false, problem: `${key} does not verify (${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")})` };
    const conversationIds = strings(statement.predicate.conversationIds);
    const batches = Array.isArray(statement.predicate.jobBatches) ? statement.predicate.jobBatches.map(strings) : undefined;
    if (!conversationIds || !batches || batches.some((b) => b === undefined))
      return { found: false, problem: `${key} has no conversation list or job batches` };
    return { found: true, conversationIds, jobBatches: batches as string[][] };
  };
  return (key) => {
    let found = lookups.get(key);
    if (!found) {
      found = lookup(key);
      lookups.set(key, found);
    }
    return found;
  };
}
