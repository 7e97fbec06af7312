import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyMissingKeyPolicy = resourcePolicy(
  {
    name: "kms-key-missing-key-policy",
    description: "Every KMS key of the stack states its key policy.",
    severity: "high",
    why: "Without a policy KMS applies its default, which hands the key to IAM for the whole account: any role with kms:* or kms:Decrypt on * could read recordings, and the key policy can no longer be reviewed in the stack.",
    remediationSteps:
      "Set the key's policy to a JSON document naming its administrators and users (the LegalHoldArchive component writes one).",
    resourceTypes: KMS_KEY,
  },
  (key, report) => {
    const policy = key.props.policy;
    if (policy === undefined || policy === null || policy === "") {
      report(
        `Key "${key.name}" has no key policy, so KMS's default hands it to every IAM principal of the account; set policy to an explicit document.`,
      );
    }
  },
);
