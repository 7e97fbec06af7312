import type { PolicyResource } from "@pulumi/policy";
import { eventSourceMappingsOf } from "../lambda/functionRequireReservedConcurrency";
import { stackPolicy } from "../lib/projectPolicy";
import { SQS_QUEUE } from "../lib/resourceTypes";
import { firstWithValue, membership, resourcesOfType } from "../lib/stackIndex";
import { linkedResource } from "../lib/stackLinks";
import { byValueThenDependencies } from "../lib/valueFirst";
import { redrivePolicyOf } from "./queueConfigureMaxReceiveCount";

export function queuesOf(resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => SQS_QUEUE.includes(r.type));
}

/** The stack's queue an event source mapping reads from, if its source is a queue of the stack. */
export function consumedQueue(mapping: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  return linkedResource(mapping, "eventSourceArn", resourcesOfType(resources, SQS_QUEUE), "arn");
}

/** Each queue of the stack that a Lambda event source mapping reads from, with the first mapping that reads it. */
export function consumedQueues(resources: PolicyResource[]): Map<PolicyResource, PolicyResource> {
  const consumed = new Map<PolicyResource, PolicyResource>();
  for (const mapping of eventSourceMappingsOf(resources)) {
    const queue = consumedQueue(mapping, resources);
    if (queue && !consumed.has(queue)) consumed.set(queue, mapping);
  }
  return consumed;
}

/**
 * The stack's queue a queue's redrive policy sends failed messages to. linkedResource does not
 * fit: the ARN sits inside the JSON text. Values first: the deadLetterTargetArn decides; the
 * property dependencies stand in only while the redrive policy or an ARN is unknown (preview).
 */
function deadLetterQueueOf(queue: PolicyResource, queues: PolicyResource[]): PolicyResource | "none" | "invalid" | { outside: unknown } {
  // `queues` comes from resourcesOfType: membership and firstWithValue use its indexes. "Another
  // queue" is a queue other than `queue` itself.
  const isQueue = membership(queues);
  return byValueThenDependencies<PolicyResource | "none" | "invalid" | { outside: unknown }>(
    queue,
    "redrivePolicy",
    () => {
      const redrive = redrivePolicyOf(queue.props);
      if (redrive === undefined || redrive === "invalid") return redrive ?? "none";
      const target = redrive.deadLetterTargetArn;
      return firstWithValue(queues, ["arn"], target, queue) ?? { outside: target };
    },
    (dependencies) => dependencies.find((r) => r !== queue && isQueue(r)),
  );
}

export const sqsQueueMissingDeadLetterQueue = stackPolicy(
  {
    name: "sqs-queue-missing-dead-letter-queue",
    description: "Every queue a Lambda function consumes has a redrive policy to a dead-letter queue of the same stack.",
    severity: "high",
    why: "Without a dead-letter queue an export that keeps failing (a Genesys outage, a 403 from the bucket) is retried until the message expires and then silently dropped, and the legal hold is never archived; a target outside the stack may not exist.",
    remediationSteps:
      "Add an aws.sqs.Queue as dead-letter queue and set the source queue's redrivePolicy to JSON { deadLetterTargetArn: <its ARN>, maxReceiveCount: 5 }.",
  },
  (resources, report) => {
    const queues = resourcesOfType(resources, SQS_QUEUE);
    for (const [queue, mapping] of consumedQueues(resources)) {
      const target = deadLetterQueueOf(queue, queues);
      if (target === "none") {
        report(
          `Queue "${queue.name}" is consumed by event source mapping "${mapping.name}" but has no redrivePolicy; add one whose deadLetterTargetArn is a dead-letter queue of this stack.`,
          queue.urn,
        );
      } else if (target === "invalid") {
        report(
          `Queue "${queue.name}" has a redrivePolicy that is not a JSON object; set it to JSON { deadLetterTargetArn, maxReceiveCount } naming a dead-letter queue of this stack.`,
          queue.urn,
        );
      } else if ("outside" in target) {
        report(
          `Queue "${queue.name}" sends failed messages to deadLetterTargetArn ${JSON.stringify(target.outside)}, which is no queue of this stack; point it at a dead-letter queue the stack creates.`,
          queue.urn,
        );
      }
    }
  },
);
