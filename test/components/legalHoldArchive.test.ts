import { beforeAll, describe, expect, it } from "vitest";
import { LegalHoldArchive, type LegalHoldArchiveArgs, resolveArchiveArgs } from "../../components/legalHoldArchive";
import { runUnderMocks, type StackRun } from "../../tools/engine/mockRuntime";
import { ofType, policyOf, single, statement } from "../support/resources";

const WRITER = { arn: "arn:aws:iam::111122223333:role/Writer", name: "Writer" };
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const minimal: LegalHoldArchiveArgs = { writerRoles: [WRITER], adminPrincipalArns: [ADMIN] };
const settings = { project: "component-test", stack: "test", config: { "aws:region": "eu-central-1" }, secretKeys: [] };

describe("resolveArchiveArgs", () => {
  it("applies the documented defaults", () => {
    expect(resolveArchiveArgs(minimal)).toMatchObject({
      retention: { years: 7 },
      coldStorageAfterDays: 90,
      deepArchiveAfterDays: 365,
      accessLogRetentionDays: 2557,
      keyDeletionWindowDays: 30,
      reviewerCidrs: [],
      reviewerPrincipalArns: [],
    });
  });

  it("lets an explicit undefined fall back to the default", () => {
    expect(resolveArchiveArgs({ ...minimal, retention: undefined }).retention).toEqual({ years: 7 });
  });

  it.each([
    [{ writerRoles: [] }, "[writerRoles] must name at least one role"],
    [{ adminPrincipalArns: [] }, "[adminPrincipalArns] must name at least one principal"],
    [{ retention: { days: 0 } }, '[retention] must be exactly one of days (1-36500) or years (1-100); got {"days":0}'],
    [{ retention: { days: 1, years: 1 } as never }, "[retention] must be exactly one of days"],
    [{ retention: { years: 101 } }, "[retention] must be exactly one of days"],
    [{ coldStorageAfterDays: 0 }, "[coldStorageAfterDays] must be a whole number of days from 1; got 0"],
    [{ deepArchiveAfterDays: 100 }, "[deepArchiveAfterDays] must be at least 90 days after coldStorageAfterDays (90); got 100"],
    [{ accessLogRetentionDays: 1.5 }, "[accessLogRetentionDays] must be a whole number of days from 1; got 1.5"],
    [{ keyDeletionWindowDays: 6 }, "[keyDeletionWindowDays] must be from 7 to 30 (the KMS limits); got 6"],
    [{ reviewerCidrs: ["0.0.0.0/0"] }, '[reviewerCidrs] "0.0.0.0/0" matches every address'],
  ] as [Partial<LegalHoldArchiveArgs>, string][])("refuses %j naming the arg", (change, message) => {
    expect(() => resolveArchiveArgs({ ...minimal, ...change })).toThrow(message);
  });
});

describe("LegalHoldArchive under mocks, built directly with day-based retention and no reviewers", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const archive = new LegalHoldArchive("case-archive", { ...minimal, retention: { days: 30 }, tags: { Team: "legal" } });
      return { bucketArn: archive.bucketArn };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("names every child after the component", () => {
    for (const r of run.resources.filter((res) => res.custom)) expect(r.name.startsWith("case-archive-")).toBe(true);
    expect(single(run, "aws:kms/alias:Alias", "archive-key-alias").inputs.name).toBe("alias/case-archive");
  });

  it("parents every child to the component", () => {
    const component = single(run, "legal-hold-archive:index:LegalHoldArchive");
    for (const r of run.resources.filter((res) => res.custom)) expect(r.parent).toBe(component.urn);
  });

  it("sets the retention in days", () => {
    expect(single(run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").inputs.rule).toEqual({
      defaultRetention: { mode: "COMPLIANCE", days: 30 },
    });
  });

  it("tags the buckets and the key, and marks what each bucket holds", () => {
    expect(single(run, "aws:kms/key:Key", "archive-key").inputs.tags).toEqual({ Team: "legal" });
    expect(single(run, "aws:s3/bucket:Bucket", "case-archive-bucket").inputs.tags).toEqual({
      Team: "legal",
      "legal-hold:purpose": "evidence",
    });
    expect(single(run, "aws:s3/bucket:Bucket", "case-archive-access-logs").inputs.tags).toEqual({
      Team: "legal",
      "legal-hold:purpose": "access-logs",
    });
  });

  it("denies all reads but the writer's when no reviewer network is configured", () => {
    const policy = ofType(run, "aws:s3/bucketPolicy:BucketPolicy")
      .map((p) => policyOf(p))
      .find((p) => p.Statement.some((s) => s.Sid === "DenyObjectReadsOutsideReviewerNetworks"));
    expect(policy && statement(policy, "DenyObjectReadsOutsideReviewerNetworks").Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [WRITER.arn] },
    });
  });

  it("scopes key use to S3 in the provider's region", () => {
    const use = statement(policyOf(single(run, "aws:kms/key:Key", "archive-key")), "EncryptArchiveObjectsThroughS3");
    expect(use.Condition?.StringEquals?.["kms:ViaService"]).toBe("s3.eu-central-1.amazonaws.com");
  });

  it("attaches the writer grant to the writer role by name", () => {
    expect(single(run, "aws:iam/rolePolicy:RolePolicy").inputs.role).toBe("Writer");
  });

  it("applies the bucket policy only after public access block and ownership exist", () => {
    const archivePolicy = single(run, "aws:s3/bucketPolicy:BucketPolicy", "case-archive-policy");
    expect(archivePolicy.dependencies).toEqual(
      expect.arrayContaining([
        single(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "case-archive-public-access-block").urn,
        single(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "case-archive-ownership").urn,
      ]),
    );
  });

  it("records which resource each policy input came from, as the engine would", () => {
    const archivePolicy = single(run, "aws:s3/bucketPolicy:BucketPolicy", "case-archive-policy");
    const bucket = ofType(run, "aws:s3/bucket:Bucket").find((b) => b.inputs.objectLockEnabled === true);
    expect(archivePolicy.propertyDependencies.bucket).toEqual([bucket?.urn]);
    expect(archivePolicy.propertyDependencies.policy).toEqual(
      expect.arrayContaining([bucket?.urn, single(run, "aws:kms/key:Key", "archive-key").urn]),
    );
  });
});

