import { resourcePolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_BUCKET } from "../lib/resourceTypes";
import { purposeOf } from "../lib/stackLinks";

export const s3BucketRequireProtect = resourcePolicy(
  {
    name: "s3-bucket-require-protect",
    description: "Evidence buckets are registered with the protect resource option.",
    severity: "high",
    why: "protect makes Pulumi refuse to delete the bucket, so a refactor or a mistaken `pulumi destroy` cannot remove the archive.",
    remediationSteps: "Pass { protect: true, retainOnDelete: true } when creating the evidence bucket.",
    resourceTypes: S3_BUCKET,
  },
  (bucket, report) => {
    if (purposeOf(bucket) === BucketPurpose.evidence && bucket.opts.protect !== true) {
      report(`Evidence bucket "${bucket.name}" is not protected; create it with the resource option protect: true.`);
    }
  },
);
