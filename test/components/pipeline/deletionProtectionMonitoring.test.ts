import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ExportPipeline } from "../../../components/exportPipeline";
import {
  DELETION_PROTECTION_NAMESPACE,
  LIMIT_ALARM_DESCRIPTION,
  PROTECTION_METRICS,
} from "../../../components/pipeline/deletionProtectionMonitoring";
import { PROJECT_DIR, runUnderMocks, type StackRun } from "../../../tools/engine/mockRuntime";
import { ofType, single } from "../../support/resources";

const settings = { project: "protection-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

describe("deletion-protection monitoring of the export pipeline", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const p = new ExportPipeline("export", {
        workerRole: { arn: "arn:aws:iam::111122223333:role/worker", name: "worker" },
        archiveBucketName: "archive-bucket",
        archiveKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/k",
        adminPrincipalArns: ["arn:aws:iam::111122223333:role/Admin"],
        signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/signing",
        genesysApiBaseUrl: "https://api.euw2.pure.cloud",
        credentialsSecretArn: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-client-AbCdEf",
        genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
        alarmTopicArn: "arn:aws:sns:eu-west-2:111122223333:legal-hold-alarms",
      });
      return { queueUrl: p.queueUrl };
    });
  }, 120_000);

  it("counts applied, failed and limit-refused protections from the worker's own log group", () => {
    const workerLogGroup = single(run, "aws:cloudwatch/logGroup:LogGroup", "worker-logs").state.name;
    const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filters.map((f) => (f.inputs.metricTransformation as { name: string }).name).sort()).toEqual([
      "ProtectionApplied",
      "ProtectionFailed",
      "ProtectionLimitReached",
    ]);
    for (const filter of filters) {
      expect(filter.inputs.logGroupName).toBe(workerLogGroup);
      expect(filter.inputs.metricTransformation).toMatchObject({ namespace: DELETION_PROTECTION_NAMESPACE, value: "1" });
    }
  });

  it("alarms on the first limit refusal, notifying the alarm topic with what to do", () => {
    const alarm = single(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "protection-limit-alarm");
    expect(alarm.inputs).toMatchObject({
      namespace: DELETION_PROTECTION_NAMESPACE,
      metricName: "ProtectionLimitReached",
      statistic: "Sum",
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: ["arn:aws:sns:eu-west-2:111122223333:legal-hold-alarms"],
    });
    expect(LIMIT_ALARM_DESCRIPTION).toContain("deletionprotection?protect=false");
    expect(LIMIT_ALARM_DESCRIPTION).toContain("redrive the dead-letter queue");
  });

  it("matches the keys and values the worker really logs", () => {
    // The patterns read the worker's structured log lines; renaming a reason there must fail here.
    const handler = readFileSync(join(PROJECT_DIR, "lambda", "worker", "handler.ts"), "utf8");
    expect(handler).toContain('logger.info("export finished", {');
    expect(handler).toMatch(/deletionProtection: summary\.deletionProtection\.status/);
    for (const reason of ["deletion-protection-failed", "deletion-protection-limit"]) {
      expect(handler).toContain(`reason: "${reason}"`);
      expect(PROTECTION_METRICS.some((m) => m.pattern === `{ $.reason = "${reason}" }`)).toBe(true);
    }
  });
});
