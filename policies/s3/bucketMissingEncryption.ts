import { missingBucketConfigPolicy } from "../lib/bucketConfigPolicy";
import { S3_ENCRYPTION } from "../lib/resourceTypes";

export const s3BucketMissingEncryption = missingBucketConfigPolicy({
  name: "s3-bucket-missing-encryption",
  what: "a server-side encryption configuration",
  configTypes: S3_ENCRYPTION,
  scope: "all",
  severity: "high",
  why: "The default encryption decides how objects written without encryption headers are stored; evidence must be under the archive's customer key.",
  remediationSteps:
    "add an aws.s3.BucketServerSideEncryptionConfiguration (SSE-KMS with the archive key for evidence, SSE-S3 for access logs).",
});
