import { parsePolicyDocument, statementCoversAction, statementLabel } from "../lib/iamDocument";
import { stackPolicy } from "../lib/projectPolicy";
import { IAM_ROLE, SQS_QUEUE, SQS_QUEUE_POLICY } from "../lib/resourceTypes";
import { sendsForStackBucketsOnly } from "../lib/stackBucketSender";
import { resourcesOfType } from "../lib/stackIndex";
import { linkedResource, stackBuckets } from "../lib/stackLinks";
import { consumedQueues } from "./queueMissingDeadLetterQueue";

export const sqsQueuePolicyDisallowForeignSender = stackPolicy(
  {
    name: "sqs-queuepolicy-disallow-foreign-sender",
    description:
      "A queue policy on a queue a Lambda function consumes allows sqs:SendMessage only to roles of the stack, or to a service sending for a bucket of the stack (aws:SourceArn and aws:SourceAccount pinned), never to everyone or another account.",
    severity: "critical",
    why: 'Every message on the job queue becomes an export whose caseId and requestedBy go into a signed custody record; a sender outside the stack (Principal "*", another account, an account root) can forge jobs that the worker archives and signs as if Genesys had asked for them.',
    remediationSteps:
      "Name only the intake role's ARN as Principal of the statement allowing sqs:SendMessage (and deny everyone else), or drop the Allow and grant sqs:SendMessage in the intake role's policy. A bucket's event notifications (s3.amazonaws.com) need ArnEquals aws:SourceArn = that bucket of the stack and StringEquals aws:SourceAccount.",
  },
  (resources, report) => {
    const consumed = consumedQueues(resources);
    if (consumed.size === 0) return;
    const queues = resourcesOfType(resources, SQS_QUEUE);
    const roleArns = new Set(resourcesOfType(resources, IAM_ROLE).map((role) => role.props.arn));
    const bucketArns = new Set(stackBuckets(resources).map((bucket) => bucket.props.arn));
    for (const queuePolicy of resourcesOfType(resources, SQS_QUEUE_POLICY)) {
      const queue = linkedResource(queuePolicy, "queueUrl", queues, "url");
      if (!queue || !consumed.has(queue)) continue;
      (parsePolicyDocument(queuePolicy.props.policy) ?? []).forEach((statement, index) => {
        if (statement.effect !== "Allow" || !statementCoversAction(statement, "sqs:SendMessage")) return;
        const services = sendsForStackBucketsOnly(statement, bucketArns) ? [] : statement.servicePrincipals;
        const foreign = [...statement.awsPrincipals, ...services].filter((p) => !roleArns.has(p));
        if (foreign.length > 0) {
          report(
            `Queue policy "${queuePolicy.name}" of consumed queue "${queue.name}" ${statementLabel(statement, index)} lets ${foreign.join(", ")} send messages; allow sqs:SendMessage only to the intake role of this stack, or to a service with aws:SourceArn pinned to a bucket of this stack and aws:SourceAccount set.`,
            queuePolicy.urn,
          );
        }
      });
    }
  },
);
