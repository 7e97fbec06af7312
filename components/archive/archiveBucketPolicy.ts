import { denyInsecureTransport } from "../iam/denyInsecureTransport";
import { type ConditionBlock, type PolicyDocument, type PolicyStatement, policyDocument } from "../iam/policyDocument";
import { ARCHIVE_OBJECT_WRITE_ACTIONS } from "./archiveWriterPolicy";

export interface ArchiveBucketPolicyInputs {
  bucketArn: string;
  keyArn: string;
  writerRoleArns: string[];
  reviewerPrincipalArns: string[];
  reviewerCidrs: string[];
  adminPrincipalArns: string[];
}

/** What reviewers may do: read objects with their lock state, and list what is there. */
export const REVIEWER_OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectAttributes",
  "s3:GetObjectLegalHold",
  "s3:GetObjectRetention",
  "s3:GetObjectVersion",
  "s3:GetObjectVersionAttributes",
];
export const REVIEWER_BUCKET_ACTIONS = ["s3:ListBucket", "s3:ListBucketVersions"];

/** Bucket settings whose change would weaken the archive; only administrators may make them. */
export const ARCHIVE_GOVERNANCE_ACTIONS = [
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketLogging",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
];

/** `ArnNotEquals aws:PrincipalArn` exempts principals; absent when nobody is exempt. */
function exceptPrincipals(arns: string[]) {
  return arns.length > 0 ? { ArnNotEquals: { "aws:PrincipalArn": arns } } : undefined;
}

/**
 * The archive's bucket policy. Every statement but the reviewer grant is a
 * Deny, so it holds whatever identity policies say. Each Sid is explained in
 * the README ("Why each bucket-policy statement exists").
 */
export function archiveBucketPolicy(inputs: ArchiveBucketPolicyInputs): PolicyDocument {
  const { bucketArn, keyArn, writerRoleArns, reviewerPrincipalArns, reviewerCidrs, adminPrincipalArns } = inputs;
  const objects = `${bucketArn}/*`;
  const statements: PolicyStatement[] = [
    denyInsecureTransport(bucketArn),
    // s3:PutObject only, never s3:PutObject*: s3:PutObjectLegalHold carries no
    // encryption key, and a negated condition on a missing key always matches,
    // so a wildcard here would deny every legal hold (facts §1 cause 2).
    // The Null guard lets uploads without an SSE header (default encryption)
    // pass: a negated operator, IfExists or not, is true on a missing key.
    {
      Sid: "DenyPutObjectWithoutKmsEncryption",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [objects],
      Condition: headerPresentAndNot("s3:x-amz-server-side-encryption", "aws:kms"),
    },
    {
      Sid: "DenyPutObjectWithAnotherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [objects],
      Condition: headerPresentAndNot("s3:x-amz-server-side-encryption-aws-kms-key-id", keyArn),
    },
    // Matched by principal, never by IP: a Lambda's requests come from AWS
    // addresses, or from none at all through a VPC endpoint (facts §1 cause 5).
    {
      Sid: "DenyObjectWritesExceptArchiveWriters",
      Effect: "Deny",
      Principal: "*",
      Action: ARCHIVE_OBJECT_WRITE_ACTIONS,
      Resource: [objects],
      Condition: exceptPrincipals(writerRoleArns),
    },
    {
      Sid: "DenyObjectReadsOutsideReviewerNetworks",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject*"],
      Resource: [objects],
      Condition: mergeConditions(
        reviewerCidrs.length > 0 ? { NotIpAddress: { "aws:SourceIp": reviewerCidrs } } : undefined,
        exceptPrincipals(writerRoleArns),
      ),
    },
  ];
  if (reviewerPrincipalArns.length > 0) {
    // The grant names the networks too: the Deny above then has a statement that states its intent, and the
    // export access proof finds the reviewer networks even in a policy that lost the Deny.
    const fromReviewerNetworks = reviewerCidrs.length > 0 ? { IpAddress: { "aws:SourceIp": reviewerCidrs } } : undefined;
    statements.push(
      {
        Sid: "AllowReviewersToReadObjects",
        Effect: "Allow",
        Principal: { AWS: reviewerPrincipalArns },
        Action: REVIEWER_OBJECT_ACTIONS,
        Resource: [objects],
        ...(fromReviewerNetworks ? { Condition: fromReviewerNetworks } : {}),
      },
      {
        Sid: "AllowReviewersToListObjects",
        Effect: "Allow",
        Principal: { AWS: reviewerPrincipalArns },
        Action: REVIEWER_BUCKET_ACTIONS,
        Resource: [bucketArn],
        ...(fromReviewerNetworks ? { Condition: fromReviewerNetworks } : {}),
      },
    );
  }
  statements.push(
    {
      Sid: "DenyGovernanceRetentionBypass",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:BypassGovernanceRetention"],
      Resource: [objects],
    },
    // Object Lock already refuses to delete a locked version; this also stops
    // delete markers, which would hide evidence from anyone listing the case.
    {
      Sid: "DenyObjectDeletionExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: [objects],
      Condition: exceptPrincipals(adminPrincipalArns),
    },
    {
      Sid: "DenyArchiveConfigChangesExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: ARCHIVE_GOVERNANCE_ACTIONS,
      Resource: [bucketArn],
      Condition: exceptPrincipals(adminPrincipalArns),
    },
  );
  return policyDocument(statements);
}

/** Matches a request that sends the header with another value; never one that omits it. */
function headerPresentAndNot(key: string, value: string): ConditionBlock {
  return { Null: { [key]: "false" }, StringNotEquals: { [key]: value } };
}

/** Joins condition blocks of different operators; all must match for the Deny to apply. */
function mergeConditions(...blocks: (PolicyStatement["Condition"] | undefined)[]): PolicyStatement["Condition"] | undefined {
  const present = blocks.filter((block) => block !== undefined);
  return present.length > 0 ? Object.assign({}, ...present) : undefined;
}
