import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyRequireProtect = resourcePolicy(
  {
    name: "kms-key-require-protect",
    description: "KMS keys are registered with the protect resource option.",
    severity: "high",
    why: "Deleting the archive key destroys access to every recording; protect makes Pulumi refuse to schedule it.",
    remediationSteps: "Pass { protect: true, retainOnDelete: true } when creating the key.",
    resourceTypes: KMS_KEY,
  },
  (key, report) => {
    if (key.opts.protect !== true) report(`Key "${key.name}" is not protected; create it with the resource option protect: true.`);
  },
);
