import { denyInsecureTransport } from "../iam/denyInsecureTransport";
import { type PolicyDocument, policyDocument } from "../iam/policyDocument";
import { ARCHIVE_GOVERNANCE_ACTIONS } from "./archiveBucketPolicy";

export interface AccessLogBucketPolicyInputs {
  logBucketArn: string;
  /** The buckets whose server access logs land here: the archive, and the landing bucket in bulk mode. */
  sourceBucketArns: string[];
  accountId: string;
  /** The only principals that may delete logs or change the log bucket. */
  adminPrincipalArns: string[];
}

/**
 * The access-log bucket's policy: the record of who read evidence. TLS only;
 * S3's log delivery may write only the logs of the buckets named, from this account (a
 * bucket with BucketOwnerEnforced takes no ACL grants, so delivery needs this
 * statement); no IAM principal writes there at all; only admins delete logs
 * or change the bucket.
 */
export function accessLogBucketPolicy({
  logBucketArn,
  sourceBucketArns,
  accountId,
  adminPrincipalArns,
}: AccessLogBucketPolicyInputs): PolicyDocument {
  const logs = `${logBucketArn}/*`;
  return policyDocument([
    denyInsecureTransport(logBucketArn),
    {
      Sid: "AllowArchiveAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: ["logging.s3.amazonaws.com"] },
      Action: ["s3:PutObject"],
      Resource: [logs],
      Condition: { ArnLike: { "aws:SourceArn": sourceBucketArns }, StringEquals: { "aws:SourceAccount": accountId } },
    },
    // A principal's own request carries no aws:SourceArn; log delivery's always does (the grant above needs it).
    {
      Sid: "DenyLogWritesExceptLogDelivery",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [logs],
      Condition: { Null: { "aws:SourceArn": "true" } },
    },
    {
      Sid: "DenyLogDeletionExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: [logs],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": adminPrincipalArns } },
    },
    {
      Sid: "DenyLogBucketConfigChangesExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: ARCHIVE_GOVERNANCE_ACTIONS,
      Resource: [logBucketArn],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": adminPrincipalArns } },
    },
  ]);
}
