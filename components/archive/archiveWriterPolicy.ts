import { type PolicyDocument, policyDocument } from "../iam/policyDocument";

/**
 * What an Object Lock upload is authorized as. A PUT carrying
 * `x-amz-object-lock-legal-hold: ON` is also checked as s3:PutObjectLegalHold,
 * and one carrying retention headers as s3:PutObjectRetention: granting only
 * s3:PutObject is the classic legal-hold 403 (facts §1 cause 1).
 */
export const ARCHIVE_OBJECT_WRITE_ACTIONS = ["s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention"];

/** What the writer reads back to confirm the hold and the checksum after a write. */
export const ARCHIVE_OBJECT_READBACK_ACTIONS = ["s3:GetObject", "s3:GetObjectLegalHold", "s3:GetObjectRetention"];

/**
 * SSE-KMS writes need GenerateDataKey; multipart uploads (recordings longer
 * than one 8 MiB part) also need Decrypt to assemble the parts (facts §1 cause 3).
 */
export const ARCHIVE_KEY_WRITER_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

export interface ArchiveWriterPolicyInputs {
  bucketArn: string;
  keyArn: string;
  /** The custody signing key: the writer signs each manifest's digest with it. */
  signingKeyArn: string;
}

/** The identity policy of a role that archives recordings: exactly this, no wildcard, no delete. */
export function archiveWriterPolicy({ bucketArn, keyArn, signingKeyArn }: ArchiveWriterPolicyInputs): PolicyDocument {
  const objects = `${bucketArn}/*`;
  return policyDocument([
    // Without ListBucket S3 answers HeadObject on a missing key with 403, not
    // 404: the worker could not tell "no manifest yet" from "forbidden", and an
    // idempotent export depends on that answer.
    { Sid: "TellMissingObjectsFromForbiddenOnes", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
    { Sid: "WriteLegalHoldObjects", Effect: "Allow", Action: ARCHIVE_OBJECT_WRITE_ACTIONS, Resource: [objects] },
    // A failed multipart upload is aborted at once: without this the abort's 403 hides the real failure and
    // the parts stay billed until the lifecycle rule clears them.
    { Sid: "AbortOwnFailedUploads", Effect: "Allow", Action: ["s3:AbortMultipartUpload"], Resource: [objects] },
    // A worker killed mid-upload cannot abort; the next delivery finds the upload it left open and aborts it.
    { Sid: "FindUploadsLeftOpen", Effect: "Allow", Action: ["s3:ListBucketMultipartUploads"], Resource: [bucketArn] },
    { Sid: "ReadBackArchivedObjects", Effect: "Allow", Action: ARCHIVE_OBJECT_READBACK_ACTIONS, Resource: [objects] },
    { Sid: "UseArchiveKeyForObjects", Effect: "Allow", Action: ARCHIVE_KEY_WRITER_ACTIONS, Resource: [keyArn] },
    { Sid: "SignCustodyManifests", Effect: "Allow", Action: ["kms:Sign"], Resource: [signingKeyArn] },
  ]);
}

/** Where `hold:release` writes a case's signed release records; the only key the release role may write. */
export const RELEASE_RECORD_KEYS = "cases/*/releases/*";
/** The custody records whose digests a release record repeats. */
export const CUSTODY_RECORD_KEYS = "cases/*.custody.dsse.json";

/**
 * The hold-release role's grant: exactly what `npm run hold:release` does.
 * See what a case holds (versions, holds, custody records), lift the holds,
 * and write and sign one release record. The bucket policy lets no one else
 * set a hold OFF, and keeps this role's writes to the release records.
 */
export function holdReleasePolicy({ bucketArn, keyArn, signingKeyArn }: ArchiveWriterPolicyInputs): PolicyDocument {
  return policyDocument([
    {
      Sid: "ListCaseVersions",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:ListBucketVersions"],
      Resource: [bucketArn],
      Condition: { StringLike: { "s3:prefix": ["cases/*"] } },
    },
    {
      Sid: "ChangeLegalHolds",
      Effect: "Allow",
      Action: ["s3:GetObjectLegalHold", "s3:PutObjectLegalHold"],
      Resource: [`${bucketArn}/cases/*`],
    },
    { Sid: "ReadCustodyRecords", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucketArn}/${CUSTODY_RECORD_KEYS}`] },
    // PutObjectRetention beside PutObject, as the pack requires of every writer (legal-hold 403 cause 1): it can
    // only lengthen a release record's COMPLIANCE retention, and the bucket policy keeps it to the release records.
    {
      Sid: "WriteReleaseRecords",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      Resource: [`${bucketArn}/${RELEASE_RECORD_KEYS}`],
    },
    // GenerateDataKey encrypts the release record (SSE-KMS by default); Decrypt reads the custody records.
    { Sid: "UseArchiveKeyForReleaseRecords", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [keyArn] },
    { Sid: "SignReleaseRecords", Effect: "Allow", Action: ["kms:Sign"], Resource: [signingKeyArn] },
  ]);
}
