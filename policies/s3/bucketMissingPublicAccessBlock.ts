import { missingBucketConfigPolicy } from "../lib/bucketConfigPolicy";
import { S3_PUBLIC_ACCESS_BLOCK } from "../lib/resourceTypes";

export const s3BucketMissingPublicAccessBlock = missingBucketConfigPolicy({
  name: "s3-bucket-missing-public-access-block",
  what: "a public access block",
  configTypes: S3_PUBLIC_ACCESS_BLOCK,
  scope: "all",
  severity: "critical",
  why: "Without a bucket-level block, one careless ACL or policy statement can publish recordings or their access logs.",
  remediationSteps: "add an aws.s3.BucketPublicAccessBlock with all four flags true.",
});
