import { statementLabel, wildcardMatches } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";

/** Actions that touch data (evidence, keys, secrets, messages, functions): they must name what they touch. */
export const DATA_ACTION_PATTERNS = [
  "s3:GetObject*",
  "s3:PutObject*",
  "s3:DeleteObject*",
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
  "kms:Sign",
  "secretsmanager:GetSecretValue",
  "sqs:SendMessage",
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "lambda:InvokeFunction",
];

export const iamPolicyDisallowWildcardResource = resourcePolicy(
  {
    name: "iam-policy-disallow-wildcard-resource",
    description: 'No identity policy allows a data action (objects, keys, secrets, messages, invocations) on Resource "*".',
    severity: "high",
    why: 'A data action on "*" reaches every bucket, key, secret or queue of the account, not only the archive\'s.',
    remediationSteps:
      "Name the ARNs: the archive bucket's objects (arn:aws:s3:::bucket/*), the archive key, the queue, the secret, the function.",
    resourceTypes: IDENTITY_POLICY_TYPES,
  },
  (resource, report) => {
    for (const { label, statements } of identityDocumentsOf(resource)) {
      statements.forEach((statement, index) => {
        if (statement.effect !== "Allow" || !statement.resources.includes("*")) return;
        const data = statement.actions.filter((a) => DATA_ACTION_PATTERNS.some((p) => wildcardMatches(p, a) || wildcardMatches(a, p)));
        if (data.length > 0)
          report(`The ${label} ${statementLabel(statement, index)} allows ${data.join(", ")} on Resource "*"; name the resource ARNs.`);
      });
    }
  },
);
