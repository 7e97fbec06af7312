import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketPurpose, PURPOSE_TAG } from "../policies/shared/bucketPurpose";
import { type CidrRules, DEFAULT_CIDR_RULES, normalizeCidrList } from "../policies/shared/cidrAllowlist";
import { accessLogBucketPolicy } from "./archive/accessLogBucketPolicy";
import { archiveBucketPolicy } from "./archive/archiveBucketPolicy";
import { archiveKeyPolicy } from "./archive/archiveKeyPolicy";
import { archiveWriterPolicy, holdReleasePolicy } from "./archive/archiveWriterPolicy";
import { evidenceTamperAlarms } from "./archive/evidenceTamperAlarms";
import { signingKeyPolicy } from "./archive/signingKeyPolicy";
import { GLACIER_IR_MINIMUM_DAYS, MAX_RETENTION_DAYS, MAX_RETENTION_YEARS } from "./archive/storageLimits";
import { isWholeBetween, withDefaults } from "./argChecks";
import { bucketBaseline } from "./s3/bucketBaseline";

/** Object Lock default retention: exactly one of days or years. Mode is always COMPLIANCE. */
export type ObjectLockRetention = { days: number; years?: never } | { years: number; days?: never };

/** A role that gets the writer grant as an inline policy; an aws.iam.Role fits. */
export interface ArchiveWriterRole {
  arn: pulumi.Input<string>;
  name: pulumi.Input<string>;
}

/** Another bucket of the stack whose server access logs go to the archive's log bucket. */
export interface LoggedBucket {
  /** Names the logging resource and the log prefix (`<label>-access/`). */
  label: string;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
}

export interface LegalHoldArchiveArgs {
  /** Roles that archive recordings. Each gets exactly the writer grant; the bucket denies writes by anyone else. */
  writerRoles: ArchiveWriterRole[];
  /** Principals that administer the key and may change bucket policy, Object Lock settings or delete the bucket. Include the deployer. */
  adminPrincipalArns: pulumi.Input<string>[];
  /** The role that alone may set legal holds OFF (see HoldReleaseRole); without it nobody can. @default none */
  holdReleaseRole?: ArchiveWriterRole;
  /** The one principal that may, with MFA, disable or schedule deletion of the archive's keys. @default none */
  breakGlassPrincipalArn?: string;
  /** SNS topic told when a key is disabled, scheduled for deletion or re-policied, or the bucket policy or a hold changes. @default none */
  alarmTopicArn?: pulumi.Input<string>;
  /** Principals that may read and decrypt archived objects, from `reviewerCidrs` only. @default [] */
  reviewerPrincipalArns?: pulumi.Input<string>[];
  /** Networks reviewers read from; every other read is denied except to writers. @default [] */
  reviewerCidrs?: string[];
  /** Broadest prefixes `reviewerCidrs` may hold. @default { minimumIpv4Prefix: 16, minimumIpv6Prefix: 32 } */
  cidrRules?: CidrRules;
  /** Default Object Lock retention (COMPLIANCE mode). @default { years: 7 } */
  retention?: ObjectLockRetention;
  /** Days until objects move to Glacier Instant Retrieval. @default 90 */
  coldStorageAfterDays?: number;
  /** Days until objects move to Glacier Deep Archive; at least 90 after `coldStorageAfterDays`. @default 365 */
  deepArchiveAfterDays?: number;
  /** Days access logs are kept. @default 2557 */
  accessLogRetentionDays?: number;
  /** KMS waiting period before a scheduled key deletion takes effect. @default 30 */
  keyDeletionWindowDays?: number;
  /** Other buckets whose access logs the log bucket receives (the landing bucket in bulk mode). @default [] */
  loggedBuckets?: LoggedBucket[];
  /** Tags for every taggable child. @default {} */
  tags?: Record<string, string>;
}

/** Args with every default applied and checked. */
type PassedThrough =
  | "writerRoles"
  | "adminPrincipalArns"
  | "holdReleaseRole"
  | "breakGlassPrincipalArn"
  | "alarmTopicArn"
  | "loggedBuckets";
export type ResolvedArchiveArgs = Required<Omit<LegalHoldArchiveArgs, PassedThrough>> & Pick<LegalHoldArchiveArgs, PassedThrough>;

/** The default retention in whole days (a year counted as 365): no upload may ask for less. */
export function minimumRetentionDays(retention: ObjectLockRetention): number {
  return retention.days ?? (retention.years as number) * 365;
}

