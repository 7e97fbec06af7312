import { conditionEntries, parsePolicyDocument, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";
import { parseCidr } from "../shared/cidrAllowlist";

export const s3BucketPolicyConfigureSourceIpCidrs = resourcePolicy<{ minimumIpv4Prefix: number; minimumIpv6Prefix: number }>(
  {
    name: "s3-bucketpolicy-configure-source-ip-cidrs",
    description: "Every aws:SourceIp value in a bucket policy is a valid CIDR no broader than the configured minimum prefix.",
    severity: "high",
    why: "A typo such as 10.1.2.3/8 silently means all of 10/8, and 0.0.0.0/0 means the whole internet; either opens the archive far wider than intended.",
    remediationSteps:
      "Write each range as network/prefix (e.g. 203.0.113.0/24), one address as /32 or /128, nothing broader than the minimum prefix.",
    resourceTypes: S3_BUCKET_POLICY,
    config: {
      minimumIpv4Prefix: { type: "integer", minimum: 1, maximum: 32, default: 16, description: "Broadest IPv4 prefix accepted." },
      minimumIpv6Prefix: { type: "integer", minimum: 1, maximum: 128, default: 32, description: "Broadest IPv6 prefix accepted." },
    },
  },
  (policy, report, rules) => {
    const statements = parsePolicyDocument(policy.props.policy) ?? [];
    statements.forEach((statement, index) => {
      for (const { key, values } of conditionEntries(statement)) {
        if (key.toLowerCase() !== "aws:sourceip") continue;
        for (const value of values) {
          const parsed = parseCidr(value, rules);
          if ("problem" in parsed)
            report(`Bucket policy "${policy.name}" ${statementLabel(statement, index)}: aws:SourceIp ${parsed.problem}.`);
        }
      }
    });
  },
);
