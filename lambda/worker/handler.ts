import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { classifySealFailure, type FailureClass } from "../archive/sealFailures";
import { type CustodySigner, createCustodySigner } from "../custody/custodySigner";
import {
  DeletionProtectionLimitError,
  GenesysAuthError,
  GenesysError,
  GenesysNotFoundError,
  GenesysPermissionError,
  TranscodeNotReadyError,
} from "../genesys/errors";
import { createGenesysClient, type GenesysClient } from "../genesys/genesysClient";
import { createTokenProvider } from "../genesys/tokenProvider";
import { InvalidExportJobError, parseExportJob } from "../intake/exportRequest";
import { readWorkerEnv, type WorkerEnv } from "../shared/env";
import { DeletionProtectionFailedError, exportConversation, RecordingsNotListedYetError } from "./exportConversation";
import { RecordingsDeletedError, RecordingsNotYetAvailableError, UnexpectedFileStateError } from "./recordingAvailability";
import { delayRedelivery } from "./redeliveryBackoff";

/**
 * The SQS-triggered worker. Every failed message is reported as a batch item
 * failure so it returns to the queue; the log line's `reason` and `retryable`
 * say whether waiting helps (transcoding, rate limit, outage) or a person must
 * act (permission, unknown conversation, protection limit, bad message), in
 * which case maxReceiveCount moves it to the dead-letter queue.
 */

export interface WorkerDeps {
  env: Pick<WorkerEnv, "archiveBucket" | "archiveKmsKeyArn" | "recordingFormatId"> & Partial<Pick<WorkerEnv, "recordingsSettleMinutes">>;
  s3: S3Client;
  genesys: GenesysClient;
  /** Signs each custody record with the SIGNING_KEY_ARN key. */
  signer: CustodySigner;
  logger: Logger;
  /** @default () => new Date() */
  now?: () => Date;
  /** Delays the redelivery of jobs waiting for restored recordings; without it the queue's visibility timeout applies. */
  sqs?: SQSClient;
}

const JOB_KEYS = ["messageId", "jobId", "caseId", "conversationId"];

export type { FailureClass };

/** Names why a job failed, for the structured `reason` in the log line. */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof InvalidExportJobError) return { reason: "invalid-message", retryable: false };
  if (error instanceof TranscodeNotReadyError) return { reason: "transcode-not-ready", retryable: true };
  if (error instanceof DeletionProtectionLimitError) return { reason: "deletion-protection-limit", retryable: false };
  if (error instanceof GenesysPermissionError) return { reason: "genesys-permission-missing", retryable: false };
  if (error instanceof GenesysNotFoundError) return { reason: "genesys-not-found", retryable: false };
  if (error instanceof GenesysAuthError) return { reason: "genesys-auth-failed", retryable: false };
  if (error instanceof GenesysError)
    return { reason: error.retryable ? "genesys-unavailable" : "genesys-request-refused", retryable: error.retryable };
  if (error instanceof RecordingsNotListedYetError) return { reason: "recordings-not-listed-yet", retryable: true };
  // Archived (restore asked for), restoring or uploading in Genesys: later deliveries archive them.
  if (error instanceof RecordingsNotYetAvailableError) return { reason: "recordings-not-yet-available", retryable: true };
  if (error instanceof RecordingsDeletedError) return { reason: "recordings-deleted-in-genesys", retryable: false };
  if (error instanceof UnexpectedFileStateError) return { reason: "recording-file-state-unexpected", retryable: false };
  // Retried until Genesys applies it; after maxReceiveCount the dead-letter alarm shows it.
  if (error instanceof DeletionProtectionFailedError) return { reason: "deletion-protection-failed", retryable: true };
  const sealing = classifySealFailure(error);
  if (sealing) return sealing;
  return { reason: "unexpected-error", retryable: true };
}

export function createWorkerHandler(deps: WorkerDeps) {
  const { logger } = deps;
  const processor = new BatchProcessor(EventType.SQS);

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);

    const exportMessage = async (record: SQSRecord) => {
      logger.appendKeys({ messageId: record.messageId });
      try {
        const job = parseExportJob(record.body);
        logger.appendKeys({ jobId: job.jobId, caseId: job.caseId, conversationId: job.conversationId });
        const summary = await exportConversation(job, {
          s3: deps.s3,
          genesys: deps.genesys,
          signer: deps.signer,
          bucket: deps.env.archiveBucket,
          kmsKeyArn: deps.env.archiveKmsKeyArn,
          formatId: deps.env.recordingFormatId,
          functionArn: context.invokedFunctionArn,
          awsRequestId: context.awsRequestId,
          logger,
          now: deps.now,
          recordingsSettleMinutes: deps.env.recordingsSettleMinutes,
        });
        logger.info("export finished", {
          outcome: summary.outcome,
          recordings: summary.recordings,
          deletionProtection: summary.deletionProtection.status,
        });
        return summary;
      } catch (error) {
        const failure = classifyFailure(error);
        const log = failure.retryable ? logger.warn.bind(logger) : logger.error.bind(logger);
        log("export failed", {
          reason: failure.reason,
          retryable: failure.retryable,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error,
        });
        if (error instanceof RecordingsNotYetAvailableError && deps.sqs) await delayRedelivery(deps.sqs, record, logger);
        // Thrown either way: the batch processor reports the message, so it is retried or dead-lettered, never lost.
        throw error;
      } finally {
        logger.removeKeys(JOB_KEYS);
      }
    };

    // Sequential: each record streams whole recordings and shares the Genesys rate limit.
    return processPartialResponse(event, exportMessage, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}

function defaultDeps(): WorkerDeps {
  const env = readWorkerEnv();
  // Clients honour AWS_ENDPOINT_URL_S3 / _SECRETS_MANAGER / _KMS themselves; local S3 servers need path-style URLs.
  const s3 = new S3Client({ forcePathStyle: env.s3ForcePathStyle });
  const tokens = createTokenProvider({
    secretsManager: new SecretsManagerClient({}),
    secretId: env.genesysCredentialsSecretArn,
    loginBaseUrl: env.genesysLoginBaseUrl,
  });
  const genesys = createGenesysClient({
    apiBaseUrl: env.genesysApiBaseUrl,
    tokens,
    transcodePollAttempts: env.transcodePollAttempts,
    transcodePollIntervalMs: env.transcodePollIntervalMs,
  });
  // Honours AWS_ENDPOINT_URL_KMS, as the wire tests' fake KMS needs.
  const signer = createCustodySigner({ kms: new KMSClient({}), signingKeyArn: env.signingKeyArn });
  // The worker may change its messages' visibility (ConsumeExportJobs). Not routed by the queue URL's host,
  // which is the regional endpoint anyway, so AWS_ENDPOINT_URL_SQS is honoured.
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  return { env, s3, genesys, signer, logger: new Logger(), sqs };
}

/** Built once per cold start: clients, the cached token and configuration errors live with the container. */
export const handler = createWorkerHandler(defaultDeps());
