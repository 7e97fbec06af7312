import { conditionEntries, parsePolicyDocument, statementCoversAction, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { S3_BUCKET_POLICY } from "../lib/resourceTypes";

/** S3 keys present on every object-level request (S3 service authorization reference). */
const COMMON_KEYS = [
  "s3:AccessGrantsInstanceArn",
  "s3:AccessPointNetworkOrigin",
  "s3:authType",
  "s3:DataAccessPointAccount",
  "s3:DataAccessPointArn",
  "s3:ResourceAccount",
  "s3:signatureAge",
  "s3:signatureversion",
  "s3:TlsVersion",
  "s3:versionid",
  "s3:x-amz-content-sha256",
];

/** The S3 condition keys each Object Lock action carries; anything else is absent from its request context. */
export const LOCK_ACTION_KEYS: Record<string, string[]> = {
  "s3:PutObjectLegalHold": [...COMMON_KEYS, "s3:object-lock-legal-hold"],
  "s3:PutObjectRetention": [
    ...COMMON_KEYS,
    "s3:object-lock-mode",
    "s3:object-lock-remaining-retention-days",
    "s3:object-lock-retain-until-date",
  ],
};

export const s3BucketPolicyDisallowNegatedConditionOnLockActions = resourcePolicy(
  {
    name: "s3-bucketpolicy-disallow-negated-condition-on-lock-actions",
    description: "No Deny that covers an Object Lock action tests, with a negated operator, an S3 key that action does not carry.",
    severity: "critical",
    why: "Legal-hold 403 cause 2: a Deny on s3:PutObject* with StringNotEquals on an encryption key also covers s3:PutObjectLegalHold, whose requests lack that key; a negated operator on a missing key is true, so every legal hold is denied.",
    remediationSteps:
      'Name only "s3:PutObject" in the statement, or guard the key with Null { "<key>": "false" } so the Deny applies only when the key is present.',
    resourceTypes: S3_BUCKET_POLICY,
  },
  (policy, report) => {
    const statements = parsePolicyDocument(policy.props.policy) ?? [];
    statements.forEach((statement, index) => {
      if (statement.effect !== "Deny") return;
      const guarded = new Set(
        Object.entries(statement.conditions.Null ?? {})
          .filter(([, values]) => values.includes("false"))
          .map(([key]) => key.toLowerCase()),
      );
      // One violation per offending key, naming every lock action it breaks.
      const broken = new Map<string, { operator: string; actions: string[] }>();
      for (const [action, carried] of Object.entries(LOCK_ACTION_KEYS)) {
        if (!statementCoversAction(statement, action)) continue;
        const carriedLower = carried.map((k) => k.toLowerCase());
        for (const { operator, key } of conditionEntries(statement)) {
          const lower = key.toLowerCase();
          if (!operator.includes("Not") || !lower.startsWith("s3:") || carriedLower.includes(lower) || guarded.has(lower)) continue;
          const entry = broken.get(key) ?? { operator, actions: [] };
          entry.actions.push(action);
          broken.set(key, entry);
        }
      }
      for (const [key, { operator, actions }] of broken) {
        report(
          `Bucket policy "${policy.name}" ${statementLabel(statement, index)} denies ${actions.join(" and ")} under ${operator} on "${key}", a key those requests never carry, so every one is denied (the legal-hold 403); name only "s3:PutObject" in that statement or add Null { "${key}": "false" }.`,
        );
      }
    });
  },
);
