import { conditionEntries, parsePolicyDocument, statementCoversAction, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";

const WRITE_ACTIONS = ["s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention"];
const EXEMPTION_KEYS = ["aws:principalarn", "aws:sourcevpce", "aws:sourcevpc"];

export const s3BucketPolicyRequirePrincipalExemptionOnIpDeny = resourcePolicy(
  {
    name: "s3-bucketpolicy-require-principal-exemption-on-ip-deny",
    description: "A Deny of object writes by aws:SourceIp also exempts the writers by principal ARN or VPC endpoint.",
    severity: "critical",
    why: "Legal-hold 403 cause 5: a Lambda's requests come from AWS addresses, or carry no aws:SourceIp at all through a VPC endpoint (NotIpAddress is then true), so an IP-only Deny blocks the exporter.",
    remediationSteps:
      'Add ArnNotEquals { "aws:PrincipalArn": [<writer role ARNs>] } (or StringNotEquals aws:SourceVpce) to the same statement; never exempt a Lambda by IP.',
    resourceTypes: S3_BUCKET_POLICY,
  },
  (policy, report) => {
    const statements = parsePolicyDocument(policy.props.policy) ?? [];
    statements.forEach((statement, index) => {
      if (statement.effect !== "Deny") return;
      const entries = conditionEntries(statement);
      const ipDeny = entries.some((e) => e.operator.startsWith("NotIpAddress") && e.key.toLowerCase() === "aws:sourceip");
      const writes = WRITE_ACTIONS.filter((action) => statementCoversAction(statement, action));
      if (!ipDeny || writes.length === 0) return;
      if (entries.some((e) => EXEMPTION_KEYS.includes(e.key.toLowerCase()))) return;
      report(
        `Bucket policy "${policy.name}" ${statementLabel(statement, index)} denies ${writes.join(", ")} by aws:SourceIp without exempting the writers; add ArnNotEquals on aws:PrincipalArn (or aws:SourceVpce) for the exporter role.`,
      );
    });
  },
);
