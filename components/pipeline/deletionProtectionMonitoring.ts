import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { alarmWhenAboveZero } from "./queueWithDeadLetters";

/**
 * Deletion protection (Genesys' legal hold) outcomes as CloudWatch metrics,
 * read from the worker's structured log lines, and an alarm on the first
 * refusal for the organization's 1000-protected-conversations limit.
 *
 * Why the first refusal and not "before 1000": the Platform API cannot count
 * an organization's protected conversations. POST
 * /api/v2/recordings/deletionprotection only answers which of the
 * conversation ids you send are protected, and protection is also applied
 * and revoked outside this kit, so a count kept here would be wrong.
 */
export const DELETION_PROTECTION_NAMESPACE = "LegalHoldArchive/DeletionProtection";

export interface ProtectionMetric {
  /** Logical-name suffix of the filter. */
  id: string;
  metricName: string;
  /** CloudWatch Logs JSON filter pattern over the worker's Powertools log lines. */
  pattern: string;
}

/** One row per outcome; the keys are those lambda/worker/handler.ts logs (`message`, `deletionProtection`, `reason`). */
export const PROTECTION_METRICS: readonly ProtectionMetric[] = [
  {
    id: "applied",
    metricName: "ProtectionApplied",
    pattern: '{ ($.message = "export finished") && ($.deletionProtection = "applied") }',
  },
  { id: "failed", metricName: "ProtectionFailed", pattern: '{ $.reason = "deletion-protection-failed" }' },
  { id: "limit", metricName: "ProtectionLimitReached", pattern: '{ $.reason = "deletion-protection-limit" }' },
];

export const LIMIT_ALARM_DESCRIPTION =
  "Genesys refused deletion protection: the organization protects 1000 conversations, its limit. New legal-hold exports are archived but not protected in Genesys and go to the dead-letter queue. Revoke protection from conversations whose matter has closed (PUT /api/v2/recordings/deletionprotection?protect=false, permission recording:deletionProtection:revoke), then redrive the dead-letter queue.";

export interface DeletionProtectionMonitoringArgs {
  /** The worker's log group (JSON log lines). */
  workerLogGroupName: pulumi.Input<string>;
  alarmActions: pulumi.Input<string>[];
  tags: Record<string, string>;
}

/** The metric filters and the limit alarm, children of `parent`, named after `name`. */
export function createDeletionProtectionMonitoring(
  name: string,
  args: DeletionProtectionMonitoringArgs,
  parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm {
  for (const metric of PROTECTION_METRICS) {
    new aws.cloudwatch.LogMetricFilter(
      `${name}-protection-${metric.id}`,
      {
        logGroupName: args.workerLogGroupName,
        pattern: metric.pattern,
        // No data point when nothing happened, so Sum over a period is the count of outcomes.
        metricTransformation: { name: metric.metricName, namespace: DELETION_PROTECTION_NAMESPACE, value: "1", unit: "Count" },
      },
      { parent },
    );
  }
  return alarmWhenAboveZero(
    `${name}-protection-limit-alarm`,
    {
      description: LIMIT_ALARM_DESCRIPTION,
      metric: { namespace: DELETION_PROTECTION_NAMESPACE, metricName: "ProtectionLimitReached", statistic: "Sum" },
      alarmActions: args.alarmActions,
      tags: args.tags,
    },
    parent,
  );
}
