import type { DeletionProtectionOutcome, MediaSource } from "../../lambda/genesys/genesysClient";
import type { ExportJob } from "../../lambda/intake/exportRequest";

/**
 * The custody manifest of the two-file records (manifest + signature file)
 * the worker wrote before custody records became DSSE envelopes. Archives
 * keep those objects for years, so `npm run verify` must still read them;
 * tests build them with this, exactly as the worker did.
 *
 * The chain-of-custody record stored beside each recording: who asked, what
 * was fetched from where, what exactly was stored (hash, size, version,
 * checksum, hold) and when. Stored as canonical JSON so its hash is stable.
 */

export const MANIFEST_SCHEMA_VERSION = 1;

export interface ManifestInput {
  job: ExportJob;
  recordingId: string;
  /** Host and path of the media URI (never its query string, which carries signatures). */
  source: MediaSource;
  formatId: string;
  contentType: string;
  bucket: string;
  key: string;
  /** What the worker stored, as earlier releases described it (CRC64NVME full-object checksum). */
  stored: { versionId: string; sha256: string; bytes: number; checksumCRC64NVME: string; legalHold: "ON" };
  downloadStartedAt: Date;
  storedAt: Date;
  /** The worker's ARN and request id, so the manifest points at the exact invocation's logs. */
  functionArn: string;
  awsRequestId: string;
  deletionProtection: DeletionProtectionOutcome;
}

export interface CustodyManifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  jobId: string;
  caseId: string;
  conversationId: string;
  recordingId: string;
  source: MediaSource;
  formatId: string;
  contentType: string;
  bytes: number;
  sha256: string;
  s3: { bucket: string; key: string; versionId: string; checksumCRC64NVME: string; legalHold: "ON" };
  times: { requestedAt: string; downloadStartedAt: string; storedAt: string };
  /** null when the data action did not say; always present so every manifest has the same shape. */
  requestedBy: string | null;
  functionArn: string;
  awsRequestId: string;
  deletionProtection: DeletionProtectionOutcome;
}

export function buildManifest(input: ManifestInput): CustodyManifest {
  const { job, stored } = input;
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    jobId: job.jobId,
    caseId: job.caseId,
    conversationId: job.conversationId,
    recordingId: input.recordingId,
    // Rebuilt field by field so nothing but host and path can slip in.
    source: { host: input.source.host, path: input.source.path },
    formatId: input.formatId,
    contentType: input.contentType,
    bytes: stored.bytes,
    sha256: stored.sha256,
    s3: {
      bucket: input.bucket,
      key: input.key,
      versionId: stored.versionId,
      checksumCRC64NVME: stored.checksumCRC64NVME,
      legalHold: stored.legalHold,
    },
    times: {
      requestedAt: job.requestedAt,
      downloadStartedAt: input.downloadStartedAt.toISOString(),
      storedAt: input.storedAt.toISOString(),
    },
    requestedBy: job.requestedBy ?? null,
    functionArn: input.functionArn,
    awsRequestId: input.awsRequestId,
    deletionProtection: input.deletionProtection,
  };
}
