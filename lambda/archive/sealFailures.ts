import {
  ArchiveUploadError,
  ArchiveVerificationError,
  ConcurrentWriteError,
  LengthMismatchError,
  MediaStreamError,
} from "../archive/recordingWriter";
import { CustodySigningError } from "../custody/custodySigner";
import { httpStatus } from "./s3Errors";
import { CustodyConflictError, CustodyError } from "./sealRecording";

/**
 * Why sealing failed, for the structured `reason` of a failed message's log
 * line (dashboards, the dead-letter runbook): the failures both export paths
 * share. Each function names its own failures first, then asks this.
 */

export interface FailureClass {
  /** Stable, searchable label for dashboards and the dead-letter runbook. */
  reason: string;
  /** Whether a later delivery can succeed without anyone changing anything. */
  retryable: boolean;
}

/** KMS errors no retry can fix (AccessDeniedException is named apart: it is the key policy or the role). */
const PERMANENT_KMS_ERRORS = new Set([
  "NotFoundException",
  "DisabledException",
  "KMSInvalidStateException",
  "InvalidKeyUsageException",
  "InvalidGrantTokenException",
  "ValidationException",
]);

/** KMS is shedding load: the request rate, not the configuration, is the problem. */
const KMS_THROTTLING_ERRORS = new Set(["ThrottlingException", "LimitExceededException"]);

/** The class of a sealing failure; undefined when the error is not one. */
export function classifySealFailure(error: unknown): FailureClass | undefined {
  if (error instanceof LengthMismatchError) return { reason: "media-truncated", retryable: true };
  if (error instanceof MediaStreamError) return { reason: "media-download-broken", retryable: true };
  if (error instanceof ArchiveVerificationError) return { reason: "archive-unverified", retryable: false };
  if (error instanceof CustodySigningError) {
    const name = (error.cause as { name?: string } | undefined)?.name ?? "";
    if (KMS_THROTTLING_ERRORS.has(name)) return { reason: "kms-throttled", retryable: true };
    if (name === "AccessDeniedException") return { reason: "kms-access-denied", retryable: false };
    // Wrong key type/usage, or a disabled/deleted key: a person must act. Anything else (an outage) may pass.
    if (PERMANENT_KMS_ERRORS.has(name)) return { reason: "kms-sign-refused", retryable: false };
    return { reason: "kms-sign-failed", retryable: true };
  }
  // The next delivery finds the other delivery's recording (and adopts it) or its custody record.
  if (error instanceof ConcurrentWriteError) return { reason: "concurrent-delivery", retryable: true };
  if (error instanceof CustodyConflictError) return { reason: "custody-record-conflict", retryable: false };
  if (error instanceof ArchiveUploadError || error instanceof CustodyError) {
    // A 403 from S3 is the classic legal-hold misconfiguration (s3:PutObjectLegalHold, KMS key policy): retrying cannot fix it.
    if (httpStatus(error.cause) === 403) return { reason: "s3-access-denied", retryable: false };
    return { reason: "s3-write-failed", retryable: true };
  }
  return undefined;
}
