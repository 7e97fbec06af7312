import { resourcePolicy } from "../lib/projectPolicy";
import { LOG_GROUP } from "../lib/resourceTypes";

export const cloudwatchLogGroupConfigureRetention = resourcePolicy<{ minimumRetentionDays: number; maximumRetentionDays: number }>(
  {
    name: "cloudwatch-loggroup-configure-retention",
    description: "Every CloudWatch log group expires its events after a retention between the configured minimum and maximum.",
    severity: "medium",
    why: "Too short a retention loses the trail of which recordings were exported before anyone investigates a failed legal hold; no retention (0 or unset) keeps logs, and the conversation ids in them, forever.",
    remediationSteps:
      "Set retentionInDays to a value CloudWatch accepts between the minimum and maximum (policy config minimumRetentionDays and maximumRetentionDays, default 30 and 3653).",
    resourceTypes: LOG_GROUP,
    config: {
      minimumRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Shortest retention accepted, in days." },
      maximumRetentionDays: { type: "integer", minimum: 1, default: 3653, description: "Longest retention accepted, in days." },
    },
  },
  (group, report, { minimumRetentionDays, maximumRetentionDays }) => {
    const days = group.props.retentionInDays as number | undefined;
    // CloudWatch reads 0 (and no value) as "never expire".
    if (days === undefined || days === 0) {
      report(
        `Log group "${group.name}" has retentionInDays ${days === undefined ? "unset" : "0"}, so its events never expire; set retentionInDays between ${minimumRetentionDays} and ${maximumRetentionDays}.`,
      );
    } else if (days < minimumRetentionDays || days > maximumRetentionDays) {
      report(
        `Log group "${group.name}" has retentionInDays ${days}, outside ${minimumRetentionDays} to ${maximumRetentionDays}; set retentionInDays within that range.`,
      );
    }
  },
);
