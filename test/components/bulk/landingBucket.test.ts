import { beforeAll, describe, expect, it } from "vitest";
import {
  LandingBucket,
  type LandingBucketArgs,
  resolveLandingArgs,
  uncollectedExpiryPattern,
} from "../../../components/bulk/landingBucket";
import { landingBucketPolicy, landingKeyPolicy } from "../../../components/bulk/landingPolicies";
import { runUnderMocks, type StackRun } from "../../../tools/engine/mockRuntime";
import { ofType, policyOf, single, statement } from "../../support/resources";

const ORG = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const WRITER = "arn:aws:iam::111122223333:role/bulk-writer";
const SEALER = "arn:aws:iam::111122223333:role/sealer";
const CASE_EXPORT = "arn:aws:iam::111122223333:role/case-export";
const TOPIC = "arn:aws:sns:eu-west-2:111122223333:alarms";
const BUCKET = "arn:aws:s3:::landing";
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/landing";
const minimal: LandingBucketArgs = { organizationId: ORG, adminPrincipalArns: [ADMIN], genesysWriterRoleArn: WRITER };
const settings = { project: "landing-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

describe("resolveLandingArgs", () => {
  it("applies the documented defaults", () => {
    expect(resolveLandingArgs(minimal)).toMatchObject({ expiryDays: 7, keyDeletionWindowDays: 30, tags: {} });
  });

  it.each([
    [{ organizationId: "org-1" }, '[organizationId] must be the Genesys organization UUID; got "org-1"'],
    [{ adminPrincipalArns: [] }, "[adminPrincipalArns] must name at least one principal"],
    [{ expiryDays: 0 }, "[expiryDays] must be a whole number of days from 1 to 90; got 0"],
    [{ expiryDays: 91 }, "[expiryDays] must be a whole number of days from 1 to 90; got 91"],
    [{ keyDeletionWindowDays: 31 }, "[keyDeletionWindowDays] must be from 7 to 30 (the KMS limits); got 31"],
  ] as [Partial<LandingBucketArgs>, string][])("refuses %j naming the arg", (change, message) => {
    expect(() => resolveLandingArgs({ ...minimal, ...change })).toThrow(message);
  });
});

describe("landingBucketPolicy", () => {
  const base = { bucketArn: BUCKET, keyArn: KEY, organizationId: ORG, genesysWriterRoleArn: WRITER, adminPrincipalArns: [ADMIN] };

  it("is Deny statements only, every one matching principals and none a network", () => {
    const document = landingBucketPolicy({ ...base, sealerRoleArn: SEALER, caseExportRoleArn: CASE_EXPORT });
    expect(document.Statement.every((s) => s.Effect === "Deny" && s.Principal === "*")).toBe(true);
    expect(JSON.stringify(document)).not.toMatch(/SourceIp/i);
  });

  it("lets only Genesys' writer put objects under {orgId}/ and only the case export under routing/", () => {
    const document = landingBucketPolicy({ ...base, sealerRoleArn: SEALER, caseExportRoleArn: CASE_EXPORT });
    expect(statement(document, "DenyRecordingWritesExceptGenesysWriter")).toMatchObject({
      Action: ["s3:PutObject"],
      Resource: [`${BUCKET}/${ORG}/*`],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [WRITER] } },
    });
    expect(statement(document, "DenyRoutingWritesExceptCaseExport")).toMatchObject({
      Resource: [`${BUCKET}/routing/*`],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [CASE_EXPORT] } },
    });
    expect(statement(document, "DenyObjectReadsExceptSealer").Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": [SEALER] } });
    expect(statement(document, "DenyObjectDeletionExceptSealer").Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": [SEALER] } });
  });

  it("lets only the sealer read recordings, and the case export too read routing objects back", () => {
    const document = landingBucketPolicy({ ...base, sealerRoleArn: SEALER, caseExportRoleArn: CASE_EXPORT });
    expect(statement(document, "DenyObjectReadsExceptSealer")).toMatchObject({
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      NotResource: [`${BUCKET}/routing/*`],
    });
    expect(statement(document, "DenyRoutingReadsExceptSealerAndCaseExport")).toMatchObject({
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [`${BUCKET}/routing/*`],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [CASE_EXPORT, SEALER] } },
    });
  });

  it("denies routing writes, reads and deletions to everyone while the sealer and the case export do not exist", () => {
    const document = landingBucketPolicy(base);
    for (const sid of [
      "DenyRoutingWritesExceptCaseExport",
      "DenyObjectReadsExceptSealer",
      "DenyRoutingReadsExceptSealerAndCaseExport",
      "DenyObjectDeletionExceptSealer",
    ])
      expect(statement(document, sid).Condition).toBeUndefined();
  });

  it("refuses only uploads that name another encryption than the landing key (a missing header gets the default)", () => {
    const document = landingBucketPolicy(base);
    expect(statement(document, "DenyPutObjectWithAnotherKmsKey").Condition).toEqual({
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY },
    });
  });
});

