import type { ProjectPolicy } from "../lib/projectPolicy";
import { sqsQueueConfigureMaxReceiveCount } from "./queueConfigureMaxReceiveCount";
import { sqsQueueConfigureVisibilityTimeout } from "./queueConfigureVisibilityTimeout";
import { sqsQueueEnableEncryption } from "./queueEnableEncryption";
import { sqsQueueMissingDeadLetterQueue } from "./queueMissingDeadLetterQueue";
import { sqsQueueMissingQueuePolicy } from "./queueMissingQueuePolicy";
import { sqsQueuePolicyDisallowForeignSender } from "./queuePolicyDisallowForeignSender";

/** The sqs policies of the pack, in catalogue order. */
export const sqsPolicies: ProjectPolicy[] = [
  sqsQueueConfigureMaxReceiveCount,
  sqsQueueConfigureVisibilityTimeout,
  sqsQueueEnableEncryption,
  sqsQueueMissingDeadLetterQueue,
  sqsQueueMissingQueuePolicy,
  sqsQueuePolicyDisallowForeignSender,
];
