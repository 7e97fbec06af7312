import { statementLabel } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";

export const iamPolicyDisallowWildcardAction = resourcePolicy(
  {
    name: "iam-policy-disallow-wildcard-action",
    description: 'No identity policy allows "*", a whole service ("s3:*", "kms:*") or everything but a list (NotAction).',
    severity: "high",
    why: "A wildcard grants deletes, policy changes and key administration along with what was meant; least privilege is what makes a stack diff reviewable.",
    remediationSteps:
      "List the exact actions the role needs (the archive writer needs s3:PutObject, s3:PutObjectLegalHold, s3:PutObjectRetention, s3:GetObject, s3:GetObjectLegalHold, s3:GetObjectRetention, kms:GenerateDataKey, kms:Decrypt).",
    resourceTypes: IDENTITY_POLICY_TYPES,
  },
  (resource, report) => {
    for (const { label, statements } of identityDocumentsOf(resource)) {
      statements.forEach((statement, index) => {
        if (statement.effect !== "Allow") return;
        const wildcards = statement.actions.filter((a) => a === "*" || a.endsWith(":*"));
        if (statement.notActions.length > 0) wildcards.push(`NotAction ${statement.notActions.join(", ")}`);
        if (wildcards.length > 0)
          report(`The ${label} ${statementLabel(statement, index)} allows ${wildcards.join(", ")}; list the exact actions instead.`);
      });
    }
  },
);
