import { denyInsecureTransport } from "../iam/denyInsecureTransport";
import { type PolicyDocument, policyDocument } from "../iam/policyDocument";

export interface AccessLogBucketPolicyInputs {
  logBucketArn: string;
  sourceBucketArn: string;
  accountId: string;
}

/**
 * The access-log bucket's policy: TLS only, and S3's log delivery may write
 * only the logs of the archive, from this account (a bucket with
 * BucketOwnerEnforced takes no ACL grants, so delivery needs this statement).
 */
export function accessLogBucketPolicy({ logBucketArn, sourceBucketArn, accountId }: AccessLogBucketPolicyInputs): PolicyDocument {
  return policyDocument([
    denyInsecureTransport(logBucketArn),
    {
      Sid: "AllowArchiveAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: ["logging.s3.amazonaws.com"] },
      Action: ["s3:PutObject"],
      Resource: [`${logBucketArn}/*`],
      Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn }, StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}
