import { namesActionExplicitly, statementLabel, wildcardMatches } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { purposeOf, stackBuckets } from "../lib/stackLinks";

/** S3 actions that delete evidence, bypass its retention, or loosen what protects it. */
export const DESTRUCTIVE_S3_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketAcl",
  "s3:PutObjectAcl",
  "s3:DeleteBucket",
];

/**
 * Deleting an object of the landing bucket destroys no evidence: nothing there
 * is evidence yet, and the sealer removes each landing copy once sealed. Only
 * object deletion is exempt, only on objects of a bucket of this stack tagged
 * landing (by its ARN's value), never the bucket's configuration.
 */
const LANDING_OBJECT_DELETIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion"];

/** Could the resource pattern name an S3 bucket or object? */
const reachesS3 = (pattern: string) =>
  pattern === "*" ||
  wildcardMatches(pattern, "arn:aws:s3:::x") ||
  wildcardMatches(pattern, "arn:aws:s3:::x/y") ||
  pattern.startsWith("arn:aws:s3:::");

export const iamPolicyDisallowEvidenceDestruction = stackPolicy(
  {
    name: "iam-policy-disallow-evidence-destruction",
    description:
      "No identity policy of the stack allows deleting object versions, bypassing retention, or changing a bucket's lock, policy, versioning or lifecycle (by name or a partial wildcard such as s3:Delete*; s3:* is left to iam-policy-disallow-wildcard-action). Deleting objects of the stack's landing bucket is not evidence destruction.",
    severity: "critical",
    why: "The archive bucket policy denies these actions today, but a reviewer should not have to reason across two documents: a writer granted s3:DeleteObjectVersion or s3:PutBucketPolicy is one bucket-policy edit away from destroying evidence under legal hold.",
    remediationSteps:
      "Remove the actions from the role's policy; evidence is only written and held by the stack's roles, and administered by the break-glass admin role outside the stack. Only objects of the landing bucket (tagged legal-hold:purpose=landing) may be deleted, by the sealer.",
  },
  (resources, report) => {
    const landingObjects = stackBuckets(resources)
      .filter((bucket) => purposeOf(bucket) === BucketPurpose.landing)
      .map((bucket) => `${bucket.props.arn as string}/`);
    const onLandingObject = (pattern: string) =>
      landingObjects.some((prefix) => pattern.startsWith(prefix) && pattern.length > prefix.length);
    for (const resource of resourcesOfType(resources, IDENTITY_POLICY_TYPES)) {
      for (const { label, statements } of identityDocumentsOf(resource)) {
        statements.forEach((statement, index) => {
          if (statement.effect !== "Allow" || !statement.resources.some(reachesS3)) return;
          const landingOnly = statement.resources.every(onLandingObject);
          const granted = DESTRUCTIVE_S3_ACTIONS.filter(
            (action) => namesActionExplicitly(statement, action) && !(landingOnly && LANDING_OBJECT_DELETIONS.includes(action)),
          );
          if (granted.length > 0) {
            report(
              `The ${label} ${statementLabel(statement, index)} allows ${granted.join(", ")} on ${statement.resources.join(", ")}; remove them, no role of the stack may delete, unlock or reconfigure evidence.`,
              resource.urn,
            );
          }
        });
      }
    }
  },
);
