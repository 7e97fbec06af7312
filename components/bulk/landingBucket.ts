import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketPurpose, PURPOSE_TAG } from "../../policies/shared/bucketPurpose";
import { landingRecordingPrefix, MAX_LANDING_EXPIRY_DAYS } from "../../policies/shared/bulkExport";
import { isWholeBetween, withDefaults } from "../argChecks";
import { ORGANIZATION_ID } from "../genesys/organizationId";
import { bucketBaseline } from "../s3/bucketBaseline";
import { type LandingPrincipals, landingBucketPolicy, landingKeyPolicy } from "./landingPolicies";

export interface LandingBucketArgs {
  /** The Genesys Cloud organization id: Genesys writes under `{orgId}/`. */
  organizationId: string;
  /** Principals that administer the key and may change the bucket's configuration. Include the deployer. */
  adminPrincipalArns: pulumi.Input<string>[];
  /** The role Genesys assumes to write (BulkWriterRole): the only writer under `{orgId}/`. */
  genesysWriterRoleArn: pulumi.Input<string>;
  /**
   * The sealer's role: the only reader and deleter of landing objects. With it, the bucket's one notification
   * configuration is LandingSealer's (its queue + EventBridge), not this component's. @default none (nobody reads or deletes)
   */
  sealerRoleArn?: pulumi.Input<string>;
  /** The case-export Lambda's role: the only writer of routing objects. @default none (nobody writes them) */
  caseExportRoleArn?: pulumi.Input<string>;
  /** Days an uncollected object stays before lifecycle deletes it (and the alarm topic hears of it). @default 7 */
  expiryDays?: number;
  /** SNS topic told when lifecycle expires a recording nobody sealed. @default none */
  alarmTopicArn?: pulumi.Input<string>;
  /** KMS waiting period before a scheduled deletion of the landing key. @default 30 */
  keyDeletionWindowDays?: number;
  /** Tags for every taggable child. @default {} */
  tags?: Record<string, string>;
}

type Optional = "sealerRoleArn" | "caseExportRoleArn" | "alarmTopicArn";
export type ResolvedLandingArgs = Required<Omit<LandingBucketArgs, Optional>> & Pick<LandingBucketArgs, Optional>;

/** Applies defaults and refuses impossible args, naming the arg and the fix. */
export function resolveLandingArgs(args: LandingBucketArgs): ResolvedLandingArgs {
  const resolved = withDefaults<LandingBucketArgs>({ expiryDays: 7, keyDeletionWindowDays: 30, tags: {} }, args) as ResolvedLandingArgs;
  const problems: string[] = [];
  if (!ORGANIZATION_ID.test(resolved.organizationId))
    problems.push(`[organizationId] must be the Genesys organization UUID; got "${resolved.organizationId}"`);
  if (resolved.adminPrincipalArns.length === 0)
    problems.push("[adminPrincipalArns] must name at least one principal (the deployer), or the key cannot be administered");
  if (!isWholeBetween(resolved.expiryDays, 1, MAX_LANDING_EXPIRY_DAYS))
    problems.push(`[expiryDays] must be a whole number of days from 1 to ${MAX_LANDING_EXPIRY_DAYS}; got ${resolved.expiryDays}`);
  if (!isWholeBetween(resolved.keyDeletionWindowDays, 7, 30))
    problems.push(`[keyDeletionWindowDays] must be from 7 to 30 (the KMS limits); got ${resolved.keyDeletionWindowDays}`);
  if (problems.length > 0) throw new Error(`LandingBucket: ${problems.join("; ")}`);
  return resolved;
}

/**
 * EventBridge pattern for S3 deleting an object of Genesys' folder by
 * lifecycle expiration: a recording nobody sealed ("Object Deleted", reason
 * "Lifecycle Expiration": S3 user guide, "Using EventBridge").
 */
