import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** KMS calls that could make evidence unreadable, or hand a key to someone else. */
export const KEY_TAMPER_EVENTS = ["DisableKey", "PutKeyPolicy", "ScheduleKeyDeletion"];
/** S3 calls that change the archive's guards or lift a hold (PutObjectLegalHold is a data event: see below). */
export const BUCKET_TAMPER_EVENTS = [
  "DeleteBucketPolicy",
  "PutBucketPolicy",
  "PutBucketReplication",
  "PutObjectLegalHold",
  "PutObjectLockConfiguration",
];

/** EventBridge pattern for CloudTrail's record of the key calls on these keys. */
export function keyTamperPattern(keyArns: string[]): Record<string, unknown> {
  return {
    source: ["aws.kms"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: ["kms.amazonaws.com"], eventName: KEY_TAMPER_EVENTS, resources: { ARN: keyArns } },
  };
}

/**
 * EventBridge pattern for CloudTrail's record of bucket calls on the archive.
 * The writer places holds through the upload's header (logged as PutObject),
 * so any PutObjectLegalHold call is a release or a repair and worth a look.
 */
export function bucketTamperPattern(bucketName: string): Record<string, unknown> {
  return {
    source: ["aws.s3"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: ["s3.amazonaws.com"], eventName: BUCKET_TAMPER_EVENTS, requestParameters: { bucketName: [bucketName] } },
  };
}

export interface EvidenceTamperAlarmsArgs {
  bucket: aws.s3.Bucket;
  keys: aws.kms.Key[];
  topicArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/**
 * Rules that tell the alarm topic about key and bucket-guard changes. KMS and
 * bucket-level S3 calls are CloudTrail management events, which reach
 * EventBridge without a trail; PutObjectLegalHold is an object-level data event
 * and reaches it only from a trail that logs S3 data events for the archive.
 * The topic's policy must let events.amazonaws.com publish.
 */
export function evidenceTamperAlarms(name: string, args: EvidenceTamperAlarmsArgs, opts: pulumi.ResourceOptions): void {
  const rule = (suffix: string, description: string, pattern: pulumi.Output<Record<string, unknown>>) => {
    const r = new aws.cloudwatch.EventRule(
      `${name}-${suffix}`,
      { description, eventPattern: pattern.apply((p) => JSON.stringify(p)), tags: args.tags },
      opts,
    );
    new aws.cloudwatch.EventTarget(`${name}-${suffix}-target`, { rule: r.name, arn: args.topicArn }, opts);
  };
  rule(
    "key-tamper",
    "An evidence key was disabled, scheduled for deletion or given a new policy.",
    pulumi.all(args.keys.map((k) => k.arn)).apply(keyTamperPattern),
  );
  rule(
    "bucket-tamper",
    "The archive's bucket policy, Object Lock or replication changed, or a legal hold was set.",
    args.bucket.bucket.apply(bucketTamperPattern),
  );
}
