import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_LIFECYCLE } from "../lib/resourceTypes";
import { configuredBucket, purposeOf } from "../lib/stackLinks";

interface LifecycleRule {
  id?: string;
  status?: string;
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays?: number };
}

export const s3LifecycleDisallowEvidenceExpiration = stackPolicy(
  {
    name: "s3-lifecycle-disallow-evidence-expiration",
    description:
      "No enabled lifecycle rule of an evidence bucket expires objects or noncurrent versions; transitions to colder storage are fine.",
    severity: "critical",
    why: "On a versioned Object Lock bucket an expiration puts a delete marker on top of each recording: the locked version survives, but every ordinary read now answers 404, so the evidence looks gone; a noncurrent-version expiration deletes versions once their retention ends, whatever the matter needs.",
    remediationSteps:
      "Remove expiration and noncurrentVersionExpiration from the evidence bucket's lifecycle rules; keep only transitions (GLACIER_IR, DEEP_ARCHIVE) and abortIncompleteMultipartUpload.",
  },
  (resources, report) => {
    for (const lifecycle of resources.filter((r) => S3_LIFECYCLE.includes(r.type))) {
      const bucket = configuredBucket(lifecycle, resources);
      if (!bucket || purposeOf(bucket) !== BucketPurpose.evidence) continue;
      for (const rule of (lifecycle.props.rules as LifecycleRule[] | undefined) ?? []) {
        if (rule.status === "Disabled") continue;
        const expires = rule.expiration !== undefined && (rule.expiration.days !== undefined || rule.expiration.date !== undefined);
        const expiresVersions = rule.noncurrentVersionExpiration !== undefined;
        if (expires || expiresVersions) {
          report(
            `Lifecycle "${lifecycle.name}" of evidence bucket "${bucket.name}" has rule ${JSON.stringify(rule.id ?? "?")} with ${expires ? "expiration" : "noncurrentVersionExpiration"}; remove it and keep only transitions, so recordings are never hidden behind delete markers or removed.`,
            lifecycle.urn,
          );
        }
      }
    }
  },
);
