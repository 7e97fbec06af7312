import { resourcePolicy } from "../lib/projectPolicy";
import { BucketPurpose, PURPOSE_TAG, S3_BUCKET } from "../lib/resourceTypes";
import { purposeOf } from "../lib/stackLinks";

const purposes = Object.values(BucketPurpose) as string[];

export const s3BucketMissingPurposeTag = resourcePolicy(
  {
    name: "s3-bucket-missing-purpose-tag",
    description: `Every S3 bucket carries the "${PURPOSE_TAG}" tag with one of: ${purposes.join(", ")}.`,
    severity: "medium",
    why: "The pack applies evidence rules (Object Lock, SSE-KMS) or access-log rules by this tag; an untagged bucket would escape both.",
    remediationSteps: `Tag the bucket "${PURPOSE_TAG}" = "${BucketPurpose.evidence}" if it holds recordings or manifests, "${BucketPurpose.accessLogs}" if it receives server access logs.`,
    resourceTypes: S3_BUCKET,
  },
  (bucket, report) => {
    const purpose = purposeOf(bucket);
    if (purpose === undefined || !purposes.includes(purpose)) {
      report(
        `Bucket "${bucket.name}" has ${purpose === undefined ? "no" : `an unknown (${JSON.stringify(purpose)})`} "${PURPOSE_TAG}" tag; set it to one of ${purposes.join(", ")}.`,
      );
    }
  },
);
