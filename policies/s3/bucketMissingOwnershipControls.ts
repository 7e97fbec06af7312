import { missingBucketConfigPolicy } from "../lib/bucketConfigPolicy";
import { S3_OWNERSHIP_CONTROLS } from "../lib/resourceTypes";

export const s3BucketMissingOwnershipControls = missingBucketConfigPolicy({
  name: "s3-bucket-missing-ownership-controls",
  what: "ownership controls",
  configTypes: S3_OWNERSHIP_CONTROLS,
  scope: "all",
  severity: "medium",
  why: "Ownership controls disable ACLs so that the bucket policy alone decides access.",
  remediationSteps: 'add an aws.s3.BucketOwnershipControls with objectOwnership "BucketOwnerEnforced".',
});
