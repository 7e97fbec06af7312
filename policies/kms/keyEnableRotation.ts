import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyEnableRotation = resourcePolicy(
  {
    name: "kms-key-enable-rotation",
    description: "Symmetric encryption keys rotate their key material.",
    severity: "medium",
    why: "Rotation limits how much evidence one key version protects; S3 decrypts older objects with older versions transparently.",
    remediationSteps: "Set enableKeyRotation: true (asymmetric signing keys cannot rotate: replace them instead).",
    resourceTypes: KMS_KEY,
  },
  (key, report) => {
    const symmetric = (key.props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT";
    const encrypting = (key.props.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
    if (symmetric && encrypting && key.props.enableKeyRotation !== true) {
      report(`Key "${key.name}" has enableKeyRotation = ${JSON.stringify(key.props.enableKeyRotation)}; set it to true.`);
    }
  },
);