/** Applies defaults and refuses impossible args, naming the arg and the fix, before any resource exists. */
export function resolveArchiveArgs(args: LegalHoldArchiveArgs): ResolvedArchiveArgs {
  const resolved = withDefaults<LegalHoldArchiveArgs>(
    {
      reviewerPrincipalArns: [],
      reviewerCidrs: [],
      cidrRules: DEFAULT_CIDR_RULES,
      retention: { years: 7 },
      coldStorageAfterDays: 90,
      deepArchiveAfterDays: 365,
      accessLogRetentionDays: 2557,
      keyDeletionWindowDays: 30,
      tags: {},
    },
    args,
  ) as ResolvedArchiveArgs;
  const problems: string[] = [];
  if (resolved.writerRoles.length === 0)
    problems.push("[writerRoles] must name at least one role; an archive nobody can write to holds no evidence");
  if (resolved.adminPrincipalArns.length === 0)
    problems.push("[adminPrincipalArns] must name at least one principal (the deployer), or the key cannot be administered");
  const { days, years } = resolved.retention;
  const retentionOk =
    (days !== undefined) !== (years !== undefined) &&
    (days === undefined || isWholeBetween(days, 1, MAX_RETENTION_DAYS)) &&
    (years === undefined || isWholeBetween(years, 1, MAX_RETENTION_YEARS));
  if (!retentionOk)
    problems.push(
      `[retention] must be exactly one of days (1-${MAX_RETENTION_DAYS}) or years (1-${MAX_RETENTION_YEARS}); got ${JSON.stringify(resolved.retention)}`,
    );
  if (!isWholeBetween(resolved.coldStorageAfterDays, 1, MAX_RETENTION_DAYS))
    problems.push(`[coldStorageAfterDays] must be a whole number of days from 1; got ${resolved.coldStorageAfterDays}`);
  if (!(resolved.deepArchiveAfterDays >= resolved.coldStorageAfterDays + GLACIER_IR_MINIMUM_DAYS)) {
    problems.push(
      `[deepArchiveAfterDays] must be at least ${GLACIER_IR_MINIMUM_DAYS} days after coldStorageAfterDays (${resolved.coldStorageAfterDays}); got ${resolved.deepArchiveAfterDays}`,
    );
  }
  if (!isWholeBetween(resolved.accessLogRetentionDays, 1, MAX_RETENTION_DAYS))
    problems.push(`[accessLogRetentionDays] must be a whole number of days from 1; got ${resolved.accessLogRetentionDays}`);
  if (!isWholeBetween(resolved.keyDeletionWindowDays, 7, 30))
    problems.push(`[keyDeletionWindowDays] must be from 7 to 30 (the KMS limits); got ${resolved.keyDeletionWindowDays}`);
  const { minimumIpv4Prefix, minimumIpv6Prefix } = resolved.cidrRules;
  if (!isWholeBetween(minimumIpv4Prefix, 1, 32) || !isWholeBetween(minimumIpv6Prefix, 1, 128))
    problems.push(
      `[cidrRules] minimumIpv4Prefix must be from 1 to 32 and minimumIpv6Prefix from 1 to 128; got ${JSON.stringify(resolved.cidrRules)}`,
    );
  const cidrs = normalizeCidrList(resolved.reviewerCidrs, resolved.cidrRules);
  for (const { problem } of cidrs.problems) problems.push(`[reviewerCidrs] ${problem}`);
  if (problems.length > 0) throw new Error(`LegalHoldArchive: ${problems.join("; ")}`);
  return { ...resolved, reviewerCidrs: cidrs.cidrs };
}

/**
 * The legal-hold archive: an S3 bucket with Object Lock in COMPLIANCE mode,
 * versioning, SSE-KMS under its own customer key with bucket keys, every
 * public path blocked, ACLs disabled, access logs in a separate bucket,
 * lifecycle to cold storage, and a Deny-first bucket policy. The bucket and
 * key are protected: `pulumi destroy` cannot remove them.
 */
