import { conditionEntries, parsePolicyDocument, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { KMS_KEY } from "../lib/resourceTypes";

const RESTRICTING_KEYS = [
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalaccount",
  "kms:calleraccount",
  "aws:sourcearn",
  "aws:sourceaccount",
];

export const kmsKeyDisallowPublicGrant = resourcePolicy(
  {
    name: "kms-key-disallow-public-grant",
    description: 'No key-policy Allow names Principal "*" unless a condition restricts the caller, and none grants kms:* to "*".',
    severity: "critical",
    why: "The key policy is the last word on who can decrypt evidence; a grant to everyone makes SSE-KMS protect nothing.",
    remediationSteps: "Name the principals (admin, writer and reviewer role ARNs) and the exact actions each needs.",
    resourceTypes: KMS_KEY,
  },
  (key, report) => {
    const statements = parsePolicyDocument(key.props.policy) ?? [];
    statements.forEach((statement, index) => {
      if (statement.effect !== "Allow" || !statement.awsPrincipals.includes("*")) return;
      const everything = statement.actions.some((a) => a === "*" || a.toLowerCase() === "kms:*");
      const restricted = conditionEntries(statement).some((e) => RESTRICTING_KEYS.includes(e.key.toLowerCase()));
      if (everything || !restricted) {
        report(
          `Key "${key.name}" policy ${statementLabel(statement, index)} allows ${statement.actions.join(", ")} to everyone ("*"); name the principals that need the key.`,
        );
      }
    });
  },
);
