import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import type { Context, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { httpStatus } from "../archive/s3Errors";
import { classifySealFailure, type FailureClass } from "../archive/sealFailures";
import { type CustodySigner, createCustodySigner } from "../custody/custodySigner";
import { readSealerEnv, type SealerEnv } from "../shared/env";
import { InvalidCaseRoutingError } from "./caseRouting";
import { ExportedMetadataError } from "./exportedMetadata";
import { LandingKeyError } from "./landingKey";
import { type LandedOutcome, LandingBytesDifferError, MetadataNotLandedError, sealLandedObject } from "./sealLandedRecording";

/**
 * The landing sealer: SQS-triggered, each message an S3 event notification
 * from the landing bucket (ObjectCreated under `{orgId}/`). Every failed
 * message is reported as a batch item failure, so it is retried; after the
 * queue's maxReceiveCount it reaches the dead-letter queue, whose alarm makes
 * it visible. The log line's `reason` says whether waiting helps.
 */

export interface SealerHandlerDeps {
  env: Pick<SealerEnv, "archiveBucket" | "archiveKmsKeyArn" | "landingBucket" | "genesysOrganizationId">;
  s3: S3Client;
  signer: CustodySigner;
  logger: Logger;
  /** @default () => new Date() */
  now?: () => Date;
}

/** The message is not an S3 event notification from the landing bucket: no retry can change it. */
export class InvalidSealerMessageError extends Error {
  constructor(readonly problem: string) {
    super(`Not an S3 event notification from the landing bucket: ${problem}`);
    this.name = "InvalidSealerMessageError";
  }
}

export function classifySealerFailure(error: unknown): FailureClass {
  if (error instanceof InvalidSealerMessageError) return { reason: "invalid-message", retryable: false };
  if (error instanceof LandingKeyError) return { reason: "landing-key-invalid", retryable: false };
  // Genesys writes the recording and its metadata one after the other: the next delivery finds it.
  if (error instanceof MetadataNotLandedError) return { reason: "landing-metadata-missing", retryable: true };
  if (error instanceof ExportedMetadataError) return { reason: "landing-metadata-mismatch", retryable: false };
  if (error instanceof InvalidCaseRoutingError) return { reason: "case-routing-invalid", retryable: false };
  if (error instanceof LandingBytesDifferError) return { reason: "landing-bytes-differ", retryable: false };
  const sealing = classifySealFailure(error);
  if (sealing) return sealing;
  // A recording that landed again between this delivery's HEAD and GET: the next delivery reads the new one.
  if (httpStatus(error) === 412) return { reason: "landing-object-replaced", retryable: true };
  if (httpStatus(error) === 403) return { reason: "s3-access-denied", retryable: false };
  return { reason: "unexpected-error", retryable: true };
}

/** The landing keys a message names (URL-decoded); none for S3's s3:TestEvent. */
export function landingKeysOf(body: string, landingBucket: string): string[] {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    throw new InvalidSealerMessageError("the body is not JSON");
  }
  if ((message as { Event?: unknown })?.Event === "s3:TestEvent") return [];
  const records = (message as Partial<S3Event>)?.Records;
  if (!Array.isArray(records) || records.length === 0) throw new InvalidSealerMessageError("no Records");
  return records.map((record, index) => {
    const eventName = record?.eventName;
    if (typeof eventName !== "string" || !eventName.startsWith("ObjectCreated:")) {
      throw new InvalidSealerMessageError(`Records[${index}].eventName is ${JSON.stringify(eventName)}, not ObjectCreated:*`);
    }
    if (record.s3?.bucket?.name !== landingBucket) throw new InvalidSealerMessageError(`Records[${index}] is not from ${landingBucket}`);
    const key = record.s3?.object?.key;
    if (typeof key !== "string" || key.length === 0) throw new InvalidSealerMessageError(`Records[${index}].s3.object.key is missing`);
    // S3 URL-encodes keys in notifications, with "+" for a space.
    return decodeURIComponent(key.replace(/\+/g, " "));
  });
}

const MESSAGE_KEYS = ["messageId", "landingKey"];

export function createSealerHandler(deps: SealerHandlerDeps) {
  const { logger } = deps;
  const processor = new BatchProcessor(EventType.SQS);

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);

    const sealMessage = async (record: SQSRecord) => {
      logger.appendKeys({ messageId: record.messageId });
      try {
        const outcomes: LandedOutcome[] = [];
        for (const landingKey of landingKeysOf(record.body, deps.env.landingBucket)) {
          logger.appendKeys({ landingKey });
          outcomes.push(
            await sealLandedObject(landingKey, {
              s3: deps.s3,
              signer: deps.signer,
              bucket: deps.env.archiveBucket,
              kmsKeyArn: deps.env.archiveKmsKeyArn,
              landingBucket: deps.env.landingBucket,
              organizationId: deps.env.genesysOrganizationId,
              functionArn: context.invokedFunctionArn,
              awsRequestId: context.awsRequestId,
              logger,
              now: deps.now,
            }),
          );
        }
        logger.info("landing message done", { outcomes: outcomes.map((o) => ({ status: o.status, key: o.key })) });
        return outcomes;
      } catch (error) {
        const failure = classifySealerFailure(error);
        const log = failure.retryable ? logger.warn.bind(logger) : logger.error.bind(logger);
        log("sealing failed", {
          reason: failure.reason,
          retryable: failure.retryable,
          receiveCount: record.attributes?.ApproximateReceiveCount,
          error,
        });
        // Thrown either way: the batch processor reports the message, so it is retried or dead-lettered, never lost.
        throw error;
      } finally {
        logger.removeKeys(MESSAGE_KEYS);
      }
    };

    // Sequential: each record streams whole recordings; memory stays bounded by one upload.
    return processPartialResponse(event, sealMessage, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
  };
}

function defaultDeps(): SealerHandlerDeps {
  const env = readSealerEnv();
  // Clients honour AWS_ENDPOINT_URL_S3 / _KMS themselves; local S3 servers need path-style URLs.
  const s3 = new S3Client({ forcePathStyle: env.s3ForcePathStyle });
  const signer = createCustodySigner({ kms: new KMSClient({}), signingKeyArn: env.signingKeyArn });
  return { env, s3, signer, logger: new Logger() };
}

/** Built once per cold start. */
export const handler = createSealerHandler(defaultDeps());
