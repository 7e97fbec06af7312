import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../components/iam/policyDocument";
import { MOCK_SECRET_OUTPUT, PROJECT_DIR, runStackUnderMocks, type SimulatedResource, type StackRun } from "../../tools/engine/mockRuntime";
import { ofType, policyOf, single, statement } from "../support/resources";

const BUCKET = "aws:s3/bucket:Bucket";
let run: StackRun;
let archiveBucket: SimulatedResource;
let logBucket: SimulatedResource;
let landingBucket: SimulatedResource;
const purposeOf = (bucket: SimulatedResource) => (bucket.inputs.tags as Record<string, string>)["legal-hold:purpose"];
let bucketPolicy: PolicyDocument;
let key: SimulatedResource;

/** Resources that configure a given bucket (their `bucket` input is its id). */
function configOf(type: string, bucket: SimulatedResource): SimulatedResource {
  const matches = ofType(run, type).filter((r) => r.inputs.bucket === bucket.state.bucket);
  expect(matches, `${type} for ${bucket.name}`).toHaveLength(1);
  return matches[0] as SimulatedResource;
}

/** The archive's writers in prod (both modes): the export worker, the landing sealer and the case export. */
const writerRoleArns = () =>
  [
    run.outputs.exportWorkerRoleArn as string,
    single(run, "aws:iam/role:Role", "-sealer-role").state.arn as string,
    single(run, "aws:iam/role:Role", "-case-export-role").state.arn as string,
  ].sort();
const sortedPrincipals = (principal: unknown) => [...(principal as { AWS: string[] }).AWS].sort();

