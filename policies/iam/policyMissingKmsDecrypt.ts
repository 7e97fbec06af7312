import { allowsAction } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";

export const iamPolicyMissingKmsDecrypt = resourcePolicy(
  {
    name: "iam-policy-missing-kms-decrypt",
    description: "An identity policy that allows kms:GenerateDataKey also allows kms:Decrypt.",
    severity: "high",
    why: "Legal-hold 403 cause 3: SSE-KMS multipart uploads (lib-storage switches to multipart above 5 MiB) need kms:Decrypt to assemble the parts, so long recordings fail while short ones pass.",
    remediationSteps: "Add kms:Decrypt on the same key ARN.",
    resourceTypes: IDENTITY_POLICY_TYPES,
  },
  (resource, report) => {
    for (const { label, statements } of identityDocumentsOf(resource)) {
      if (allowsAction(statements, "kms:GenerateDataKey") && !allowsAction(statements, "kms:Decrypt")) {
        report(
          `The ${label} allows kms:GenerateDataKey without kms:Decrypt, so multipart SSE-KMS uploads fail; add kms:Decrypt on the same key.`,
        );
      }
    }
  },
);
