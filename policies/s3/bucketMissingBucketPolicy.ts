import { missingBucketConfigPolicy } from "../lib/bucketConfigPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";

export const s3BucketMissingBucketPolicy = missingBucketConfigPolicy({
  name: "s3-bucket-missing-bucket-policy",
  what: "a bucket policy",
  configTypes: S3_BUCKET_POLICY,
  scope: "all",
  severity: "high",
  why: "The bucket policy carries the TLS-only, writer-only and reviewer-network Denies that hold whatever identity policies say.",
  remediationSteps: "add an aws.s3.BucketPolicy (the LegalHoldArchive component writes one).",
});
