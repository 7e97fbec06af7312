import { stackPolicy } from "../lib/projectPolicy";
import { evidenceEncryptions } from "./encryptionRequireCustomerKmsKey";

export const s3EncryptionEnableBucketKey = stackPolicy(
  {
    name: "s3-encryption-enable-bucket-key",
    description: "SSE-KMS on evidence buckets uses an S3 Bucket Key.",
    severity: "low",
    why: "Without a bucket key every object operation is a KMS request: slower, costlier and subject to KMS request quotas during bulk exports.",
    remediationSteps:
      "Set bucketKeyEnabled: true on the encryption rule (then any kms:EncryptionContext condition must name the bucket ARN, not the object's).",
  },
  (resources, report) => {
    for (const { config, rules } of evidenceEncryptions(resources)) {
      if (!rules.some((rule) => rule.bucketKeyEnabled === true)) {
        report(`Encryption "${config.name}" of an evidence bucket has no bucket key; set bucketKeyEnabled: true.`, config.urn);
      }
    }
  },
);
