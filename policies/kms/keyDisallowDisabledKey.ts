import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyDisallowDisabledKey = resourcePolicy(
  {
    name: "kms-key-disallow-disabled-key",
    description: "No KMS key of the stack is disabled (isEnabled false).",
    severity: "critical",
    why: "A disabled archive key makes every recording unreadable and every new upload fail with a KMS error; a disabled signing key stops custody records. Disabling is also the first step of scheduling deletion.",
    remediationSteps: "Remove isEnabled (it defaults to true) or set it to true.",
    resourceTypes: KMS_KEY,
  },
  (key, report) => {
    if (key.props.isEnabled === false) report(`Key "${key.name}" has isEnabled false; set isEnabled: true (or leave it unset).`);
  },
);
