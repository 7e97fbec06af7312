import { resourcePolicy } from "../lib/projectPolicy";
import { S3_VERSIONING } from "../lib/resourceTypes";

export const s3VersioningEnableVersioning = resourcePolicy(
  {
    name: "s3-versioning-enable-versioning",
    description: "Bucket versioning is Enabled, never Suspended or Disabled.",
    severity: "high",
    why: "Object Lock works on object versions and needs versioning; with versioning off an overwrite replaces evidence.",
    remediationSteps: 'Set versioningConfiguration.status to "Enabled".',
    resourceTypes: S3_VERSIONING,
  },
  (versioning, report) => {
    const status = (versioning.props.versioningConfiguration as { status?: string } | undefined)?.status;
    if (status !== "Enabled") {
      report(`Versioning "${versioning.name}" has status ${JSON.stringify(status)}; set versioningConfiguration.status to "Enabled".`);
    }
  },
);