beforeAll(async () => {
  // The program is imported only after setMocks, inside runStackUnderMocks.
  run = await runStackUnderMocks(PROJECT_DIR, "prod");
  archiveBucket = ofType(run, BUCKET).find((b) => b.inputs.objectLockEnabled === true) as SimulatedResource;
  logBucket = ofType(run, BUCKET).find((b) => purposeOf(b) === "access-logs") as SimulatedResource;
  landingBucket = ofType(run, BUCKET).find((b) => purposeOf(b) === "landing") as SimulatedResource;
  bucketPolicy = policyOf(configOf("aws:s3/bucketPolicy:BucketPolicy", archiveBucket));
  key = single(run, "aws:kms/key:Key", "archive-key");
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

describe("the prod stack's archive bucket", () => {
  it("has Object Lock enabled at creation and no forceDestroy", () => {
    expect(archiveBucket).toBeDefined();
    expect(archiveBucket.inputs.objectLockEnabled).toBe(true);
    expect(archiveBucket.inputs.forceDestroy).toBe(false);
  });

  it("is protected and retained on delete, as is its key", () => {
    expect([archiveBucket.protect, archiveBucket.retainOnDelete]).toEqual([true, true]);
    expect([key.protect, key.retainOnDelete]).toEqual([true, true]);
  });

  it("has versioning Enabled", () => {
    expect(configOf("aws:s3/bucketVersioning:BucketVersioning", archiveBucket).inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
  });

  it("locks objects in COMPLIANCE mode for the configured 7 years", () => {
    const lock = configOf("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", archiveBucket);
    expect(lock.inputs.objectLockEnabled).toBe("Enabled");
    expect(lock.inputs.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", years: 7 } });
  });

  it("encrypts with SSE-KMS under the stack's own key, with a bucket key", () => {
    const sse = configOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", archiveBucket);
    expect(sse.inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn }, bucketKeyEnabled: true },
    ]);
  });

  it("blocks every kind of public access", () => {
    const block = configOf("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", archiveBucket).inputs;
    expect([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it("disables ACLs with BucketOwnerEnforced", () => {
    expect(configOf("aws:s3/bucketOwnershipControls:BucketOwnershipControls", archiveBucket).inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
  });

  it("logs access to a different bucket, which has no Object Lock and uses SSE-S3", () => {
    const logging = configOf("aws:s3/bucketLogging:BucketLogging", archiveBucket);
    expect(logging.inputs.targetBucket).toBe(logBucket.state.bucket);
    expect(logging.inputs.targetBucket).not.toBe(archiveBucket.state.bucket);
    expect(logBucket.inputs.objectLockEnabled).toBeUndefined();
    const logSse = configOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", logBucket);
    expect(logSse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("lets S3 log delivery write only the archive's and the landing bucket's logs into the log bucket", () => {
    const delivery = statement(policyOf(configOf("aws:s3/bucketPolicy:BucketPolicy", logBucket)), "AllowArchiveAccessLogDelivery");
    expect(delivery.Principal).toEqual({ Service: ["logging.s3.amazonaws.com"] });
    expect(delivery.Condition?.ArnLike).toEqual({ "aws:SourceArn": [archiveBucket.state.arn, landingBucket.state.arn].sort() });
  });

  it("logs the landing bucket's access into the same log bucket, under its own prefix", () => {
    const logging = configOf("aws:s3/bucketLogging:BucketLogging", landingBucket);
    expect(logging.inputs).toMatchObject({ targetBucket: logBucket.state.bucket, targetPrefix: "landing-access/" });
  });

  it("moves objects to Glacier Instant Retrieval, then Deep Archive, and aborts stale multipart uploads", () => {
    const [rule] = configOf("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", archiveBucket).inputs.rules as Record<
      string,
      unknown
    >[];
    expect(rule?.transitions).toEqual([
      { days: 90, storageClass: "GLACIER_IR" },
      { days: 365, storageClass: "DEEP_ARCHIVE" },
    ]);
    expect(rule?.abortIncompleteMultipartUpload).toEqual({ daysAfterInitiation: 7 });
    expect(rule?.expiration).toBeUndefined();
  });
});

describe("the prod stack's archive bucket policy", () => {
  it("denies every request made without TLS", () => {
    expect(statement(bucketPolicy, "DenyRequestsWithoutTls")).toEqual({
      Sid: "DenyRequestsWithoutTls",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*"],
      Resource: [archiveBucket.state.arn, `${archiveBucket.state.arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("has no Deny on a wildcard PutObject action with a negated encryption condition (403 cause 2)", () => {
    const encryptionDenies = bucketPolicy.Statement.filter((s) =>
      Object.entries(s.Condition ?? {}).some(
        ([operator, keys]) => /Not/.test(operator) && Object.keys(keys).some((k) => k.includes("server-side-encryption")),
      ),
    );
    expect(encryptionDenies.length).toBeGreaterThan(0);
    for (const deny of encryptionDenies) expect(deny.Action).toEqual(["s3:PutObject"]);
    expect(bucketPolicy.Statement.flatMap((s) => s.Action)).not.toContain("s3:PutObject*");
  });

  it("requires the archive key by ARN, but lets uploads that rely on default encryption through", () => {
    expect(statement(bucketPolicy, "DenyPutObjectWithAnotherKmsKey").Condition).toEqual({
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key.state.arn },
    });
    expect(statement(bucketPolicy, "DenyPutObjectWithoutKmsEncryption").Condition).toEqual({
      Null: { "s3:x-amz-server-side-encryption": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
    });
  });

  it("denies object writes to everyone but the archive's writers and the release role's records, matched by principal not IP (403 cause 5)", () => {
    const writes = statement(bucketPolicy, "DenyObjectWritesExceptArchiveWriters");
    expect(writes.Action).toEqual(["s3:PutObject", "s3:PutObjectRetention"]);
    expect(writes.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [...writerRoleArns(), run.outputs.holdReleaseRoleArn].sort() },
    });
    // The release role writes release records only, and only it writes them.
    expect(statement(bucketPolicy, "DenyReleaseRoleWritesOutsideReleaseRecords")).toEqual({
      Sid: "DenyReleaseRoleWritesOutsideReleaseRecords",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:PutObjectRetention"],
      NotResource: [`${archiveBucket.state.arn}/cases/*/releases/*`],
      Condition: { ArnEquals: { "aws:PrincipalArn": [run.outputs.holdReleaseRoleArn] } },
    });
    expect(statement(bucketPolicy, "DenyReleaseRecordWritesExceptReleaseRole")).toMatchObject({
      Resource: [`${archiveBucket.state.arn}/cases/*/releases/*`],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [run.outputs.holdReleaseRoleArn] } },
    });
    // The release role may change holds too, and only it may set one OFF.
    expect(statement(bucketPolicy, "DenyLegalHoldChangesExceptHoldPrincipals").Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [...writerRoleArns(), run.outputs.holdReleaseRoleArn].sort() },
    });
    expect(statement(bucketPolicy, "DenyLegalHoldReleaseExceptReleaseRole").Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [run.outputs.holdReleaseRoleArn] },
      StringEqualsIgnoreCase: { "s3:object-lock-legal-hold": "OFF" },
    });
  });

  it("denies reads from outside the reviewer CIDRs, except to the writers", () => {
    const reads = statement(bucketPolicy, "DenyObjectReadsOutsideReviewerNetworks").Condition ?? {};
    expect(reads.NotIpAddress).toEqual({ "aws:SourceIp": ["198.51.100.16/28", "2001:db8:1200::/40", "203.0.113.0/24"] });
    expect([...((reads.ArnNotEquals?.["aws:PrincipalArn"] as string[]) ?? [])].sort()).toEqual(writerRoleArns());
  });

  it("denies governance bypass to all, and policy, lock and deletion changes to all but the admins", () => {
    expect(statement(bucketPolicy, "DenyGovernanceRetentionBypass").Condition).toBeUndefined();
    const config = statement(bucketPolicy, "DenyArchiveConfigChangesExceptAdmins");
    expect(config.Action).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "s3:PutBucketObjectLockConfiguration", "s3:DeleteBucket"]));
    expect(config.Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/LegalHoldArchiveAdmin"] } });
  });
});

describe("the prod stack's writer grant and key", () => {
  it("grants the export worker exactly listing, the lock-aware write, aborting its failed uploads, read-back, key and signing actions, nothing wildcard, no delete", () => {
    const grant = single(run, "aws:iam/rolePolicy:RolePolicy", "archive-writer-0");
    expect(run.outputs.exportWorkerRoleArn).toContain(grant.inputs.role as string);
    const objects = `${archiveBucket.state.arn}/*`;
    expect(policyOf(grant).Statement).toEqual([
      { Sid: "TellMissingObjectsFromForbiddenOnes", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [archiveBucket.state.arn] },
      {
        Sid: "WriteLegalHoldObjects",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention"],
        Resource: [objects],
      },
      { Sid: "AbortOwnFailedUploads", Effect: "Allow", Action: ["s3:AbortMultipartUpload"], Resource: [objects] },
      { Sid: "FindUploadsLeftOpen", Effect: "Allow", Action: ["s3:ListBucketMultipartUploads"], Resource: [archiveBucket.state.arn] },
      {
        Sid: "ReadBackArchivedObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectLegalHold", "s3:GetObjectRetention"],
        Resource: [objects],
      },
      { Sid: "UseArchiveKeyForObjects", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [key.state.arn] },
      {
        Sid: "SignCustodyManifests",
        Effect: "Allow",
        Action: ["kms:Sign"],
        Resource: [single(run, "aws:kms/key:Key", "archive-signing-key").state.arn],
      },
    ]);
  });

  it("signs custody manifests with a protected ECC P-256 key the writers may only sign digests with", () => {
    const signing = single(run, "aws:kms/key:Key", "archive-signing-key");
    expect(signing.inputs).toMatchObject({ keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "ECC_NIST_P256", deletionWindowInDays: 30 });
    expect([signing.protect, signing.retainOnDelete]).toEqual([true, true]);
    const policy = policyOf(signing);
    expect(sortedPrincipals(statement(policy, "SignCustodyManifestDigests").Principal)).toEqual(writerRoleArns());
    expect(statement(policy, "SignCustodyManifestDigests")).toMatchObject({
      Action: ["kms:Sign"],
      Condition: { StringEquals: { "kms:MessageType": "DIGEST", "kms:SigningAlgorithm": "ECDSA_SHA_256" } },
    });
    expect(statement(policy, "VerifyCustodyManifests").Action).toEqual(["kms:DescribeKey", "kms:GetPublicKey", "kms:Verify"]);
    expect(run.outputs.custodySigningKeyArn).toBe(signing.state.arn);
  });

  it("is a rotating customer key with a 30-day deletion window", () => {
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(key.inputs.deletionWindowInDays).toBe(30);
    expect(key.inputs.customerMasterKeySpec).toBe("SYMMETRIC_DEFAULT");
  });

  it("lets the writers use the key only through S3 in London, and grants kms:* to nobody", () => {
    const policy = policyOf(key);
    const use = statement(policy, "EncryptArchiveObjectsThroughS3");
    expect(sortedPrincipals(use.Principal)).toEqual(writerRoleArns());
    expect(use.Condition?.StringEquals?.["kms:ViaService"]).toBe("s3.eu-west-2.amazonaws.com");
    for (const s of policy.Statement) {
      expect(s.Action).not.toContain("kms:*");
      if (s.Effect === "Allow") expect(s.Principal).not.toBe("*");
    }
  });
});

describe("the prod stack's export worker role", () => {
  it("trusts only the Lambda service of this account for the worker function, with no Resource field (IAM refuses one in trust policies)", () => {
    const role = single(run, "aws:iam/role:Role", "export-worker-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaInThisAccountAssumesRole",
          Effect: "Allow",
          Principal: { Service: ["lambda.amazonaws.com"] },
          Action: ["sts:AssumeRole"],
          Condition: {
            ArnEqualsIfExists: { "aws:SourceArn": "arn:aws:lambda:eu-west-2:111122223333:function:legal-hold-export-worker" },
            StringEquals: { "aws:SourceAccount": "111122223333" },
          },
        },
      ],
    });
    // The pinned ARN is the worker's real one: the name is fixed on both sides.
    expect(single(run, "aws:lambda/function:Function", "export-worker").state.arn).toBe(
      "arn:aws:lambda:eu-west-2:111122223333:function:legal-hold-export-worker",
    );
  });
});

describe("the prod stack's hold-release role", () => {
  it("is assumable only by the configured principals, with MFA and the release ExternalId, and may do only what hold:release does", () => {
    const role = single(run, "aws:iam/role:Role", "hold-release-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement).toEqual([
      {
        Sid: "NamedPrincipalsWithMfaAssumeRole",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111122223333:role/LegalHoldCounsel"] },
        Action: ["sts:AssumeRole"],
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, StringEquals: { "sts:ExternalId": "legal-hold-release" } },
      },
    ]);
    const grant = single(run, "aws:iam/rolePolicy:RolePolicy", "archive-hold-release");
    const bucketArn = archiveBucket.state.arn;
    expect(policyOf(grant).Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["ListCaseVersions", ["s3:ListBucket", "s3:ListBucketVersions"], [bucketArn]],
      ["ChangeLegalHolds", ["s3:GetObjectLegalHold", "s3:PutObjectLegalHold"], [`${bucketArn}/cases/*`]],
      ["ReadCustodyRecords", ["s3:GetObject"], [`${bucketArn}/cases/*.custody.dsse.json`]],
      ["WriteReleaseRecords", ["s3:PutObject", "s3:PutObjectRetention"], [`${bucketArn}/cases/*/releases/*`]],
      ["UseArchiveKeyForReleaseRecords", ["kms:Decrypt", "kms:GenerateDataKey"], [key.state.arn]],
      ["SignReleaseRecords", ["kms:Sign"], [single(run, "aws:kms/key:Key", "archive-signing-key").state.arn]],
    ]);
    expect(policyOf(grant).Statement[0].Condition).toEqual({ StringLike: { "s3:prefix": ["cases/*"] } });
  });
});

describe("the prod stack's outputs", () => {
  it("export the bucket, key and log bucket, and the Genesys London hosts", () => {
    expect(run.outputs).toMatchObject({
      archiveBucketName: archiveBucket.state.bucket,
      archiveBucketArn: archiveBucket.state.arn,
      archiveKeyArn: key.state.arn,
      accessLogBucketName: logBucket.state.bucket,
      genesysApiBaseUrl: "https://api.euw2.pure.cloud",
      genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
    });
  });

  it("export both modes' entry points, prod enabling lambda and bulk", () => {
    expect(run.outputs).toMatchObject({
      exportModes: ["lambda", "bulk"],
      landingBucketName: landingBucket.state.bucket,
      bulkIntegrationId: expect.stringMatching(/bulk-export-integration/),
      bulkWriterRoleArn: single(run, "aws:iam/role:Role", "bulk-writer-role").state.arn,
      sealerQueueUrl: single(run, "aws:sqs/queue:Queue", "sealer-landing-events").state.url,
      sealerDeadLetterQueueUrl: single(run, "aws:sqs/queue:Queue", "sealer-dead-letters").state.url,
      caseExportFunctionName: "legal-hold-case-export",
      caseExportFunctionArn: single(run, "aws:lambda/function:Function", "case-export-function").state.arn,
    });
    expect(run.outputs.intakeFunctionArn).toMatch(/^arn:aws:lambda:/);
  });
});

describe("the prod stack's export pipeline and Genesys side", () => {
  it("points the Genesys data actions and the invoker role at the intake and case-export functions", () => {
    const action = single(run, "genesyscloud:index/integrationAction:IntegrationAction", "genesys-export-action");
    expect((action.inputs.configRequest as { requestUrlTemplate: string }).requestUrlTemplate).toBe(run.outputs.intakeFunctionArn);
    const caseAction = single(run, "genesyscloud:index/integrationAction:IntegrationAction", "case-export-action");
    expect((caseAction.inputs.configRequest as { requestUrlTemplate: string }).requestUrlTemplate).toBe(run.outputs.caseExportFunctionArn);
    const invoke = policyOf(single(run, "aws:iam/rolePolicy:RolePolicy", "genesys-invoker-policy"));
    expect(invoke.Statement.flatMap((s) => s.Resource).sort()).toEqual(
      [run.outputs.intakeFunctionArn, run.outputs.caseExportFunctionArn].sort(),
    );
  });

  it("runs the worker as the archive's one writer, reading the secret the Genesys client credentials go to", () => {
    const worker = single(run, "aws:lambda/function:Function", "export-worker");
    expect(worker.inputs.role).toBe(run.outputs.exportWorkerRoleArn);
    const version = single(run, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretId).toBe(run.outputs.genesysCredentialsSecretArn);
  });

  it("exports what a Genesys admin needs, and no client secret", () => {
    expect(run.outputs).toMatchObject({
      genesysIntegrationId: expect.any(String),
      genesysExportActionId: expect.any(String),
      genesysOauthClientId: expect.any(String),
    });
    expect(JSON.stringify(run.outputs)).not.toContain(MOCK_SECRET_OUTPUT);
  });
});

describe("the prod stack's landing bucket notifications", () => {
  it("has exactly one notification configuration, carrying EventBridge (expiry alarm) and the sealer queue", () => {
    // S3 keeps one configuration per bucket: a second BucketNotification would overwrite the first on `pulumi up`.
    const notification = configOf("aws:s3/bucketNotification:BucketNotification", landingBucket);
    expect(ofType(run, "aws:s3/bucketNotification:BucketNotification")).toHaveLength(1);
    expect(notification.inputs.eventbridge).toBe(true);
    expect(notification.inputs.queues).toEqual([
      {
        queueArn: single(run, "aws:sqs/queue:Queue", "sealer-landing-events").state.arn,
        events: ["s3:ObjectCreated:*"],
        filterPrefix: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b/",
      },
    ]);
  });
});
