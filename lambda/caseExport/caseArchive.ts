import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import {
  CASE_EXPORT_JOB_PREDICATE_TYPE,
  CASE_EXPORT_PREDICATE_TYPE,
  type CaseExportJobPredicate,
  type CaseExportPredicate,
  exportsPrefix,
  parseRecordKey,
  readRecord,
} from "./caseRecords";

/** What the archive holds for one case: its export and job records, and which conversations are sealed. */

/** Every key under a prefix, all pages. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
  }
  return keys;
}

export interface CaseExports {
  exports: Map<string, CaseExportPredicate>;
  /** exportId → job number → job record. */
  jobs: Map<string, Map<number, CaseExportJobPredicate>>;
}

export async function readCaseExports(s3: S3Client, bucket: string, caseId: string): Promise<CaseExports> {
  const exports = new Map<string, CaseExportPredicate>();
  const jobs = new Map<string, Map<number, CaseExportJobPredicate>>();
  for (const key of await listKeys(s3, bucket, exportsPrefix(caseId))) {
    const kind = parseRecordKey(key);
    if (kind?.kind === "export") {
      const statement = await readRecord<CaseExportPredicate>(s3, bucket, key, CASE_EXPORT_PREDICATE_TYPE);
      if (statement) exports.set(kind.exportId, statement.predicate);
    } else if (kind?.kind === "job") {
      const statement = await readRecord<CaseExportJobPredicate>(s3, bucket, key, CASE_EXPORT_JOB_PREDICATE_TYPE);
      if (!statement) continue;
      const perExport = jobs.get(kind.exportId) ?? new Map<number, CaseExportJobPredicate>();
      perExport.set(kind.jobNumber, statement.predicate);
      jobs.set(kind.exportId, perExport);
    }
  }
  return { exports, jobs };
}

const CUSTODY_RECORD = /^cases\/[^/]+\/conversations\/([^/]+)\/recordings\/(.+)\.custody\.dsse\.json$/u;

/** Sealed recordings per conversation of the case: the custody records under cases/{caseId}/conversations/. */
export async function sealedRecordings(s3: S3Client, bucket: string, caseId: string): Promise<Map<string, string[]>> {
  const sealed = new Map<string, string[]>();
  for (const key of await listKeys(s3, bucket, `cases/${caseId}/conversations/`)) {
    const match = CUSTODY_RECORD.exec(key);
    if (!match) continue;
    const list = sealed.get(match[1]) ?? [];
    list.push(match[2]);
    sealed.set(match[1], list);
  }
  return sealed;
}
