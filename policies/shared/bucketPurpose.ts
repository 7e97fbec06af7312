/**
 * The tag every bucket of this project carries to say what it holds. The
 * CrossGuard pack reads it to know which rules apply: evidence buckets need
 * Object Lock and SSE-KMS; the access-log bucket must have neither; the
 * landing bucket (Genesys' bulk export writes there) must expire what nobody
 * collects and admit writers by principal only.
 */
export const PURPOSE_TAG = "legal-hold:purpose";

export const BucketPurpose = {
  evidence: "evidence",
  accessLogs: "access-logs",
  landing: "landing",
} as const;
