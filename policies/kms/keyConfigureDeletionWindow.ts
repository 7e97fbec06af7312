import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyConfigureDeletionWindow = resourcePolicy<{ minimumDeletionWindowDays: number }>(
  {
    name: "kms-key-configure-deletion-window",
    description: "A scheduled key deletion waits at least the configured number of days.",
    severity: "high",
    why: "Deleting the archive key makes every recording unreadable forever, Object Lock or not; the waiting period is the only chance to cancel.",
    remediationSteps: "Set deletionWindowInDays to the minimum or more (KMS allows 7 to 30).",
    resourceTypes: KMS_KEY,
    config: {
      minimumDeletionWindowDays: {
        type: "integer",
        minimum: 7,
        maximum: 30,
        default: 30,
        description: "Shortest deletion window accepted, in days.",
      },
    },
  },
  (key, report, { minimumDeletionWindowDays }) => {
    // KMS applies 30 days when the window is not set.
    const days = (key.props.deletionWindowInDays as number | undefined) ?? 30;
    if (days < minimumDeletionWindowDays) {
      report(
        `Key "${key.name}" has a ${days}-day deletion window, shorter than ${minimumDeletionWindowDays}; set deletionWindowInDays to at least ${minimumDeletionWindowDays}.`,
      );
    }
  },
);
