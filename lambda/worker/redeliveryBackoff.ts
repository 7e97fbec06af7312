import type { Logger } from "@aws-lambda-powertools/logger";
import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";

/**
 * A job waiting for Genesys to restore archived recordings is retried later
 * and later (1 h, 2 h, 4 h, 8 h, then every 12 h, SQS's longest visibility
 * timeout) instead of after the queue's visibility timeout: restores take
 * hours, and each delivery counts toward maxReceiveCount. With the default
 * maxReceiveCount of 5 the fifth delivery comes about 15 hours after the
 * first; a job still waiting then goes to the dead-letter queue with its
 * reason, and a redrive resumes it (nothing of it was counted done).
 */
export const RESTORE_BACKOFF_FIRST_SECONDS = 3600;
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;

/** Seconds until the next delivery after the n-th (1-based) receive. */
export function restoreBackoffSeconds(receiveCount: number): number {
  const n = Number.isSafeInteger(receiveCount) && receiveCount > 0 ? receiveCount : 1;
  return Math.min(SQS_MAX_VISIBILITY_SECONDS, RESTORE_BACKOFF_FIRST_SECONDS * 2 ** Math.min(n - 1, 16));
}

/** The queue URL of an SQS event source ARN (arn:aws:sqs:region:account:name). */
export function queueUrlOf(eventSourceArn: string): string {
  const [, partition, , region, account, name] = eventSourceArn.split(":");
  if (!partition || !region || !account || !name) throw new Error(`not an SQS queue ARN: ${eventSourceArn}`);
  const suffix = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://sqs.${region}.${suffix}/${account}/${name}`;
}

/**
 * Moves the message's next delivery later. Best effort: if SQS refuses, the
 * queue's own visibility timeout applies and the job is still retried.
 */
export async function delayRedelivery(sqs: SQSClient, record: SQSRecord, logger: Pick<Logger, "info" | "warn">): Promise<void> {
  const delaySeconds = restoreBackoffSeconds(Number(record.attributes?.ApproximateReceiveCount));
  try {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrlOf(record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: delaySeconds,
      }),
    );
    logger.info("next delivery delayed while Genesys restores recordings", { delaySeconds });
  } catch (error) {
    logger.warn("could not delay the next delivery; the queue's visibility timeout applies", { error });
  }
}