describe("landingKeyPolicy", () => {
  const base = {
    accountId: "111122223333",
    s3ServiceName: "s3.eu-west-2.amazonaws.com",
    genesysWriterRoleArn: WRITER,
    adminPrincipalArns: [ADMIN],
  };

  it("lets the writer encrypt (and assemble multipart uploads) through S3 only, and delegates nothing to the account", () => {
    const document = landingKeyPolicy(base);
    expect(statement(document, "GenesysWriterEncryptsThroughS3")).toMatchObject({
      Principal: { AWS: [WRITER] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "s3.eu-west-2.amazonaws.com" } },
    });
    expect(JSON.stringify(document)).not.toContain(":root");
    expect(document.Statement.map((s) => s.Sid)).toEqual(["DenyKeyUseOutsideS3", "AdministerLandingKey", "GenesysWriterEncryptsThroughS3"]);
  });

  it("names the sealer (Decrypt) and the case export (GenerateDataKey, Decrypt to read routing back) once they exist", () => {
    const document = landingKeyPolicy({ ...base, sealerRoleArn: SEALER, caseExportRoleArn: CASE_EXPORT });
    expect(statement(document, "SealerDecryptsThroughS3")).toMatchObject({ Principal: { AWS: [SEALER] }, Action: ["kms:Decrypt"] });
    expect(statement(document, "CaseExportEncryptsRoutingThroughS3")).toMatchObject({
      Principal: { AWS: [CASE_EXPORT] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    });
  });
});

describe("uncollectedExpiryPattern", () => {
  it("matches S3's lifecycle deletions under Genesys' folder of this bucket only", () => {
    expect(uncollectedExpiryPattern("landing", ORG)).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Deleted"],
      detail: { bucket: { name: ["landing"] }, reason: ["Lifecycle Expiration"], object: { key: [{ prefix: `${ORG}/` }] } },
    });
  });
});

describe("LandingBucket under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const quiet = new LandingBucket("quiet", { ...minimal, expiryDays: 3, tags: { Team: "legal" } });
      const full = new LandingBucket("full", { ...minimal, sealerRoleArn: SEALER, caseExportRoleArn: CASE_EXPORT, alarmTopicArn: TOPIC });
      return { quiet: quiet.bucketName, full: full.bucketArn };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("tags the bucket as the landing bucket, keeps it unversioned, and protects its key", () => {
    const bucket = single(run, "aws:s3/bucket:Bucket", "quiet-bucket");
    expect(bucket.inputs).toMatchObject({ forceDestroy: false, tags: { Team: "legal", "legal-hold:purpose": "landing" } });
    expect(ofType(run, "aws:s3/bucketVersioning:BucketVersioning")).toEqual([]);
    const key = single(run, "aws:kms/key:Key", "quiet-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(key.protect).toBe(true);
  });

  it("encrypts with its own key, blocks public access, disables ACLs and sends events to EventBridge", () => {
    const key = single(run, "aws:kms/key:Key", "quiet-key");
    const [rule] = single(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "quiet-encryption")
      .inputs.rules as Record<string, unknown>[];
    expect(rule).toEqual({
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn },
      bucketKeyEnabled: true,
    });
    expect(single(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "quiet-public-access-block").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(single(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "quiet-ownership").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(single(run, "aws:s3/bucketNotification:BucketNotification", "quiet-events").inputs.eventbridge).toBe(true);
  });

  it("leaves the bucket's one notification configuration to the sealer when given one", () => {
    expect(ofType(run, "aws:s3/bucketNotification:BucketNotification").filter((r) => r.name.startsWith("full"))).toEqual([]);
  });

  it("expires uncollected objects after expiryDays and aborts incomplete uploads after a day", () => {
    const [rule] = single(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "quiet-lifecycle").inputs
      .rules as Record<string, unknown>[];
    expect(rule).toMatchObject({ status: "Enabled", expiration: { days: 3 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } });
  });

  it("deploys the landing bucket and key policies for the principals it was given", () => {
    const bucket = single(run, "aws:s3/bucket:Bucket", "full-bucket");
    const key = single(run, "aws:kms/key:Key", "full-key");
    const principals = { genesysWriterRoleArn: WRITER, sealerRoleArn: SEALER, caseExportRoleArn: CASE_EXPORT, adminPrincipalArns: [ADMIN] };
    expect(policyOf(single(run, "aws:s3/bucketPolicy:BucketPolicy", "full-policy"))).toEqual(
      landingBucketPolicy({ bucketArn: String(bucket.state.arn), keyArn: String(key.state.arn), organizationId: ORG, ...principals }),
    );
    expect(policyOf(key)).toEqual(
      landingKeyPolicy({ accountId: "111122223333", s3ServiceName: "s3.eu-west-2.amazonaws.com", ...principals }),
    );
  });

  it("tells the alarm topic about expired recordings only when it has one", () => {
    const rule = single(run, "aws:cloudwatch/eventRule:EventRule", "full-uncollected-expired");
    const bucket = single(run, "aws:s3/bucket:Bucket", "full-bucket");
    expect(JSON.parse(rule.inputs.eventPattern as string)).toEqual(uncollectedExpiryPattern(String(bucket.state.bucket), ORG));
    expect(single(run, "aws:cloudwatch/eventTarget:EventTarget", "full-uncollected-expired-target").inputs.arn).toBe(TOPIC);
    expect(ofType(run, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith("quiet"))).toEqual([]);
  });
});
