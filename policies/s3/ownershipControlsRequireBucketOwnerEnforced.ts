import { resourcePolicy } from "../lib/projectPolicy";
import { S3_OWNERSHIP_CONTROLS } from "../lib/resourceTypes";

export const s3OwnershipControlsRequireBucketOwnerEnforced = resourcePolicy(
  {
    name: "s3-ownershipcontrols-require-bucket-owner-enforced",
    description: "Object ownership is BucketOwnerEnforced (ACLs disabled).",
    severity: "medium",
    why: "With ACLs enabled an object could be owned by its writer and escape the bucket owner's control and policies.",
    remediationSteps: 'Set rule.objectOwnership to "BucketOwnerEnforced".',
    resourceTypes: S3_OWNERSHIP_CONTROLS,
  },
  (ownership, report) => {
    const value = (ownership.props.rule as { objectOwnership?: string } | undefined)?.objectOwnership;
    if (value !== "BucketOwnerEnforced") {
      report(
        `Ownership controls "${ownership.name}" set objectOwnership ${JSON.stringify(value)}; set rule.objectOwnership to "BucketOwnerEnforced".`,
      );
    }
  },
);