describe("LegalHoldArchive under mocks, with a release role, a break-glass principal and an alarm topic", () => {
  const RELEASE = { arn: "arn:aws:iam::111122223333:role/Release", name: "Release" };
  const BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";
  const TOPIC = "arn:aws:sns:eu-central-1:111122223333:alarms";
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const archive = new LegalHoldArchive("case-archive", {
        ...minimal,
        holdReleaseRole: RELEASE,
        breakGlassPrincipalArn: BREAK_GLASS,
        alarmTopicArn: TOPIC,
      });
      return { bucketArn: archive.bucketArn };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("gives the release role its grant and the only exemption from the hold-OFF Deny", () => {
    expect(single(run, "aws:iam/rolePolicy:RolePolicy", "hold-release").inputs.role).toBe("Release");
    const bucketPolicy = policyOf(single(run, "aws:s3/bucketPolicy:BucketPolicy", "case-archive-policy"));
    expect(statement(bucketPolicy, "DenyLegalHoldReleaseExceptReleaseRole").Condition?.ArnNotEquals).toEqual({
      "aws:PrincipalArn": [RELEASE.arn],
    });
    // 7 years default retention: no upload may ask for fewer than 7 × 365 days.
    expect(statement(bucketPolicy, "DenyShortRetentionWrites").Condition).toEqual({
      NumericLessThan: { "s3:object-lock-remaining-retention-days": "2555" },
    });
  });

  it("exempts the break-glass principal, with MFA, from both keys' destruction Deny", () => {
    for (const key of ofType(run, "aws:kms/key:Key")) {
      const policy = policyOf(key);
      expect(statement(policy, "DenyKeyDestructionExceptBreakGlass").Condition).toEqual({
        ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS },
      });
      expect(statement(policy, "AllowBreakGlassWithMfa").Principal).toEqual({ AWS: [BREAK_GLASS] });
    }
  });

  it("sends key and bucket-guard changes recorded by CloudTrail to the alarm topic", () => {
    const rules = ofType(run, "aws:cloudwatch/eventRule:EventRule");
    const patterns = Object.fromEntries(rules.map((r) => [r.name, JSON.parse(r.inputs.eventPattern as string)]));
    const keyArns = ofType(run, "aws:kms/key:Key").map((k) => k.state.arn);
    const keyDetail = patterns["case-archive-key-tamper"].detail;
    expect(keyDetail.eventName).toEqual(["DisableKey", "PutKeyPolicy", "ScheduleKeyDeletion"]);
    expect([...keyDetail.resources.ARN].sort()).toEqual([...keyArns].sort());
    const bucketName = single(run, "aws:s3/bucket:Bucket", "case-archive-bucket").state.bucket;
    expect(patterns["case-archive-bucket-tamper"].detail.requestParameters).toEqual({ bucketName: [bucketName] });
    expect(patterns["case-archive-bucket-tamper"].detail.eventName).toContain("PutObjectLegalHold");
    const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((t) => t.inputs.arn)).toEqual([TOPIC, TOPIC]);
  });
});