export class LegalHoldArchive extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyAliasName: pulumi.Output<string>;
  /** The custody-manifest signing key (ECC_NIST_P256, SIGN_VERIFY). */
  public readonly signingKeyArn: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  public readonly accessLogBucketArn: pulumi.Output<string>;

  constructor(name: string, args: LegalHoldArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:LegalHoldArchive", name, {}, opts);
    const resolved = resolveArchiveArgs(args);
    const { tags } = resolved;
    const parent = { parent: this };
    const evidence = { parent: this, protect: true, retainOnDelete: true };

    const account = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const writerRoleArns = pulumi.all(resolved.writerRoles.map((role) => role.arn));
    const adminPrincipalArns = pulumi.all(resolved.adminPrincipalArns);
    const reviewerPrincipalArns = pulumi.all(resolved.reviewerPrincipalArns);
    const releaseRoleArns = pulumi.all(resolved.holdReleaseRole ? [resolved.holdReleaseRole.arn] : []);
    const breakGlassPrincipalArn = resolved.breakGlassPrincipalArn;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the legal-hold recordings archived by ${name}`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        deletionWindowInDays: resolved.keyDeletionWindowDays,
        policy: pulumi
          .all([
            account.accountId,
            region.region,
            partition.dnsSuffix,
            adminPrincipalArns,
            writerRoleArns,
            reviewerPrincipalArns,
            releaseRoleArns,
          ])
          .apply(([accountId, regionName, dnsSuffix, admins, writers, reviewers, releasers]) =>
            JSON.stringify(
              archiveKeyPolicy({
                accountId,
                s3ServiceName: `s3.${regionName}.${dnsSuffix}`,
                adminPrincipalArns: admins,
                writerRoleArns: writers,
                reviewerPrincipalArns: reviewers,
                holdReleaseRoleArns: releasers,
                breakGlassPrincipalArn,
              }),
            ),
          ),
        tags,
      },
      evidence,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${name}`, targetKeyId: key.keyId }, parent);

    // Asymmetric keys cannot rotate: rotate by creating a new key, pointing the
    // worker at it, and keeping the old one (verification of older manifests
    // needs its public key).
    const signingKey = new aws.kms.Key(
      `${name}-signing-key`,
      {
        description: `Signs the chain-of-custody manifests of ${name}`,
        keyUsage: "SIGN_VERIFY",
        customerMasterKeySpec: "ECC_NIST_P256",
        deletionWindowInDays: resolved.keyDeletionWindowDays,
        policy: pulumi
          .all([adminPrincipalArns, writerRoleArns, reviewerPrincipalArns, releaseRoleArns])
          .apply(([admins, writers, reviewers, releasers]) =>
            JSON.stringify(
              signingKeyPolicy({
                adminPrincipalArns: admins,
                writerRoleArns: writers,
                reviewerPrincipalArns: reviewers,
                holdReleaseRoleArns: releasers,
                breakGlassPrincipalArn,
              }),
            ),
          ),
        tags,
      },
      evidence,
    );
    new aws.kms.Alias(`${name}-signing-key-alias`, { name: `alias/${name}-custody-signing`, targetKeyId: signingKey.keyId }, parent);

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { objectLockEnabled: true, forceDestroy: false, tags: { ...tags, [PURPOSE_TAG]: BucketPurpose.evidence } },
      evidence,
    );
    const loggedBuckets = resolved.loggedBuckets ?? [];
    const logSources = pulumi.all([bucket.arn, ...loggedBuckets.map((b) => b.bucketArn)]);
    const logs = this.accessLogBucket(name, resolved, logSources, account.accountId, adminPrincipalArns);
    const onBucket = { parent: this, dependsOn: [bucket] };
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      onBucket,
    );
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", ...resolved.retention } } },
      { parent: this, dependsOn: [versioning] },
    );
    const { publicAccessBlock, ownership } = bucketBaseline(name, bucket, { kmsKeyArn: key.arn }, this);
    new aws.s3.BucketLogging(
      `${name}-logging`,
      {
        bucket: bucket.id,
        targetBucket: logs.bucket.id,
        targetPrefix: "s3-access/",
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      { parent: this, dependsOn: [bucket, logs.deliveryPolicy] },
    );
    for (const logged of loggedBuckets) {
      new aws.s3.BucketLogging(
        `${name}-logging-${logged.label}`,
        {
          bucket: logged.bucketName,
          targetBucket: logs.bucket.id,
          targetPrefix: `${logged.label}-access/`,
          targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        { parent: this, dependsOn: [logs.deliveryPolicy] },
      );
    }
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "archive-to-cold-storage",
            status: "Enabled",
            filter: {},
            transitions: [
              { days: resolved.coldStorageAfterDays, storageClass: "GLACIER_IR" },
              { days: resolved.deepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" },
            ],
            noncurrentVersionTransitions: [
              { noncurrentDays: resolved.coldStorageAfterDays, storageClass: "GLACIER_IR" },
              { noncurrentDays: resolved.deepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" },
            ],
            // An interrupted multipart upload leaves billed, invisible parts behind.
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, key.arn, writerRoleArns, reviewerPrincipalArns, adminPrincipalArns, releaseRoleArns])
          .apply(([bucketArn, keyArn, writers, reviewers, admins, releasers]) =>
            JSON.stringify(
              archiveBucketPolicy({
                bucketArn,
                keyArn,
                writerRoleArns: writers,
                reviewerPrincipalArns: reviewers,
                reviewerCidrs: resolved.reviewerCidrs,
                adminPrincipalArns: admins,
                holdReleaseRoleArns: releasers,
                minimumRetentionDays: minimumRetentionDays(resolved.retention),
              }),
            ),
          ),
      },
      { parent: this, dependsOn: [publicAccessBlock, ownership] },
    );
    resolved.writerRoles.forEach((role, index) => {
      new aws.iam.RolePolicy(
        `${name}-writer-${index}`,
        {
          role: role.name,
          policy: pulumi
            .all([bucket.arn, key.arn, signingKey.arn])
            .apply(([bucketArn, keyArn, signingKeyArn]) => JSON.stringify(archiveWriterPolicy({ bucketArn, keyArn, signingKeyArn }))),
        },
        parent,
      );
    });
    if (resolved.holdReleaseRole) {
      new aws.iam.RolePolicy(
        `${name}-hold-release`,
        {
          role: resolved.holdReleaseRole.name,
          policy: pulumi
            .all([bucket.arn, key.arn, signingKey.arn])
            .apply(([bucketArn, keyArn, signingKeyArn]) => JSON.stringify(holdReleasePolicy({ bucketArn, keyArn, signingKeyArn }))),
        },
        parent,
      );
    }
    if (resolved.alarmTopicArn) {
      evidenceTamperAlarms(name, { bucket, keys: [key, signingKey], topicArn: resolved.alarmTopicArn, tags }, parent);
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.keyAliasName = pulumi.output(`alias/${name}`);
    this.signingKeyArn = signingKey.arn;
    this.accessLogBucketName = logs.bucket.bucket;
    this.accessLogBucketArn = logs.bucket.arn;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      keyAliasName: this.keyAliasName,
      signingKeyArn: this.signingKeyArn,
      accessLogBucketName: this.accessLogBucketName,
      accessLogBucketArn: this.accessLogBucketArn,
    });
  }

  /**
   * The server-access-log bucket. It must be a separate bucket without Object
   * Lock (S3 refuses an Object Lock bucket as a log target) and must use
   * SSE-S3: log delivery cannot write with SSE-KMS.
   */
  private accessLogBucket(
    name: string,
    resolved: ResolvedArchiveArgs,
    sourceBucketArns: pulumi.Output<string[]>,
    accountId: pulumi.Output<string>,
    adminPrincipalArns: pulumi.Output<string[]>,
  ): { bucket: aws.s3.Bucket; deliveryPolicy: aws.s3.BucketPolicy } {
    const logName = `${name}-access-logs`;
    const bucket = new aws.s3.Bucket(
      logName,
      { forceDestroy: false, tags: { ...resolved.tags, [PURPOSE_TAG]: BucketPurpose.accessLogs } },
      { parent: this, retainOnDelete: true },
    );
    const onBucket = { parent: this, dependsOn: [bucket] };
    new aws.s3.BucketVersioning(`${logName}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, onBucket);
    const { publicAccessBlock, ownership } = bucketBaseline(logName, bucket, "AES256", this);
    new aws.s3.BucketLifecycleConfiguration(
      `${logName}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: resolved.accessLogRetentionDays },
            // A log overwritten or deleted survives as a noncurrent version as long as a current one would.
            noncurrentVersionExpiration: { noncurrentDays: resolved.accessLogRetentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      onBucket,
    );
    const deliveryPolicy = new aws.s3.BucketPolicy(
      `${logName}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, sourceBucketArns, accountId, adminPrincipalArns])
          .apply(([logBucketArn, sources, account, admins]) =>
            JSON.stringify(
              accessLogBucketPolicy({ logBucketArn, sourceBucketArns: sources, accountId: account, adminPrincipalArns: admins }),
            ),
          ),
      },
      { parent: this, dependsOn: [publicAccessBlock, ownership] },
    );
    return { bucket, deliveryPolicy };
  }
}
