import { LANDING_ROUTING_PREFIX, landingRecordingPrefix } from "../../policies/shared/bulkExport";
import { ARCHIVE_GOVERNANCE_ACTIONS, denyUploadsUnderAnotherKey, exceptPrincipals } from "../archive/archiveBucketPolicy";
import { denyKeyUseOutsideS3, KEY_ADMIN_ACTIONS } from "../archive/archiveKeyPolicy";
import { denyInsecureTransport } from "../iam/denyInsecureTransport";
import { type PolicyDocument, type PolicyStatement, policyDocument } from "../iam/policyDocument";

/** Who may do what in the landing bucket: every principal by ARN, none by network. */
export interface LandingPrincipals {
  /** The role Genesys assumes for recording bulk exports: the only writer under `{orgId}/`. */
  genesysWriterRoleArn: string;
  /** The sealer: the only reader and deleter of landing objects. Absent: nobody reads or deletes (lifecycle expiry still does). */
  sealerRoleArn?: string;
  /** The case-export Lambda: the only writer under `routing/`. Absent: nobody writes routing objects. */
  caseExportRoleArn?: string;
  /** The only principals that may change the bucket's configuration or administer its key. */
  adminPrincipalArns: string[];
}

export interface LandingBucketPolicyInputs extends LandingPrincipals {
  bucketArn: string;
  keyArn: string;
  organizationId: string;
}

/** What Genesys' writer does in the landing bucket: PUT objects (single or multipart; both are s3:PutObject). */
export const LANDING_WRITER_OBJECT_ACTIONS = ["s3:PutObject"];
/**
 * SSE-KMS uploads need GenerateDataKey; multipart uploads (long recordings)
 * also need Decrypt to assemble the parts (facts §1 cause 3). Decrypt cannot
 * become a read: the bucket policy denies GetObject to everyone but the sealer.
 */
export const LANDING_WRITER_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/**
 * The landing bucket's policy: Deny statements only, each naming principals,
 * so it holds whatever identity policies say; same-account roles are then let
 * in by their own identity policies. Genesys writes only under `{orgId}/`,
 * the case export only under `routing/`, nobody anywhere else; only the
 * sealer reads or deletes; encryption is the landing key's or none (the
 * default applies it). No statement matches a network: Genesys' requests
 * are signed by the role it assumes, so its IP ranges identify nothing.
 */
export function landingBucketPolicy(inputs: LandingBucketPolicyInputs): PolicyDocument {
  const { bucketArn, keyArn, organizationId, genesysWriterRoleArn, sealerRoleArn, caseExportRoleArn, adminPrincipalArns } = inputs;
  const objects = `${bucketArn}/*`;
  const recordings = `${bucketArn}/${landingRecordingPrefix(organizationId)}*`;
  const routing = `${bucketArn}/${LANDING_ROUTING_PREFIX}*`;
  const only = (arn: string | undefined) => exceptPrincipals(arn ? [arn] : []);
  const statements: PolicyStatement[] = [
    denyInsecureTransport(bucketArn),
    // Uploads without an SSE header get the default (the landing key): only a header naming something else is refused.
    ...denyUploadsUnderAnotherKey(objects, keyArn),
    {
      Sid: "DenyRecordingWritesExceptGenesysWriter",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [recordings],
      Condition: only(genesysWriterRoleArn),
    },
    {
      Sid: "DenyRoutingWritesExceptCaseExport",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject"],
      Resource: [routing],
      ...conditionOrNone(only(caseExportRoleArn)),
    },
    // Recordings (and anything not routing) are the sealer's alone to read; routing objects also the case export's,
    // which reads back one it finds already written.
    {
      Sid: "DenyObjectReadsExceptSealer",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      NotResource: [routing],
      ...conditionOrNone(only(sealerRoleArn)),
    },
    {
      Sid: "DenyRoutingReadsExceptSealerAndCaseExport",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [routing],
      ...conditionOrNone(exceptPrincipals([sealerRoleArn, caseExportRoleArn].filter((arn) => arn !== undefined))),
    },
    // Removing a landing copy is the sealer's last step, after the archive copy is verified; lifecycle expiry is not a request.
    {
      Sid: "DenyObjectDeletionExceptSealer",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: [objects],
      ...conditionOrNone(only(sealerRoleArn)),
    },
    {
      Sid: "DenyLandingConfigChangesExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: ARCHIVE_GOVERNANCE_ACTIONS,
      Resource: [bucketArn],
      ...conditionOrNone(exceptPrincipals(adminPrincipalArns)),
    },
  ];
  return policyDocument(statements);
}

