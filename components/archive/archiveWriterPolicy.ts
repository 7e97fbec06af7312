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

/**
 * The hold-release role's grant: lift (or re-place) a hold and see what is held.
 * The bucket policy lets no one else set a hold OFF.
 */
export function holdReleasePolicy(bucketArn: string): PolicyDocument {
  return policyDocument([
    { Sid: "ChangeLegalHolds", Effect: "Allow", Action: ["s3:GetObjectLegalHold", "s3:PutObjectLegalHold"], Resource: [`${bucketArn}/*`] },
    { Sid: "ListHeldVersions", Effect: "Allow", Action: ["s3:ListBucket", "s3:ListBucketVersions"], Resource: [bucketArn] },
  ]);
}
