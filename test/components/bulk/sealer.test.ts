import { statSync } from "node:fs";
import { join } from "node:path";
import { specialArchiveSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { LandingSealer, type LandingSealerArgs, resolveSealerArgs } from "../../../components/bulk/landingSealer";
import { SealerRole } from "../../../components/bulk/sealerRole";
import { runUnderMocks, type StackRun } from "../../../tools/engine/mockRuntime";
import { ofType, policyOf, single, statement } from "../../support/resources";

const ORG_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const LANDING_ARN = "arn:aws:s3:::legal-hold-landing";
const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const settings = { project: "sealer-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

function sealerArgs(sealerRole: LandingSealerArgs["sealerRole"]): LandingSealerArgs {
  return {
    sealerRole,
    functionName: "legal-hold-landing-sealer",
    landingBucketName: "legal-hold-landing",
    landingBucketArn: LANDING_ARN,
    landingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/landing",
    archiveBucketName: "archive-bucket",
    archiveKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/archive",
    signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/signing",
    organizationId: ORG_ID,
    adminPrincipalArns: [ADMIN],
    alarmTopicArn: "arn:aws:sns:eu-west-2:111122223333:alarms",
  };
}

describe("resolveSealerArgs", () => {
  const role = { arn: "arn:aws:iam::111122223333:role/sealer", name: "sealer" };
  it.each([
    [{ timeoutSeconds: 901 }, "[timeoutSeconds] must be from 60 to 900"],
    [{ reservedConcurrency: 1 }, "[reservedConcurrency] must be from 2 to 1000; got 1"],
    [{ maxReceiveCount: 0 }, "[maxReceiveCount] must be from 1 to 20"],
    [{ functionName: "has space" }, '[functionName] must be 1-64 letters, digits, hyphens or underscores; got "has space"'],
    [{ adminPrincipalArns: [] }, "[adminPrincipalArns] must name at least one principal"],
  ] as [Partial<LandingSealerArgs>, string][])("refuses %j at preview, naming the argument", (change, message) => {
    expect(() => resolveSealerArgs({ ...sealerArgs(role), ...change })).toThrow(message);
  });
});

describe("SealerRole and LandingSealer under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const role = new SealerRole("legal-hold-sealer", { functionName: "legal-hold-landing-sealer" });
      const sealer = new LandingSealer("legal-hold-bulk", sealerArgs(role));
      return { functionArn: sealer.functionArn, queueUrl: sealer.queueUrl };
    });
  }, 60_000);

  const queue = (suffix: string) => single(run, "aws:sqs/queue:Queue", suffix);
  const sealerFunction = () => single(run, "aws:lambda/function:Function");
  const role = () => single(run, "aws:iam/role:Role");

  it("pins the sealer role's trust to the landing sealer function of this account", () => {
    const trust = policyOf(role(), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: ["lambda.amazonaws.com"] },
        Condition: {
          ArnEqualsIfExists: { "aws:SourceArn": expect.stringMatching(/:lambda:eu-west-2:\d{12}:function:legal-hold-landing-sealer$/) },
          StringEquals: { "aws:SourceAccount": expect.any(String) },
        },
      }),
    ]);
  });

  it("ships the bundled sealer on nodejs22.x as the named function the role trusts, with reserved concurrency", () => {
    const fn = sealerFunction();
    expect(fn.inputs).toMatchObject({
      name: "legal-hold-landing-sealer",
      runtime: "nodejs22.x",
      handler: "index.handler",
      reservedConcurrentExecutions: 5,
      role: role().state.arn,
    });
    const code = fn.inputs.code as Record<string, unknown>;
    expect(code[specialSigKey]).toBe(specialArchiveSig);
    expect(statSync(join(code.path as string, "index.js")).size).toBeGreaterThan(1000);
  });

  it("gives the sealer the contract's environment and nothing secret", () => {
    expect((sealerFunction().inputs.environment as { variables: Record<string, string> }).variables).toEqual({
      ARCHIVE_BUCKET: "archive-bucket",
      ARCHIVE_KMS_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/archive",
      SIGNING_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/signing",
      LANDING_BUCKET: "legal-hold-landing",
      GENESYS_ORGANIZATION_ID: ORG_ID,
      POWERTOOLS_SERVICE_NAME: "legal-hold-landing-sealer",
    });
  });

  it("sends the landing bucket's new objects under the organization's prefix to the encrypted queue, dead-lettering after 5 receives", () => {
    const notification = single(run, "aws:s3/bucketNotification:BucketNotification");
    expect(notification.inputs).toMatchObject({
      bucket: "legal-hold-landing",
      // The bucket's only notification configuration: the landing bucket's expiry alarm listens on EventBridge.
      eventbridge: true,
      queues: [{ queueArn: queue("landing-events").state.arn, events: ["s3:ObjectCreated:*"], filterPrefix: `${ORG_ID}/` }],
    });
    expect(queue("landing-events").inputs).toMatchObject({ sqsManagedSseEnabled: true, visibilityTimeoutSeconds: 5400 });
    expect(JSON.parse(queue("landing-events").inputs.redrivePolicy as string)).toEqual({
      deadLetterTargetArn: queue("dead-letters").state.arn,
      maxReceiveCount: 5,
    });
    expect(queue("dead-letters").inputs).toMatchObject({ sqsManagedSseEnabled: true });
    const mapping = single(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
    expect(mapping.inputs).toMatchObject({ functionResponseTypes: ["ReportBatchItemFailures"], scalingConfig: { maximumConcurrency: 5 } });
  });

  it("lets only S3, for the landing bucket of this account, send, and only the sealer consume", () => {
    const policy = policyOf(single(run, "aws:sqs/queuePolicy:QueuePolicy"));
    const allow = statement(policy, "LandingBucketNotifiesSealer");
    expect(allow.Principal).toEqual({ Service: ["s3.amazonaws.com"] });
    expect(allow.Condition).toEqual({
      ArnEquals: { "aws:SourceArn": LANDING_ARN },
      StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\d{12}$/) },
    });
    expect(statement(policy, "DenySendsExceptLandingBucket").Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [ADMIN], "aws:SourceArn": LANDING_ARN },
    });
    expect(statement(policy, "DenyConsumptionExceptSealer").Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [role().state.arn] },
    });
    expect(policy.Statement.filter((s) => s.Effect === "Allow")).toHaveLength(1);
  });

  it("grants the sealer landing reads and deletes under its prefixes, the landing key, its queue and its logs, and nothing in the archive", () => {
    const grant = single(run, "aws:iam/rolePolicy:RolePolicy");
    expect(grant.inputs.role).toBe(role().state.name);
    const policy = policyOf(grant);
    expect(policy.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      [
        "ReadLandedRecordingsAndRouting",
        ["s3:GetObject", "s3:GetObjectVersion"],
        [`${LANDING_ARN}/${ORG_ID}/*`, `${LANDING_ARN}/routing/*`],
      ],
      ["RemoveSealedLandingObjects", ["s3:DeleteObject", "s3:DeleteObjectVersion"], [`${LANDING_ARN}/${ORG_ID}/*`]],
      ["ListRoutingAndLandedPrefixes", ["s3:ListBucket"], [LANDING_ARN]],
      ["DecryptLandedObjects", ["kms:Decrypt"], ["arn:aws:kms:eu-west-2:111122223333:key/landing"]],
      [
        "ConsumeLandingEvents",
        ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
        [queue("landing-events").state.arn],
      ],
      [
        "WriteOwnLogGroup",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        [`${single(run, "aws:cloudwatch/logGroup:LogGroup").state.arn}:*`],
      ],
    ]);
    expect(statement(policy, "ListRoutingAndLandedPrefixes").Condition).toEqual({
      StringLikeIfExists: { "s3:prefix": [`${ORG_ID}/*`, "routing/*"] },
    });
    expect(JSON.stringify(policy)).not.toContain("archive");
  });

  it("logs into a KMS-encrypted log group and alarms on dead letters and sealer errors", () => {
    const logs = single(run, "aws:cloudwatch/logGroup:LogGroup");
    expect(logs.inputs).toMatchObject({ retentionInDays: 365, kmsKeyId: single(run, "aws:kms/key:Key").state.arn });
    expect(sealerFunction().inputs.loggingConfig).toEqual({ logFormat: "JSON", logGroup: logs.state.name });
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.metricName).sort()).toEqual(["ApproximateNumberOfMessagesVisible", "Errors"]);
    for (const alarm of alarms) expect(alarm.inputs.alarmActions).toEqual(["arn:aws:sns:eu-west-2:111122223333:alarms"]);
  });
});
