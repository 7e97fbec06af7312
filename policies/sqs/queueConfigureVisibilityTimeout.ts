import type { PolicyResource } from "@pulumi/policy";
import { eventSourceMappingsOf, mappedFunction } from "../lambda/functionRequireReservedConcurrency";
import { stackPolicy } from "../lib/projectPolicy";
import { consumedQueue } from "./queueMissingDeadLetterQueue";

// AWS defaults when the outputs lack the value.
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;

export const sqsQueueConfigureVisibilityTimeout = stackPolicy<{ multiplier: number }>(
  {
    name: "sqs-queue-configure-visibility-timeout",
    description:
      "A queue consumed by a Lambda function has a visibility timeout of at least the configured multiple of the function's timeout.",
    severity: "high",
    why: "If a message becomes visible again while the function (or its retries after throttling) still works on it, a second copy runs the same export: twice the Genesys API calls and duplicate objects in a bucket whose Object Lock forbids removing them. AWS advises six times the function timeout.",
    remediationSteps:
      "Raise the queue's visibilityTimeoutSeconds to at least the multiple (policy config multiplier, default 6) of the longest timeout of the functions consuming it, or shorten those timeouts.",
    config: {
      multiplier: {
        type: "integer",
        minimum: 1,
        default: 6,
        description: "How many times the consuming function's timeout the visibility timeout must be at least.",
      },
    },
  },
  (resources, report, { multiplier }) => {
    // Per queue, the consumer with the longest timeout decides.
    const slowest = new Map<PolicyResource, { fn: PolicyResource; timeout: number }>();
    for (const mapping of eventSourceMappingsOf(resources)) {
      const queue = consumedQueue(mapping, resources);
      const fn = mappedFunction(mapping, resources);
      if (!queue || !fn) continue;
      const timeout = (fn.props.timeout as number | undefined) ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
      const current = slowest.get(queue);
      if (!current || timeout > current.timeout) slowest.set(queue, { fn, timeout });
    }
    for (const [queue, { fn, timeout }] of slowest) {
      const visibility = (queue.props.visibilityTimeoutSeconds as number | undefined) ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
      const needed = multiplier * timeout;
      if (visibility < needed) {
        report(
          `Queue "${queue.name}" has visibilityTimeoutSeconds ${visibility}, less than ${multiplier} × the ${timeout}-second timeout of function "${fn.name}" (${needed}); raise visibilityTimeoutSeconds to at least ${needed}.`,
          queue.urn,
        );
      }
    }
  },
);
