import { resourcePolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_BUCKET } from "../lib/resourceTypes";
import { purposeOf } from "../lib/stackLinks";

export const s3BucketEnableObjectLock = resourcePolicy(
  {
    name: "s3-bucket-enable-object-lock",
    description: "Evidence buckets are created with Object Lock enabled.",
    severity: "critical",
    why: "Without Object Lock nothing stops a privileged user from deleting or overwriting recordings under legal hold; legal holds cannot even be set.",
    remediationSteps:
      "Set objectLockEnabled: true on the evidence bucket (S3 can also enable it on an existing bucket, after which it cannot be turned off).",
    resourceTypes: S3_BUCKET,
  },
  (bucket, report) => {
    if (purposeOf(bucket) === BucketPurpose.evidence && bucket.props.objectLockEnabled !== true) {
      report(`Evidence bucket "${bucket.name}" has objectLockEnabled = ${JSON.stringify(bucket.props.objectLockEnabled)}; set it to true.`);
    }
  },
);
