import { conditionEntries, parsePolicyDocument, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";

/** Keys that narrow who the caller can be; aws:SecureTransport and friends do not. */
const RESTRICTING_KEYS = [
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceip",
  "aws:sourcevpc",
  "aws:sourcevpce",
];

export const s3BucketPolicyDisallowUnconditionedPublicAllow = resourcePolicy(
  {
    name: "s3-bucketpolicy-disallow-unconditioned-public-allow",
    description: 'No bucket-policy Allow names Principal "*" without a condition that restricts who the caller is.',
    severity: "critical",
    why: "An Allow to everyone makes recordings readable (or writable) by any AWS account or the public.",
    remediationSteps:
      "Name the principals (role ARNs) instead of *, or add a condition on aws:PrincipalArn, aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID.",
    resourceTypes: S3_BUCKET_POLICY,
  },
  (policy, report) => {
    const statements = parsePolicyDocument(policy.props.policy) ?? [];
    statements.forEach((statement, index) => {
      if (statement.effect !== "Allow" || !statement.awsPrincipals.includes("*")) return;
      if (conditionEntries(statement).some((e) => RESTRICTING_KEYS.includes(e.key.toLowerCase()))) return;
      report(
        `Bucket policy "${policy.name}" ${statementLabel(statement, index)} allows ${statement.actions.join(", ")} to everyone ("*"); name the principals or restrict by aws:PrincipalArn, aws:SourceArn or aws:PrincipalOrgID.`,
      );
    });
  },
);
