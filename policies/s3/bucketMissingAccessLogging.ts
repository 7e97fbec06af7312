import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_LOGGING } from "../lib/resourceTypes";
import { configsOf, linkedResource, purposeOf, stackBuckets } from "../lib/stackLinks";

export const s3BucketMissingAccessLogging = stackPolicy(
  {
    name: "s3-bucket-missing-access-logging",
    description: "Every evidence bucket sends server access logs to a bucket of the same stack.",
    severity: "high",
    why: "Access logs are the record of who read or tried to alter evidence; a log target outside the stack may not exist or be governed.",
    remediationSteps: "Add an aws.s3.BucketLogging whose targetBucket is the stack's access-log bucket.",
  },
  (resources, report) => {
    const buckets = stackBuckets(resources);
    for (const bucket of buckets.filter((b) => purposeOf(b) === BucketPurpose.evidence)) {
      const loggings = configsOf(bucket, S3_LOGGING, resources);
      if (loggings.length === 0) {
        report(
          `Evidence bucket "${bucket.name}" has no access logging; add an aws.s3.BucketLogging targeting the stack's access-log bucket.`,
          bucket.urn,
        );
      } else if (!loggings.some((logging) => linkedResource(logging, "targetBucket", buckets, "bucket"))) {
        report(
          `Evidence bucket "${bucket.name}" logs to a bucket that is not in this stack; target the stack's access-log bucket.`,
          bucket.urn,
        );
      }
    }
  },
);
