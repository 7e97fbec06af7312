import { resourcePolicy } from "../lib/projectPolicy";
import { SQS_QUEUE } from "../lib/resourceTypes";

export interface RedrivePolicy {
  deadLetterTargetArn?: unknown;
  maxReceiveCount?: unknown;
}

/** A queue's redrive policy (JSON text): undefined when there is none, "invalid" when it is not a JSON object. */
export function redrivePolicyOf(props: Record<string, unknown>): RedrivePolicy | "invalid" | undefined {
  const raw = props.redrivePolicy;
  // The provider's state holds "" for a queue without one.
  if (raw === undefined || raw === null || raw === "") return undefined;
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return "invalid";
    }
  }
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as RedrivePolicy) : "invalid";
}

export const sqsQueueConfigureMaxReceiveCount = resourcePolicy<{ maximumReceiveCount: number }>(
  {
    name: "sqs-queue-configure-max-receive-count",
    description: "A queue's redrive policy moves a message to the dead-letter queue after at most the configured number of receives.",
    severity: "medium",
    why: "Each receive of a failing export is another round of Genesys API calls against the shared rate limit and another partial write attempt; a high count delays the dead-letter alarm that tells someone a legal hold was not archived.",
    remediationSteps: "Set maxReceiveCount in the redrive policy between 1 and the maximum (policy config maximumReceiveCount, default 5).",
    resourceTypes: SQS_QUEUE,
    config: {
      maximumReceiveCount: {
        type: "integer",
        minimum: 1,
        default: 5,
        description: "Most receives of one message before SQS moves it to the dead-letter queue.",
      },
    },
  },
  (queue, report, { maximumReceiveCount }) => {
    const redrive = redrivePolicyOf(queue.props);
    // No or unreadable redrive policy: sqs-queue-missing-dead-letter-queue reports consumed queues.
    if (redrive === undefined || redrive === "invalid") return;
    const count = Number(redrive.maxReceiveCount);
    // SQS's own floor is 1.
    if (!Number.isInteger(count) || count < 1 || count > maximumReceiveCount) {
      report(
        `Queue "${queue.name}" has a redrive policy with maxReceiveCount ${JSON.stringify(redrive.maxReceiveCount)}, outside 1 to ${maximumReceiveCount}; set maxReceiveCount within that range.`,
      );
    }
  },
);
