import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Default encryption: a customer KMS key (with an S3 bucket key), or SSE-S3 where a key cannot be used. */
export type BucketEncryption = { kmsKeyArn: pulumi.Input<string> } | "AES256";

/**
 * The guards every bucket of the stack gets, under the same child names in each:
 * default encryption, all four public-access blocks, and ACLs disabled
 * (BucketOwnerEnforced). Returns the two a bucket policy must wait for: S3
 * refuses a policy the public-access block would call public while it is
 * still being applied.
 */
export function bucketBaseline(
  name: string,
  bucket: aws.s3.Bucket,
  encryption: BucketEncryption,
  parent: pulumi.Resource,
): { publicAccessBlock: aws.s3.BucketPublicAccessBlock; ownership: aws.s3.BucketOwnershipControls } {
  const onBucket = { parent, dependsOn: [bucket] };
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        encryption === "AES256"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn },
              bucketKeyEnabled: true,
            },
      ],
    },
    onBucket,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access-block`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    onBucket,
  );
  const ownership = new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    onBucket,
  );
  return { publicAccessBlock, ownership };
}
