import { missingBucketConfigPolicy } from "../lib/bucketConfigPolicy";
import { S3_VERSIONING } from "../lib/resourceTypes";

export const s3BucketMissingVersioning = missingBucketConfigPolicy({
  name: "s3-bucket-missing-versioning",
  what: "a versioning configuration",
  configTypes: S3_VERSIONING,
  scope: "evidence",
  severity: "high",
  why: "Object Lock protects object versions; a bucket without a BucketVersioning resource leaves its versioning state unmanaged.",
  remediationSteps: 'add an aws.s3.BucketVersioning for it with status "Enabled".',
});
