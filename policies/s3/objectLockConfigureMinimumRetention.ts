import { resourcePolicy } from "../lib/projectPolicy";
import { S3_OBJECT_LOCK } from "../lib/resourceTypes";
import { defaultRetentionOf } from "./objectLockRequireComplianceMode";

export const s3ObjectLockConfigureMinimumRetention = resourcePolicy<{ minimumRetentionDays: number }>(
  {
    name: "s3-objectlock-configure-minimum-retention",
    description: "The Object Lock default retention is at least the configured minimum.",
    severity: "high",
    why: "A retention shorter than the matter's needs lets evidence become deletable before the case ends; it cannot be lengthened for objects already written.",
    remediationSteps: "Set rule.defaultRetention.days or .years to at least the minimum (policy config minimumRetentionDays).",
    resourceTypes: S3_OBJECT_LOCK,
    config: {
      minimumRetentionDays: {
        type: "integer",
        minimum: 1,
        default: 365,
        description: "Shortest default retention accepted, in days (a year counts 365).",
      },
    },
  },
  (lock, report, { minimumRetentionDays }) => {
    const retention = defaultRetentionOf(lock.props);
    const days = retention?.days ?? (retention?.years === undefined ? 0 : retention.years * 365);
    if (days < minimumRetentionDays) {
      report(
        `Object Lock configuration "${lock.name}" retains objects for ${days} days, less than the minimum ${minimumRetentionDays}; raise rule.defaultRetention.`,
      );
    }
  },
);
