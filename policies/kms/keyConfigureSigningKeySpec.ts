import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

export const kmsKeyConfigureSigningKeySpec = resourcePolicy<{ allowedSigningKeySpecs: string[] }>(
  {
    name: "kms-key-configure-signing-key-spec",
    description: "Signing keys use a key spec from the allowed list (ECC_NIST_P256 for custody manifests).",
    severity: "high",
    why: "Custody signatures must verify with any standard ECDSA P-256 tool for decades; another spec (or a symmetric HMAC key) breaks offline verification by courts and reviewers.",
    remediationSteps: 'Create the signing key with keyUsage "SIGN_VERIFY" and customerMasterKeySpec "ECC_NIST_P256".',
    resourceTypes: KMS_KEY,
    config: {
      allowedSigningKeySpecs: {
        type: "array",
        items: { type: "string" },
        default: ["ECC_NIST_P256"],
        description: "Key specs accepted for SIGN_VERIFY keys.",
      },
    },
  },
  (key, report, { allowedSigningKeySpecs }) => {
    if (key.props.keyUsage !== "SIGN_VERIFY") return;
    const spec = key.props.customerMasterKeySpec;
    if (typeof spec !== "string" || !allowedSigningKeySpecs.includes(spec)) {
      report(`Signing key "${key.name}" has key spec ${JSON.stringify(spec)}; use one of ${allowedSigningKeySpecs.join(", ")}.`);
    }
  },
);
