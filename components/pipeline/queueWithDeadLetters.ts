import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** AWS's guidance for a Lambda event source: visibility at least six times the function timeout. */
export const VISIBILITY_MULTIPLIER = 6;
export const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * A work queue and its dead-letter queue, both SSE-SQS encrypted and keeping
 * messages 14 days: a message a function failed `maxReceiveCount` times waits
 * in the dead-letter queue (whose alarm a person answers) instead of being lost.
 */
export function queueWithDeadLetters(
  names: { queue: string; deadLetters: string },
  args: { functionTimeoutSeconds: number; maxReceiveCount: number; tags: Record<string, string> },
  parent: pulumi.Resource,
): { queue: aws.sqs.Queue; deadLetters: aws.sqs.Queue } {
  const { tags } = args;
  const deadLetters = new aws.sqs.Queue(
    names.deadLetters,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: FOURTEEN_DAYS, tags },
    { parent },
  );
  const queue = new aws.sqs.Queue(
    names.queue,
    {
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: VISIBILITY_MULTIPLIER * args.functionTimeoutSeconds,
      messageRetentionSeconds: FOURTEEN_DAYS,
      redrivePolicy: deadLetters.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: args.maxReceiveCount })),
      tags,
    },
    { parent },
  );
  return { queue, deadLetters };
}

/** A CloudWatch alarm that fires when a metric is above zero in a 5-minute period (no data: not breaching). */
export function alarmWhenAboveZero(
  name: string,
  args: {
    description: string;
    metric: { namespace: string; metricName: string; statistic: string; dimensions?: Record<string, pulumi.Input<string>> };
    alarmActions: pulumi.Input<string>[];
    tags: Record<string, string>;
  },
  parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: args.description,
      ...args.metric,
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: args.alarmActions,
      tags: args.tags,
    },
    { parent },
  );
}
