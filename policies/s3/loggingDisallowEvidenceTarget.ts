import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_LOGGING } from "../lib/resourceTypes";
import { configuredBucket, linkedResource, purposeOf, stackBuckets } from "../lib/stackLinks";

export const s3LoggingDisallowEvidenceTarget = stackPolicy(
  {
    name: "s3-logging-disallow-evidence-target",
    description: "Access logs go to a separate access-log bucket, never to the logged bucket itself or to an Object Lock bucket.",
    severity: "high",
    why: "S3 refuses an Object Lock bucket as a log target, and a bucket logging into itself writes a log object for every log object.",
    remediationSteps: 'Point targetBucket at a bucket tagged "legal-hold:purpose" = "access-logs", without Object Lock.',
  },
  (resources, report) => {
    const buckets = stackBuckets(resources);
    for (const logging of resources.filter((r) => S3_LOGGING.includes(r.type))) {
      const source = configuredBucket(logging, resources);
      const target = linkedResource(logging, "targetBucket", buckets, "bucket");
      if (!target) continue;
      if (target === source || target.props.objectLockEnabled === true || purposeOf(target) === BucketPurpose.evidence) {
        report(
          `Logging "${logging.name}" writes access logs into "${target.name}", ${target === source ? "the bucket it logs" : "an Object Lock evidence bucket"}; target a separate access-log bucket without Object Lock.`,
          logging.urn,
        );
      }
    }
  },
);
