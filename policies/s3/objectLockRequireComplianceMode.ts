import { resourcePolicy } from "../lib/projectPolicy";
import { S3_OBJECT_LOCK } from "../lib/resourceTypes";

export function defaultRetentionOf(props: Record<string, unknown>): { mode?: string; days?: number; years?: number } | undefined {
  return (props.rule as { defaultRetention?: { mode?: string; days?: number; years?: number } } | undefined)?.defaultRetention;
}

export const s3ObjectLockRequireComplianceMode = resourcePolicy(
  {
    name: "s3-objectlock-require-compliance-mode",
    description: "The Object Lock default retention is in COMPLIANCE mode.",
    severity: "critical",
    why: "In GOVERNANCE mode anyone with s3:BypassGovernanceRetention can delete locked evidence; COMPLIANCE binds every user, root included (SEC 17a-4(f), FINRA 4511(c)).",
    remediationSteps: 'Set rule.defaultRetention.mode to "COMPLIANCE".',
    resourceTypes: S3_OBJECT_LOCK,
  },
  (lock, report) => {
    const mode = defaultRetentionOf(lock.props)?.mode;
    if (mode !== "COMPLIANCE") {
      report(
        `Object Lock configuration "${lock.name}" has default retention mode ${JSON.stringify(mode)}; set rule.defaultRetention.mode to "COMPLIANCE".`,
      );
    }
  },
);
