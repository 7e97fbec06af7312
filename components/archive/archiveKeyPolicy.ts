import { type PolicyDocument, type PolicyStatement, policyDocument } from "../iam/policyDocument";
import { ARCHIVE_KEY_WRITER_ACTIONS } from "./archiveWriterPolicy";
import { keyProtectionStatements } from "./keyProtection";

export interface ArchiveKeyPolicyInputs {
  accountId: string;
  /** The S3 endpoint name KMS sees in kms:ViaService, e.g. s3.eu-west-2.amazonaws.com. */
  s3ServiceName: string;
  adminPrincipalArns: string[];
  writerRoleArns: string[];
  reviewerPrincipalArns: string[];
  /** The hold-release role: it writes release records (SSE-KMS) and reads custody records. @default [] */
  holdReleaseRoleArns?: string[];
  /** The one principal that may, with MFA, disable or delete the key or bypass the lockout check. @default none */
  breakGlassPrincipalArn?: string;
}

/**
 * Key management without use: administrators can change the key but cannot
 * decrypt evidence, disable it or schedule its deletion (the protection
 * statements deny those to all but the break-glass principal). Listed one by one (no kms:*), so a review sees
 * exactly what an administrator holds.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/**
 * The archive key's policy. It names every principal itself instead of
 * delegating to IAM through the account root: an IAM grant alone can then
 * never open the key (facts §1 cause 4 is avoided by naming the writer here).
 * Use is only through S3 (`kms:ViaService`). No condition on
 * kms:EncryptionContext:aws:s3:arn: with bucket keys that context is the
 * bucket, not the object (facts §1 cause 6).
 */
export function archiveKeyPolicy(inputs: ArchiveKeyPolicyInputs): PolicyDocument {
  const { accountId, s3ServiceName, adminPrincipalArns, writerRoleArns, reviewerPrincipalArns, breakGlassPrincipalArn } = inputs;
  const viaS3 = { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": s3ServiceName } };
  const statements: PolicyStatement[] = [
    ...keyProtectionStatements(breakGlassPrincipalArn),
    // Holds even if an IAM grant ever reaches the key: evidence is decrypted only where the bucket policy decides.
    denyKeyUseOutsideS3(s3ServiceName),
    {
      Sid: "AdministerArchiveKey",
      Effect: "Allow",
      Principal: { AWS: adminPrincipalArns },
      Action: KEY_ADMIN_ACTIONS,
      Resource: "*",
    },
  ];
  if (writerRoleArns.length > 0) {
    statements.push({
      Sid: "EncryptArchiveObjectsThroughS3",
      Effect: "Allow",
      Principal: { AWS: writerRoleArns },
      Action: ARCHIVE_KEY_WRITER_ACTIONS,
      Resource: "*",
      Condition: viaS3,
    });
  }
  const releasers = inputs.holdReleaseRoleArns ?? [];
  if (releasers.length > 0) {
    statements.push({
      Sid: "ReleaseRecordsThroughS3",
      Effect: "Allow",
      Principal: { AWS: releasers },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: viaS3,
    });
  }
  if (reviewerPrincipalArns.length > 0) {
    statements.push({
      Sid: "DecryptArchiveObjectsThroughS3",
      Effect: "Allow",
      Principal: { AWS: reviewerPrincipalArns },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: viaS3,
    });
  }
  return policyDocument(statements);
}

/** A key-policy Deny of every data-key use except through S3: holds even if an IAM grant ever reaches the key. */
export function denyKeyUseOutsideS3(s3ServiceName: string): PolicyStatement {
  return {
    Sid: "DenyKeyUseOutsideS3",
    Effect: "Deny",
    Principal: "*",
    Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
    Resource: "*",
    Condition: { StringNotEquals: { "kms:ViaService": s3ServiceName } },
  };
}
