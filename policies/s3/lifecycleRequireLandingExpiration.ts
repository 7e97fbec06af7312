import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_LIFECYCLE } from "../lib/resourceTypes";
import { bucketsOf, configsOf, purposeOf } from "../lib/stackLinks";
import { MAX_LANDING_EXPIRY_DAYS } from "../shared/bulkExport";

interface LifecycleRule {
  status?: string;
  filter?: { prefix?: string; tag?: unknown; and?: unknown; objectSizeGreaterThan?: unknown; objectSizeLessThan?: unknown };
  prefix?: string;
  expiration?: { days?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation?: number };
}

/** A rule with no narrowing filter applies to every object of the bucket. */
const wholeBucket = (rule: LifecycleRule) =>
  (rule.prefix ?? "") === "" &&
  (rule.filter === undefined || Object.values(rule.filter).every((v) => v === undefined || v === "" || v === null));

export const s3LifecycleRequireLandingExpiration = stackPolicy(
  {
    name: "s3-lifecycle-require-landing-expiration",
    description: `Every landing bucket has an enabled whole-bucket lifecycle rule that expires objects within 1 to ${MAX_LANDING_EXPIRY_DAYS} days and aborts incomplete multipart uploads.`,
    severity: "high",
    why: "A recording in the landing bucket is outside the archive: under no legal hold, no Object Lock and no custody record. One the sealer never collected must not linger there; its expiry is what tells the alarm topic, and Genesys' interrupted uploads leave billed, invisible parts.",
    remediationSteps: `Give the landing bucket an aws.s3.BucketLifecycleConfiguration rule with status "Enabled", filter {}, expiration { days: <1-${MAX_LANDING_EXPIRY_DAYS}> } (the landingExpiryDays setting) and abortIncompleteMultipartUpload { daysAfterInitiation: 1 }.`,
  },
  (resources, report) => {
    for (const bucket of bucketsOf(resources).filter((b) => purposeOf(b) === BucketPurpose.landing)) {
      const rules = configsOf(bucket, S3_LIFECYCLE, resources)
        .flatMap((lifecycle) => (lifecycle.props.rules as LifecycleRule[] | undefined) ?? [])
        .filter((rule) => rule.status !== "Disabled" && wholeBucket(rule));
      const days = rules.map((rule) => rule.expiration?.days).filter((d): d is number => typeof d === "number");
      const expires = days.some((d) => d >= 1 && d <= MAX_LANDING_EXPIRY_DAYS);
      const aborts = rules.some((rule) => typeof rule.abortIncompleteMultipartUpload?.daysAfterInitiation === "number");
      if (expires && aborts) continue;
      const lacks = [
        ...(expires
          ? []
          : [
              days.length > 0
                ? `expiry within ${MAX_LANDING_EXPIRY_DAYS} days (it expires after ${Math.max(...days)})`
                : "an expiry of uncollected objects",
            ]),
        ...(aborts ? [] : ["an abort of incomplete multipart uploads"]),
      ];
      report(
        `Landing bucket "${bucket.name}" has no enabled whole-bucket lifecycle rule with ${lacks.join(" or ")}; add a rule with expiration { days: 1-${MAX_LANDING_EXPIRY_DAYS} } and abortIncompleteMultipartUpload, so recordings nobody sealed do not linger outside the archive.`,
        bucket.urn,
      );
    }
  },
);
