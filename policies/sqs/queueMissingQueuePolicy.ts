import { stackPolicy } from "../lib/projectPolicy";
import { SQS_QUEUE, SQS_QUEUE_POLICY } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { linkedFrom } from "../lib/stackLinks";
import { consumedQueues } from "./queueMissingDeadLetterQueue";

export const sqsQueueMissingQueuePolicy = stackPolicy(
  {
    name: "sqs-queue-missing-queue-policy",
    description: "Every queue a Lambda function consumes has a queue policy of the same stack.",
    severity: "high",
    why: "Without a queue policy anyone in the account granted sqs:SendMessage on * can put a job on the queue, and each job becomes a signed custody record naming its caseId and requestedBy; the queue policy is where the stack says that only the intake sends.",
    remediationSteps:
      "Add an aws.sqs.QueuePolicy for the queue (queueUrl: its url) that allows sqs:SendMessage to the intake role and denies it to every other principal (the ExportPipeline component writes one).",
  },
  (resources, report) => {
    const queues = resourcesOfType(resources, SQS_QUEUE);
    for (const [queue, mapping] of consumedQueues(resources)) {
      if (linkedFrom(resources, SQS_QUEUE_POLICY, "queueUrl", queues, "url", queue).length === 0) {
        report(
          `Queue "${queue.name}" is consumed by event source mapping "${mapping.name}" but has no queue policy; add an aws.sqs.QueuePolicy letting only the intake role send to it.`,
          queue.urn,
        );
      }
    }
  },
);
