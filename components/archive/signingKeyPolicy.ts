import { type PolicyDocument, type PolicyStatement, policyDocument } from "../iam/policyDocument";
import { KEY_ADMIN_ACTIONS } from "./archiveKeyPolicy";
import { keyProtectionStatements } from "./keyProtection";

export interface SigningKeyPolicyInputs {
  adminPrincipalArns: string[];
  writerRoleArns: string[];
  reviewerPrincipalArns: string[];
  /** The hold-release role: it signs each case's release record. @default [] */
  holdReleaseRoleArns?: string[];
  /** See ArchiveKeyPolicyInputs.breakGlassPrincipalArn. @default none */
  breakGlassPrincipalArn?: string;
}

/** The only signing the custody manifests use: ECDSA over a SHA-256 digest. */
export const CUSTODY_SIGNING_ALGORITHM = "ECDSA_SHA_256";

/**
 * The custody signing key's policy: administrators manage it, writers may
 * only sign manifest digests with it, reviewers may only read the public key
 * and verify. Nobody can use it to sign anything else, and nothing is
 * delegated to IAM through the account root.
 */
export function signingKeyPolicy(inputs: SigningKeyPolicyInputs): PolicyDocument {
  const { adminPrincipalArns, writerRoleArns, reviewerPrincipalArns, breakGlassPrincipalArn } = inputs;
  const statements: PolicyStatement[] = [
    ...keyProtectionStatements(breakGlassPrincipalArn),
    // kms:Sign always carries the message type; holds even if an IAM grant ever reaches the key.
    {
      Sid: "DenySigningAnythingButDigests",
      Effect: "Deny",
      Principal: "*",
      Action: ["kms:Sign"],
      Resource: "*",
      Condition: { StringNotEquals: { "kms:MessageType": "DIGEST" } },
    },
    { Sid: "AdministerSigningKey", Effect: "Allow", Principal: { AWS: adminPrincipalArns }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
  ];
  const signsDigests = { StringEquals: { "kms:MessageType": "DIGEST", "kms:SigningAlgorithm": CUSTODY_SIGNING_ALGORITHM } };
  if (writerRoleArns.length > 0) {
    statements.push({
      Sid: "SignCustodyManifestDigests",
      Effect: "Allow",
      Principal: { AWS: writerRoleArns },
      Action: ["kms:Sign"],
      Resource: "*",
      Condition: signsDigests,
    });
  }
  const releasers = inputs.holdReleaseRoleArns ?? [];
  if (releasers.length > 0) {
    statements.push({
      Sid: "SignReleaseRecordDigests",
      Effect: "Allow",
      Principal: { AWS: releasers },
      Action: ["kms:Sign"],
      Resource: "*",
      Condition: signsDigests,
    });
  }
  if (reviewerPrincipalArns.length > 0) {
    statements.push({
      Sid: "VerifyCustodyManifests",
      Effect: "Allow",
      Principal: { AWS: reviewerPrincipalArns },
      Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Verify"],
      Resource: "*",
    });
  }
  return policyDocument(statements);
}
