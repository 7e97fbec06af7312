import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { readIntakeEnv } from "../shared/env";
import { type ExportJob, type ExportRequest, InvalidExportRequestError, parseExportRequest } from "./exportRequest";

/**
 * The function the Genesys data action invokes. Data actions time out after
 * at most 60 s, so it only validates and enqueues; the worker does the export.
 */

export interface IntakeDeps {
  sqs: SQSClient;
  queueUrl: string;
  logger: Logger;
  /** @default crypto.randomUUID */
  newJobId?: () => string;
  /** @default () => new Date() */
  now?: () => Date;
}

export interface IntakeAnswer {
  jobId: string;
  status: "queued";
}

export function createIntakeHandler(deps: IntakeDeps) {
  const newJobId = deps.newJobId ?? randomUUID;
  const now = deps.now ?? (() => new Date());

  return async (event: unknown, context?: Context): Promise<IntakeAnswer> => {
    if (context) deps.logger.addContext(context);
    let request: ExportRequest;
    try {
      request = parseExportRequest(event);
    } catch (error) {
      // Rethrown before anything is sent: an invalid request must never become a job.
      if (error instanceof InvalidExportRequestError) deps.logger.warn("export request rejected", { problems: error.problems });
      throw error;
    }
    const job: ExportJob = { ...request, jobId: newJobId(), requestedAt: now().toISOString() };
    await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.queueUrl, MessageBody: JSON.stringify(job) }));
    // Ids only: requestedBy may be a person's name.
    deps.logger.info("export queued", { jobId: job.jobId, caseId: job.caseId, conversationId: job.conversationId });
    return { jobId: job.jobId, status: "queued" };
  };
}

function defaultDeps(): IntakeDeps {
  const env = readIntakeEnv();
  return { sqs: new SQSClient({}), queueUrl: env.exportQueueUrl, logger: new Logger() };
}

/** Built once per cold start: configuration errors surface on the first invocation. */
export const handler = createIntakeHandler(defaultDeps());
