import { resourcePolicy } from "../lib/projectPolicy";
import { SQS_QUEUE } from "../lib/resourceTypes";

export const sqsQueueEnableEncryption = resourcePolicy(
  {
    name: "sqs-queue-enable-encryption",
    description: "Every SQS queue encrypts messages at rest, with SQS-managed keys or a KMS key.",
    severity: "high",
    why: "Export requests carry conversation and case ids of matters under legal hold; a queue that states no encryption depends on an account default that can change, and its dead-letter queue keeps the same data for up to 14 days.",
    remediationSteps: "Set sqsManagedSseEnabled: true, or kmsMasterKeyId to a KMS key the producers and the consuming function may use.",
    resourceTypes: SQS_QUEUE,
  },
  (queue, report) => {
    const kmsKey = queue.props.kmsMasterKeyId;
    if (queue.props.sqsManagedSseEnabled === true || (typeof kmsKey === "string" && kmsKey !== "")) return;
    report(
      `Queue "${queue.name}" has sqsManagedSseEnabled = ${JSON.stringify(queue.props.sqsManagedSseEnabled)} and no kmsMasterKeyId; set sqsManagedSseEnabled: true or a kmsMasterKeyId.`,
    );
  },
);
