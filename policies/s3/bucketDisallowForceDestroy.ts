import { resourcePolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_BUCKET } from "../lib/resourceTypes";
import { purposeOf } from "../lib/stackLinks";

export const s3BucketDisallowForceDestroy = resourcePolicy(
  {
    name: "s3-bucket-disallow-force-destroy",
    description: "Evidence and Object Lock buckets never set forceDestroy.",
    severity: "high",
    why: "forceDestroy makes `pulumi destroy` empty the bucket first; on evidence that is an attempted spoliation, and with Object Lock it fails half-way.",
    remediationSteps: "Remove forceDestroy (or set it to false) on the bucket.",
    resourceTypes: S3_BUCKET,
  },
  (bucket, report) => {
    const locked = bucket.props.objectLockEnabled === true || purposeOf(bucket) === BucketPurpose.evidence;
    if (locked && bucket.props.forceDestroy === true) {
      report(`Bucket "${bucket.name}" holds evidence but sets forceDestroy = true; remove forceDestroy.`);
    }
  },
);
