import type { ArchivedRecording, StoredChecksum } from "../archive/recordingWriter";
import type { ExportedMetadataSummary } from "../bulk/exportedMetadata";
import type { DeletionProtectionOutcome, MediaSource } from "../genesys/genesysClient";
import type { ExportJob } from "../intake/exportRequest";

/**
 * The chain-of-custody record of one recording, as an in-toto Statement v1
 * (github.com/in-toto/attestation, spec v1): the subject is the recording's
 * S3 key with its SHA-256, the predicate says who asked, what was fetched from
 * where, what exactly is stored (size, version, checksum, hold), when, and
 * whether this delivery uploaded the bytes or adopted a version an earlier
 * delivery had stored. A recording Genesys bulk-exported into the landing
 * bucket (the sealer's path) also says which landing object the bytes came
 * from, what Genesys' `_metadata.json` beside it said, and which case routing
 * sent it to this case (`bulkExport`, absent from pull-path records, so their
 * bytes are unchanged). It is signed as the payload of a DSSE envelope
 * (dsse.ts), serialized as canonical JSON so every delivery builds the same
 * bytes from the same facts.
 */

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** Our predicate's type: an identifier, versioned by its last path segment; nothing is fetched from it. */
export const CUSTODY_PREDICATE_TYPE = "https://legal-hold-archive.example/custody-record/v1";

/** How the stored version came to be the evidence. */
export type StorageOrigin =
  | { method: "uploaded" }
  | {
      method: "adopted";
      /** Why this delivery did not upload: the key already held a version with no custody record. */
      reason: string;
      /** What this delivery downloaded before S3 refused its write, compared with the stored version; null when it downloaded nothing. */
      freshDownload: { sha256: string; bytes: number; matchesStored: boolean } | null;
    };

/** Where a bulk-exported recording came from: the sealer's facts, absent from pull-path records. */
export interface BulkExportOrigin {
  /** The landing object the bytes were streamed from (versionId and etag when S3 answered them). */
  landing: { bucket: string; key: string; versionId: string | null; etag: string | null; bytes: number };
  /** Genesys' `{recordingId}_metadata.json` beside it: its key, size, SHA-256, and only its ids and non-personal fields. */
  genesysMetadata: { key: string; bytes: number; sha256: string; summary: ExportedMetadataSummary };
  /** The routing object that sent this recording to this case, and the case export that wrote it. */
  routing: { key: string; exportId: string; caseRecordKey: string; requestedBy: string | null; requestedAt: string };
}

export interface CustodyPredicateInput {
  job: ExportJob;
  recordingId: string;
  /** Host and path of the media URI (never its query string, which carries signatures); null when nothing was downloaded. */
  source: MediaSource | null;
  formatId: string;
  contentType: string;
  bucket: string;
  key: string;
  stored: ArchivedRecording;
  storage: StorageOrigin;
  /** null when this delivery downloaded nothing (it adopted a stored version). */
  downloadStartedAt: Date | null;
  storedAt: Date;
  /** The worker's ARN and request id, so the record points at the exact invocation's logs. */
  functionArn: string;
  awsRequestId: string;
  deletionProtection: DeletionProtectionOutcome;
  /** Set by the sealer only. */
  bulkExport?: BulkExportOrigin;
}

export interface CustodyPredicate {
  jobId: string;
  caseId: string;
  conversationId: string;
  recordingId: string;
  source: MediaSource | null;
  formatId: string;
  contentType: string;
  bytes: number;
  sha256: string;
  s3: { bucket: string; key: string; versionId: string; checksum: StoredChecksum; legalHold: "ON" };
  storage: StorageOrigin;
  times: { requestedAt: string; downloadStartedAt: string | null; storedAt: string };
  /** null when the data action did not say; always present so every record has the same shape. */
  requestedBy: string | null;
  functionArn: string;
  awsRequestId: string;
  deletionProtection: DeletionProtectionOutcome;
  /** Only on records of bulk-exported recordings. */
  bulkExport?: BulkExportOrigin;
}

export interface CustodyStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof CUSTODY_PREDICATE_TYPE;
  predicate: CustodyPredicate;
}

export function buildCustodyStatement(input: CustodyPredicateInput): CustodyStatement {
  const { job, stored } = input;
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: input.key, digest: { sha256: stored.sha256 } }],
    predicateType: CUSTODY_PREDICATE_TYPE,
    predicate: {
      jobId: job.jobId,
      caseId: job.caseId,
      conversationId: job.conversationId,
      recordingId: input.recordingId,
      // Rebuilt field by field so nothing but host and path can slip in.
      source: input.source ? { host: input.source.host, path: input.source.path } : null,
      formatId: input.formatId,
      contentType: input.contentType,
      bytes: stored.bytes,
      sha256: stored.sha256,
      s3: {
        bucket: input.bucket,
        key: input.key,
        versionId: stored.versionId,
        checksum: { algorithm: stored.checksum.algorithm, type: stored.checksum.type, value: stored.checksum.value },
        legalHold: stored.legalHold,
      },
      storage: input.storage,
      times: {
        requestedAt: job.requestedAt,
        downloadStartedAt: input.downloadStartedAt ? input.downloadStartedAt.toISOString() : null,
        storedAt: input.storedAt.toISOString(),
      },
      requestedBy: job.requestedBy ?? null,
      functionArn: input.functionArn,
      awsRequestId: input.awsRequestId,
      deletionProtection: input.deletionProtection,
      // Left out (not null) on pull-path records, so their canonical bytes stay what they were.
      ...(input.bulkExport ? { bulkExport: input.bulkExport } : {}),
    },
  };
}
