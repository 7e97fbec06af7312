import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyDisallowLockoutBypass = resourcePolicy(
  {
    name: "kms-key-disallow-lockout-bypass",
    description: "Keys never skip KMS's policy lockout safety check.",
    severity: "high",
    why: "The check refuses a key policy that would lock out the deployer; bypassing it can leave the archive key unmanageable without AWS Support.",
    remediationSteps: "Remove bypassPolicyLockoutSafetyCheck and list the deploying role among adminPrincipalArns.",
    resourceTypes: KMS_KEY,
  },
  (key, report) => {
    if (key.props.bypassPolicyLockoutSafetyCheck === true) {
      report(`Key "${key.name}" sets bypassPolicyLockoutSafetyCheck = true; remove it.`);
    }
  },
);
