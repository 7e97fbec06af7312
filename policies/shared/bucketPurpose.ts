/**
 * The tag every bucket of this project carries to say what it holds. The
 * CrossGuard pack reads it to know which rules apply: evidence buckets need
 * Object Lock and SSE-KMS; the access-log bucket must have neither.
 */
export const PURPOSE_TAG = "legal-hold:purpose";

export const BucketPurpose = {
  evidence: "evidence",
  accessLogs: "access-logs",
} as const;
