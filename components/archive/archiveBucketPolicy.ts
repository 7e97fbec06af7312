import { denyInsecureTransport } from "../iam/denyInsecureTransport";
import { type ConditionBlock, type PolicyDocument, type PolicyStatement, policyDocument } from "../iam/policyDocument";
import { RELEASE_RECORD_KEYS } from "./archiveWriterPolicy";

export interface ArchiveBucketPolicyInputs {
  bucketArn: string;
  keyArn: string;
  writerRoleArns: string[];
  reviewerPrincipalArns: string[];
  reviewerCidrs: string[];
  adminPrincipalArns: string[];
  /** The role that may lift legal holds; none means nobody can, short of an admin changing this policy. */
  holdReleaseRoleArns?: string[];
  /** Uploads may not ask for a retention shorter than this (the default retention, in days). */
  minimumRetentionDays?: number;
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

/**
 * Every bucket-configuration write: each could weaken the archive, copy it
 * elsewhere (replication, inventory), announce it (notification) or hide who
 * read it (logging). Only administrators may make them.
 */
export const ARCHIVE_GOVERNANCE_ACTIONS = [
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:PutAccelerateConfiguration",
  "s3:PutAnalyticsConfiguration",
  "s3:PutBucketAcl",
  "s3:PutBucketCORS",
  "s3:PutBucketLogging",
  "s3:PutBucketNotification",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketTagging",
  "s3:PutBucketVersioning",
  "s3:PutBucketWebsite",
  "s3:PutEncryptionConfiguration",
  "s3:PutIntelligentTieringConfiguration",
  "s3:PutInventoryConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutMetricsConfiguration",
  "s3:PutReplicationConfiguration",
];

/** Writes by replication: they are not s3:PutObject, so the write Denies would not see them. Nothing replicates into the archive. */
export const REPLICATION_ACTIONS = ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"];

/** `ArnNotEquals aws:PrincipalArn` exempts principals; absent when nobody is exempt. */
export function exceptPrincipals(arns: string[]) {
  return arns.length > 0 ? { ArnNotEquals: { "aws:PrincipalArn": arns } } : undefined;
}

/**
 * The archive's bucket policy. Every statement but the reviewer grant is a
 * Deny, so it holds whatever identity policies say. Each Sid is explained in
 * the README ("Why each bucket-policy statement exists").
 */
export function archiveBucketPolicy(inputs: ArchiveBucketPolicyInputs): PolicyDocument {
  const { bucketArn, keyArn, writerRoleArns, reviewerPrincipalArns, reviewerCidrs, adminPrincipalArns } = inputs;
  const releaseRoleArns = inputs.holdReleaseRoleArns ?? [];
  const objects = `${bucketArn}/*`;
  const releaseRecords = `${bucketArn}/${RELEASE_RECORD_KEYS}`;
  const statements: PolicyStatement[] = [
    denyInsecureTransport(bucketArn),
    // s3:PutObject only, never s3:PutObject*: s3:PutObjectLegalHold carries no
    // encryption key, and a negated condition on a missing key always matches,
    // so a wildcard here would deny every legal hold (facts §1 cause 2).
    // The Null guard lets uploads without an SSE header (default encryption)
    // pass: a negated operator, IfExists or not, is true on a missing key.
    // UploadPart and CompleteMultipartUpload carry no SSE header either.
    ...denyUploadsUnderAnotherKey(objects, keyArn),
    // SSE-C sends no x-amz-server-side-encryption header, so the two Denies above never see it.
    {
      Sid: "DenyPutObjectWithCustomerKeys",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [objects],
      Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } },
    },
    // Matched by principal, never by IP: a Lambda's requests come from AWS
    // addresses, or from none at all through a VPC endpoint (facts §1 cause 5).
    // The release role is exempt here only to write release records: the next two Denies keep it there, and
    // keep everyone else, the writers included, from writing (forging) a release record.
    {
      Sid: "DenyObjectWritesExceptArchiveWriters",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      Resource: [objects],
      Condition: exceptPrincipals([...writerRoleArns, ...releaseRoleArns]),
    },
    // Evidence lives under cases/ only: a writer (or a stolen writer session) cannot park objects elsewhere,
    // where the case-scoped tools (verify, case:produce, hold:release) would never see them.
    {
      Sid: "DenyObjectWritesOutsideCases",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      NotResource: [`${bucketArn}/cases/*`],
    },
    ...(releaseRoleArns.length > 0
      ? [
          {
            Sid: "DenyReleaseRoleWritesOutsideReleaseRecords",
            Effect: "Deny" as const,
            Principal: "*" as const,
            Action: ["s3:PutObject", "s3:PutObjectRetention"],
            NotResource: [releaseRecords],
            Condition: { ArnEquals: { "aws:PrincipalArn": releaseRoleArns } },
          },
        ]
      : []),
    {
      Sid: "DenyReleaseRecordWritesExceptReleaseRole",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      Resource: [releaseRecords],
      Condition: exceptPrincipals(releaseRoleArns),
    },
    {
      Sid: "DenyLegalHoldChangesExceptHoldPrincipals",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObjectLegalHold"],
      Resource: [objects],
      Condition: exceptPrincipals([...writerRoleArns, ...releaseRoleArns]),
    },
    // Not a negated test on ON: an upload with the hold ON is also authorized as s3:PutObjectLegalHold, and a
    // Deny that fired when the key were absent would be the 403 this project exists to prevent. OFF is explicit.
    {
      Sid: "DenyLegalHoldReleaseExceptReleaseRole",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObjectLegalHold"],
      Resource: [objects],
      Condition: mergeConditions({ StringEqualsIgnoreCase: { "s3:object-lock-legal-hold": "OFF" } }, exceptPrincipals(releaseRoleArns)),
    },
    {
      Sid: "DenyUploadsWithLegalHoldOff",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [objects],
      Condition: { StringEqualsIgnoreCase: { "s3:object-lock-legal-hold": "OFF" } },
    },
    // Only requests that send a mode are tested (Null guard): parts and completions carry none.
    {
      Sid: "DenyGovernanceModeWrites",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      Resource: [objects],
      Condition: headerPresentAndNot("s3:object-lock-mode", "COMPLIANCE"),
    },
    // s3:CreateMultipartUpload, UploadPart and UploadPartCopy accept no If-None-Match: AWS's documented
    // exemption is s3:ObjectCreationOperation false ("Enforce conditional writes on Amazon S3 buckets").
    {
      Sid: "DenyOverwritingUploads",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [objects],
      Condition: { Null: { "s3:if-none-match": "true" }, Bool: { "s3:ObjectCreationOperation": "true" } },
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
  if (inputs.minimumRetentionDays !== undefined) {
    // A missing key makes a non-negated operator false: uploads relying on the default retention pass.
    statements.push({
      Sid: "DenyShortRetentionWrites",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      Resource: [objects],
      Condition: { NumericLessThan: { "s3:object-lock-remaining-retention-days": String(inputs.minimumRetentionDays) } },
    });
  }
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
    // Object Lock refuses to delete a locked version, but a plain delete adds a delete marker that hides
    // evidence from anyone listing the case: nobody, admins included, may add one.
    {
      Sid: "DenyDeleteMarkers",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject"],
      Resource: [objects],
    },
    {
      Sid: "DenyVersionDeletionExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObjectVersion"],
      Resource: [objects],
      Condition: exceptPrincipals(adminPrincipalArns),
    },
    {
      Sid: "DenyReplicationIntoArchive",
      Effect: "Deny",
      Principal: "*",
      Action: REPLICATION_ACTIONS,
      Resource: [objects],
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
export function headerPresentAndNot(key: string, value: string): ConditionBlock {
  return { Null: { [key]: "false" }, StringNotEquals: { [key]: value } };
}

/** Joins condition blocks of different operators; all must match for the Deny to apply. */
function mergeConditions(...blocks: (PolicyStatement["Condition"] | undefined)[]): PolicyStatement["Condition"] | undefined {
  const present = blocks.filter((block) => block !== undefined);
  return present.length > 0 ? Object.assign({}, ...present) : undefined;
}

/**
 * Uploads may rely on the bucket's default encryption (no SSE header), but a header naming SSE-S3 or another KMS
 * key than the bucket's is refused. Only s3:PutObject: PutObjectLegalHold carries no encryption key (see above).
 */
export function denyUploadsUnderAnotherKey(objects: string, keyArn: string): PolicyStatement[] {
  return [
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
  ];
}
