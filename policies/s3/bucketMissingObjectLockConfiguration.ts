import { missingBucketConfigPolicy } from "../lib/bucketConfigPolicy";
import { S3_OBJECT_LOCK } from "../lib/resourceTypes";

export const s3BucketMissingObjectLockConfiguration = missingBucketConfigPolicy({
  name: "s3-bucket-missing-object-lock-configuration",
  what: "an Object Lock configuration",
  configTypes: S3_OBJECT_LOCK,
  scope: "evidence",
  severity: "critical",
  why: "Without a default retention each object is only as safe as the headers its writer remembered to send.",
  remediationSteps: "add an aws.s3.BucketObjectLockConfiguration with a COMPLIANCE default retention.",
});
