import { createHash } from "node:crypto";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { httpStatus } from "../archive/s3Errors";
import { caseExportRecordKey } from "../bulk/caseRouting";
import { canonicalJsonBytes } from "../custody/canonicalJson";
import type { CustodySigner } from "../custody/custodySigner";
import { STATEMENT_TYPE } from "../custody/custodyStatement";
import { parseEnvelope } from "../custody/dsse";
import { putSignedRecordOnce } from "../custody/signedRecordOnce";
import type { CaseExportRequest } from "./caseExportRequest";

/**
 * The case export's evidence in the archive, each a DSSE envelope over an
 * in-toto Statement v1, signed with the custody key and written once:
 *
 * - `cases/{caseId}/exports/{exportId}.export.dsse.json`: what the query
 *   found (the conversation list is the subject's digest), deletion
 *   protection per conversation, which conversations were left out and why,
 *   and the job batches: written only after the query succeeded;
 * - `cases/{caseId}/exports/{exportId}.job-{n}.dsse.json`: the Genesys job
 *   created for batch n, written right after Genesys created it and before
 *   it is started.
 *
 * The export id is derived from the case and the query, so a re-run of the
 * same export finds its own records and continues instead of starting over.
 */

export const CASE_EXPORT_PREDICATE_TYPE = "https://legal-hold-archive.example/case-export/v1";
export const CASE_EXPORT_JOB_PREDICATE_TYPE = "https://legal-hold-archive.example/case-export-job/v1";

export interface ProtectionFailure {
  conversationId: string;
  failures: string[];
}

export interface ExcludedConversation {
  conversationId: string;
  /** "sealed" (the archive already holds it for this case) or "in-running-job" (another export's job is exporting it). */
  reason: "sealed" | "in-running-job";
  detail: string;
}

export interface CaseExportPredicate {
  exportId: string;
  caseId: string;
  query: { from: string; to: string; queueIds: string[]; userIds: string[]; divisionIds: string[] };
  /** Every conversation the query matched, sorted. */
  conversationIds: string[];
  excluded: ExcludedConversation[];
  /** The conversations of job n are jobBatches[n - 1]; fixed here so a re-run creates the same jobs. */
  jobBatches: string[][];
  deletionProtection: { protected: number; failed: ProtectionFailure[] };
  integrationId: string;
  requestedBy: string | null;
  requestedAt: string;
  functionArn: string;
  awsRequestId: string;
}

export interface CaseExportJobPredicate {
  exportId: string;
  caseId: string;
  jobNumber: number;
  genesysJobId: string;
  conversationIds: string[];
  integrationId: string;
  createdAt: string;
  stateAtCreation: string;
  exportRecordKey: string;
  functionArn: string;
  awsRequestId: string;
}

export interface Statement<P> {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: string;
  predicate: P;
}

/** Why a record could not be written or read; `key` names it. */
export class CaseRecordError extends Error {
  constructor(
    readonly key: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`Case export record ${key}: ${problem}`, options);
    this.name = "CaseRecordError";
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * A UUID (version 8, RFC 9562's custom layout) from the SHA-256 of the case and
 * the normalized query: the same request always names the same export.
 */
export function caseExportId(request: CaseExportRequest): string {
  const digest = createHash("sha256")
    .update(canonicalJsonBytes({ caseId: request.caseId, query: queryOf(request) }))
    .digest();
  digest[6] = (digest[6] & 0x0f) | 0x80;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function queryOf(request: CaseExportRequest): CaseExportPredicate["query"] {
  return {
    from: request.from,
    to: request.to,
    queueIds: request.queueIds ?? [],
    userIds: request.userIds ?? [],
    divisionIds: request.divisionIds ?? [],
  };
}

export const exportsPrefix = (caseId: string) => `cases/${caseId}/exports/`;
export { caseExportRecordKey };
export const caseExportJobRecordKey = (caseId: string, exportId: string, jobNumber: number) =>
  `${exportsPrefix(caseId)}${exportId}.job-${jobNumber}.dsse.json`;

const EXPORT_RECORD = /^cases\/[^/]+\/exports\/([0-9a-f-]{36})\.export\.dsse\.json$/u;
const JOB_RECORD = /^cases\/[^/]+\/exports\/([0-9a-f-]{36})\.job-([1-9]\d*)\.dsse\.json$/u;

/** What an archive key under a case's exports/ is: an export record, a job record, or neither. */
export function parseRecordKey(
  key: string,
): { kind: "export"; exportId: string } | { kind: "job"; exportId: string; jobNumber: number } | undefined {
  const exportMatch = EXPORT_RECORD.exec(key);
  if (exportMatch) return { kind: "export", exportId: exportMatch[1] };
  const jobMatch = JOB_RECORD.exec(key);
  if (jobMatch) return { kind: "job", exportId: jobMatch[1], jobNumber: Number(jobMatch[2]) };
  return undefined;
}

export function exportStatement(predicate: CaseExportPredicate): Statement<CaseExportPredicate> {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      {
        name: `genesys-conversations:${predicate.caseId}/${predicate.exportId}`,
        digest: { sha256: sha256(canonicalJsonBytes(predicate.conversationIds)) },
      },
    ],
    predicateType: CASE_EXPORT_PREDICATE_TYPE,
    predicate,
  };
}

export function jobStatement(predicate: CaseExportJobPredicate): Statement<CaseExportJobPredicate> {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      {
        name: `genesys-recording-job:${predicate.genesysJobId}`,
        digest: { sha256: sha256(canonicalJsonBytes(predicate.conversationIds)) },
      },
    ],
    predicateType: CASE_EXPORT_JOB_PREDICATE_TYPE,
    predicate,
  };
}

export interface ArchiveTarget {
  s3: S3Client;
  bucket: string;
  kmsKeyArn: string;
  signer: CustodySigner;
}

const isMissing = (error: unknown) => httpStatus(error) === 404 || (error as Error)?.name === "NoSuchKey";

/** Reads and decodes a stored record's statement; undefined when the key holds nothing. */
export async function readRecord<P>(s3: S3Client, bucket: string, key: string, predicateType: string): Promise<Statement<P> | undefined> {
  let text: string;
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await answer.Body?.transformToString("utf8")) ?? "";
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new CaseRecordError(key, "could not be read", { cause: error });
  }
  try {
    const statement = JSON.parse(parseEnvelope(text).payloadBytes.toString("utf8")) as Statement<P>;
    if (statement.predicateType !== predicateType) throw new Error(`predicateType is ${String(statement.predicateType)}`);
    return statement;
  } catch (error) {
    throw new CaseRecordError(key, `is not a ${predicateType} record`, { cause: error });
  }
}

/**
 * Signs and stores a record once (If-None-Match: *), under legal hold like
 * every custody record. When the key already holds a record (a concurrent or
 * earlier run), that stored record is answered instead: the first one wins.
 */
export async function writeRecordOnce<P>(
  target: ArchiveTarget,
  key: string,
  statement: Statement<P>,
): Promise<{ written: boolean; statement: Statement<P> }> {
  const outcome = await putSignedRecordOnce(
    target,
    key,
    statement,
    { ObjectLockLegalHoldStatus: "ON", ServerSideEncryption: "aws:kms", SSEKMSKeyId: target.kmsKeyArn },
    (cause) => new CaseRecordError(key, "could not be stored", { cause }),
  );
  if (outcome === "written") return { written: true, statement };
  const stored = await readRecord<P>(target.s3, target.bucket, key, statement.predicateType);
  if (!stored) throw new CaseRecordError(key, "S3 refused the write as existing but holds nothing");
  return { written: false, statement: stored };
}
