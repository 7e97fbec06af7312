import { conditionEntries, parsePolicyDocument, statementLabel } from "../lib/iamDocument";
import { identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";
import { IAM_POLICY, IAM_ROLE, IAM_ROLE_POLICY, KMS_KEY } from "../lib/resourceTypes";

const CONTEXT_KEY = "kms:encryptioncontext:aws:s3:arn";

export const kmsKeyRequireBucketArnContext = resourcePolicy(
  {
    name: "kms-key-require-bucket-arn-context",
    description: "A key or IAM policy that conditions on kms:EncryptionContext:aws:s3:arn names bucket ARNs, not object ARNs.",
    severity: "critical",
    why: "Legal-hold 403 cause 6: with S3 Bucket Keys (required here) the encryption context is the bucket ARN, so a condition on an object ARN (bucket/*) never matches and every write is denied.",
    remediationSteps:
      "Condition on the bucket ARN (arn:aws:s3:::bucket), or drop the encryption-context condition and rely on kms:ViaService.",
    resourceTypes: [...KMS_KEY, ...IAM_ROLE_POLICY, ...IAM_POLICY, ...IAM_ROLE],
  },
  (resource, report) => {
    const documents = KMS_KEY.includes(resource.type)
      ? [{ label: `key "${resource.name}" policy`, statements: parsePolicyDocument(resource.props.policy) ?? [] }]
      : identityDocumentsOf(resource).map((d) => ({ ...d, label: `the ${d.label}` }));
    for (const { label, statements } of documents) {
      statements.forEach((statement, index) => {
        for (const { key, values } of conditionEntries(statement)) {
          if (key.toLowerCase() !== CONTEXT_KEY) continue;
          const objectArns = values.filter((v) => v.includes("/"));
          if (objectArns.length > 0) {
            report(
              `${label.charAt(0).toUpperCase()}${label.slice(1)} ${statementLabel(statement, index)} matches ${key} against object ARNs ${objectArns.join(", ")}; with bucket keys the context is the bucket ARN, so use the bucket ARN.`,
            );
          }
        }
      });
    }
  },
);
