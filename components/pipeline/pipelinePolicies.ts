import { type PolicyDocument, policyDocument } from "../iam/policyDocument";

/** A function may write only its own log group's streams. */
export function writeOwnLogs(logGroupArn: string) {
  return {
    Sid: "WriteOwnLogGroup",
    Effect: "Allow" as const,
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`${logGroupArn}:*`],
  };
}

/** The intake may only enqueue export jobs (and log). */
export function intakePolicy(queueArn: string, logGroupArn: string): PolicyDocument {
  return policyDocument([
    { Sid: "EnqueueExportJobs", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queueArn] },
    writeOwnLogs(logGroupArn),
  ]);
}

/**
 * The worker consumes its queue and reads the one secret holding the Genesys
 * client credentials (and logs). Its archive rights come from the archive's
 * writer grant, attached separately.
 */
export function workerPipelinePolicy(queueArn: string, secretArn: string, logGroupArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "ConsumeExportJobs",
      Effect: "Allow",
      Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
      Resource: [queueArn],
    },
    { Sid: "ReadGenesysClientCredentials", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] },
    writeOwnLogs(logGroupArn),
  ]);
}