/** An absent exemption means the Deny applies to everyone: no Condition key at all (IAM refuses an empty one). */
function conditionOrNone(condition: PolicyStatement["Condition"] | undefined): Pick<PolicyStatement, "Condition"> {
  return condition ? { Condition: condition } : {};
}

export interface LandingKeyPolicyInputs extends LandingPrincipals {
  accountId: string;
  /** The S3 endpoint name KMS sees in kms:ViaService, e.g. s3.eu-west-2.amazonaws.com. */
  s3ServiceName: string;
}

/**
 * The landing key's policy. It names every principal itself (no delegation
 * to IAM through the account root, facts §1 cause 4), and every use is
 * through S3 only. No kms:EncryptionContext condition: with bucket keys the
 * context is the bucket, not the object (facts §1 cause 6). Admins may also
 * disable or retire this key: it protects transient copies, not evidence.
 */
export function landingKeyPolicy(inputs: LandingKeyPolicyInputs): PolicyDocument {
  const { accountId, s3ServiceName, adminPrincipalArns, genesysWriterRoleArn, sealerRoleArn, caseExportRoleArn } = inputs;
  const viaS3 = { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": s3ServiceName } };
  const statements: PolicyStatement[] = [
    // Holds even if an IAM grant ever reaches the key: landing objects are decrypted only where the bucket policy decides.
    denyKeyUseOutsideS3(s3ServiceName),
    {
      Sid: "AdministerLandingKey",
      Effect: "Allow",
      Principal: { AWS: adminPrincipalArns },
      Action: [...KEY_ADMIN_ACTIONS, "kms:DisableKey", "kms:ScheduleKeyDeletion"],
      Resource: "*",
    },
    {
      Sid: "GenesysWriterEncryptsThroughS3",
      Effect: "Allow",
      Principal: { AWS: [genesysWriterRoleArn] },
      Action: LANDING_WRITER_KEY_ACTIONS,
      Resource: "*",
      Condition: viaS3,
    },
  ];
  if (caseExportRoleArn) {
    // Routing objects are a few hundred bytes, one PUT each; Decrypt reads one back (the bucket policy limits its reads to routing/).
    statements.push({
      Sid: "CaseExportEncryptsRoutingThroughS3",
      Effect: "Allow",
      Principal: { AWS: [caseExportRoleArn] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: viaS3,
    });
  }
  if (sealerRoleArn) {
    statements.push({
      Sid: "SealerDecryptsThroughS3",
      Effect: "Allow",
      Principal: { AWS: [sealerRoleArn] },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: viaS3,
    });
  }
  return policyDocument(statements);
}

export interface BulkWriterPolicyInputs {
  landingBucketArn: string;
  landingKeyArn: string;
  organizationId: string;
  /** Bucket-level reads Genesys may need (UNCONFIRMED which, if any): s3:GetBucketLocation, s3:ListBucket. @default [] */
  bucketActions?: string[];
}

/** Bucket-level actions the writer may be given, each harmless for a bucket nobody can read objects from. */
export const OPTIONAL_WRITER_BUCKET_ACTIONS = ["s3:GetBucketLocation", "s3:ListBucket"];

/** The identity policy of the role Genesys assumes: PUT under `{orgId}/` of the landing bucket, through its key, nothing else. */
export function bulkWriterPolicy(inputs: BulkWriterPolicyInputs): PolicyDocument {
  const { landingBucketArn, landingKeyArn, organizationId, bucketActions = [] } = inputs;
  const statements: PolicyStatement[] = [
    // The landing bucket has no Object Lock: a grant that admits no legal-hold upload says so, and the pack sees it.
    {
      Sid: "PutRecordingsUnderOrganizationPrefix",
      Effect: "Allow",
      Action: LANDING_WRITER_OBJECT_ACTIONS,
      Resource: [`${landingBucketArn}/${landingRecordingPrefix(organizationId)}*`],
      Condition: { Null: { "s3:object-lock-legal-hold": "true" } },
    },
    { Sid: "EncryptWithLandingKey", Effect: "Allow", Action: LANDING_WRITER_KEY_ACTIONS, Resource: [landingKeyArn] },
  ];
  if (bucketActions.length > 0) {
    statements.push({ Sid: "LocateLandingBucket", Effect: "Allow", Action: bucketActions, Resource: [landingBucketArn] });
  }
  return policyDocument(statements);
}
