import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, KMS_KEY, S3_ENCRYPTION } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { configuredBucket, encryptionKeysOf, purposeOf } from "../lib/stackLinks";

interface EncryptionRule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
  bucketKeyEnabled?: boolean;
}

/** Buckets whose contents are recordings: the archive (evidence) and, in bulk mode, the landing bucket before sealing. */
const RECORDING_PURPOSES: string[] = [BucketPurpose.evidence, BucketPurpose.landing];

/** The encryption configurations of buckets that hold recordings, with their rules. */
export function evidenceEncryptions(resources: PolicyResource[]): { config: PolicyResource; rules: EncryptionRule[] }[] {
  return resources
    .filter((r) => S3_ENCRYPTION.includes(r.type))
    .filter((r) => {
      const bucket = configuredBucket(r, resources);
      return bucket !== undefined && RECORDING_PURPOSES.includes(purposeOf(bucket) ?? "");
    })
    .map((config) => ({ config, rules: (config.props.rules as EncryptionRule[] | undefined) ?? [] }));
}

export const s3EncryptionRequireCustomerKmsKey = stackPolicy(
  {
    name: "s3-encryption-require-customer-kms-key",
    description:
      "Buckets holding recordings (evidence, and landing in bulk mode) default to SSE-KMS under a customer-managed key of the stack.",
    severity: "high",
    why: "SSE-S3 or the AWS-managed aws/s3 key cannot be scoped by a key policy: anyone with s3:GetObject could read recordings, and access could not be revoked by key.",
    remediationSteps: 'Set applyServerSideEncryptionByDefault { sseAlgorithm: "aws:kms", kmsMasterKeyId: <the archive key ARN> }.',
  },
  (resources, report) => {
    const keys = resourcesOfType(resources, KMS_KEY);
    for (const { config, rules } of evidenceEncryptions(resources)) {
      const defaults = rules.map((rule) => rule.applyServerSideEncryptionByDefault);
      const customerKey = encryptionKeysOf(config, keys).length > 0;
      if (!defaults.some((d) => d?.sseAlgorithm === "aws:kms") || !customerKey) {
        const keyIds = defaults.map((d) => d?.kmsMasterKeyId).filter((id): id is string => typeof id === "string");
        report(
          `Encryption "${config.name}" of a bucket holding recordings uses ${JSON.stringify(defaults.map((d) => d?.sseAlgorithm))} ${keyIds.length ? `with key ${keyIds.join(", ")}` : "without a key"}; use sseAlgorithm "aws:kms" with the stack's customer key ARN.`,
          config.urn,
        );
      }
    }
  },
);
