import { parsePolicyDocument, statementCoversAction } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";

export const s3BucketPolicyRequireTlsDeny = resourcePolicy(
  {
    name: "s3-bucketpolicy-require-tls-deny",
    description: "The bucket policy denies every request made without TLS.",
    severity: "high",
    why: "Without the Deny, a client can read or write evidence over plain HTTP.",
    remediationSteps:
      'Add a statement: Effect Deny, Principal "*", Action "s3:*", Resource the bucket and bucket/*, Condition Bool aws:SecureTransport "false".',
    resourceTypes: S3_BUCKET_POLICY,
  },
  (policy, report) => {
    const statements = parsePolicyDocument(policy.props.policy) ?? [];
    const tlsDeny = statements.some(
      (s) =>
        s.effect === "Deny" &&
        s.awsPrincipals.includes("*") &&
        statementCoversAction(s, "s3:GetObject") &&
        statementCoversAction(s, "s3:PutObject") &&
        Object.entries(s.conditions).some(
          ([operator, keys]) =>
            /^Bool(IfExists)?$/.test(operator) && keys["aws:SecureTransport"]?.map((v) => v.toLowerCase()).includes("false"),
        ),
    );
    if (!tlsDeny) {
      report(
        `Bucket policy "${policy.name}" has no Deny for requests without TLS; add a Deny of "s3:*" to "*" when aws:SecureTransport is "false".`,
      );
    }
  },
);