export function uncollectedExpiryPattern(bucketName: string, organizationId: string): Record<string, unknown> {
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Deleted"],
    detail: {
      bucket: { name: [bucketName] },
      reason: ["Lifecycle Expiration"],
      object: { key: [{ prefix: landingRecordingPrefix(organizationId) }] },
    },
  };
}

/**
 * Where Genesys' recording bulk export writes, and the archive takes custody
 * from: its own customer key, every public path blocked, ACLs off, a
 * principal-only Deny policy, and a
 * lifecycle that deletes what nobody collected (telling the alarm topic).
 * Versioning stays off: nothing here is evidence yet, a sealer's delete must
 * really delete, and an overwrite by a re-export carries the same recording.
 * Events go to EventBridge (the lifecycle-expiry alarm's rule). S3 keeps one
 * notification configuration per bucket: with a sealer attached, LandingSealer
 * owns it (its queue plus EventBridge), so this component creates none.
 * Its access logs go to the archive's log bucket: pass the bucket to
 * LegalHoldArchive's `loggedBuckets` (created first, so the log bucket's
 * policy can name it exactly).
 */
export class LandingBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: LandingBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:bulk:LandingBucket", name, {}, opts);
    const resolved = resolveLandingArgs(args);
    const { tags } = resolved;
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const principals: pulumi.Output<LandingPrincipals> = pulumi
      .all([pulumi.all(resolved.adminPrincipalArns), resolved.genesysWriterRoleArn, resolved.sealerRoleArn, resolved.caseExportRoleArn])
      .apply(([adminPrincipalArns, genesysWriterRoleArn, sealerRoleArn, caseExportRoleArn]) => ({
        adminPrincipalArns,
        genesysWriterRoleArn,
        sealerRoleArn,
        caseExportRoleArn,
      }));

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts recordings Genesys exports into ${name} until they are sealed into the archive`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        deletionWindowInDays: resolved.keyDeletionWindowDays,
        policy: pulumi
          .all([account.accountId, region.region, partition.dnsSuffix, principals])
          .apply(([accountId, regionName, dnsSuffix, who]) =>
            JSON.stringify(landingKeyPolicy({ accountId, s3ServiceName: `s3.${regionName}.${dnsSuffix}`, ...who })),
          ),
        tags,
      },
      // Deleting it would make every recording not yet sealed unreadable.
      { parent: this, protect: true, retainOnDelete: true },
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${name}`, targetKeyId: key.keyId }, parent);

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { forceDestroy: false, tags: { ...tags, [PURPOSE_TAG]: BucketPurpose.landing } },
      parent,
    );
    const onBucket = { parent: this, dependsOn: [bucket] };
    const { publicAccessBlock, ownership } = bucketBaseline(name, bucket, { kmsKeyArn: key.arn }, this);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-uncollected",
            status: "Enabled",
            filter: {},
            expiration: { days: resolved.expiryDays },
            // Genesys' interrupted multipart uploads leave billed, invisible parts.
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      onBucket,
    );
    // S3 keeps ONE notification configuration per bucket: with a sealer, LandingSealer's carries EventBridge too.
    if (!resolved.sealerRoleArn) {
      new aws.s3.BucketNotification(`${name}-events`, { bucket: bucket.id, eventbridge: true }, onBucket);
    }
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, key.arn, principals])
          .apply(([bucketArn, keyArn, who]) =>
            JSON.stringify(landingBucketPolicy({ bucketArn, keyArn, organizationId: resolved.organizationId, ...who })),
          ),
      },
      { parent: this, dependsOn: [publicAccessBlock, ownership] },
    );
    if (resolved.alarmTopicArn) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-uncollected-expired`,
        {
          description: "Lifecycle deleted a recording Genesys exported that was never sealed into the archive.",
          eventPattern: bucket.bucket.apply((b) => JSON.stringify(uncollectedExpiryPattern(b, resolved.organizationId))),
          tags,
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(`${name}-uncollected-expired-target`, { rule: rule.name, arn: resolved.alarmTopicArn }, parent);
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
  }
}
