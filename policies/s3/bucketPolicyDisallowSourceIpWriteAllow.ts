import { conditionEntries, parsePolicyDocument, statementCoversAction, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";
import { GENESYS_AWS_ACCOUNT } from "../shared/genesysAccounts";

const WRITE_ACTIONS = ["s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention"];

/*
 * The seed's setup ("the bucket policy allows PUT requests from the Genesys
 * Cloud CIDR ranges"). Reported whoever the Principal is: a network never
 * identifies a writer, so an allow keyed on one is either dead (the writer
 * gets in by its role anyway) or a hole (everyone else from those networks
 * gets in too). The Deny side of aws:SourceIp is another policy's business
 * (s3-bucketpolicy-require-principal-exemption-on-ip-deny).
 */
export const s3BucketPolicyDisallowSourceIpWriteAllow = resourcePolicy(
  {
    name: "s3-bucketpolicy-disallow-source-ip-write-allow",
    description: "No bucket-policy Allow grants object writes by aws:SourceIp (such as Genesys Cloud's published ranges).",
    severity: "critical",
    why: `Genesys' recording bulk export writes as the IAM role it assumes (account ${GENESYS_AWS_ACCOUNT}, sts:ExternalId = your organization id), so S3 judges its PUTs by that role, not by where they come from: an allow by Genesys' address ranges is not what admits them, and it admits every other Genesys customer (the ranges are shared) and anything else sending from them. Requests through a VPC endpoint carry no aws:SourceIp at all.`,
    remediationSteps:
      "Remove the statement; let Genesys in by the bulk writer role (BulkExportIntegration grants it s3:PutObject on the landing bucket's {orgId}/*) and deny writes by everyone else with ArnNotEquals aws:PrincipalArn.",
    resourceTypes: S3_BUCKET_POLICY,
  },
  (policy, report) => {
    const statements = parsePolicyDocument(policy.props.policy) ?? [];
    statements.forEach((statement, index) => {
      if (statement.effect !== "Allow") return;
      const byNetwork = conditionEntries(statement).some(
        (e) => e.operator.startsWith("IpAddress") && e.key.toLowerCase() === "aws:sourceip",
      );
      const writes = WRITE_ACTIONS.filter((action) => statementCoversAction(statement, action));
      if (!byNetwork || writes.length === 0) return;
      report(
        `Bucket policy "${policy.name}" ${statementLabel(statement, index)} allows ${writes.join(", ")} by aws:SourceIp; Genesys writes as the role it assumes (account ${GENESYS_AWS_ACCOUNT} with your organization id as ExternalId), so this CIDR allow cannot be what admits it and lets every other sender from those ranges write instead; remove the statement and admit the bulk writer role by principal (ArnNotEquals aws:PrincipalArn in the write Deny).`,
      );
    });
  },
);
