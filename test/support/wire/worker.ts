import { randomUUID } from "node:crypto";
import { ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { ExportJob } from "../../../lambda/intake/exportRequest";
import { WIRE_BUCKET, WIRE_FUNCTION_ARN } from "../../../tools/testkit/wire/environment";

/** Builders for the worker's SQS events and Lambda context, and a log capture for the Powertools logger. */

export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
export type LogLine = Record<string, unknown> & { level?: string; message?: string };

export function exportJob(overrides: Partial<ExportJob> = {}): ExportJob {
  return {
    jobId: randomUUID(),
    conversationId: randomUUID(),
    caseId: "MATTER-WIRE-1",
    requestedBy: "Legal Ops",
    requestedAt: "2025-03-04T05:06:07.000Z",
    ...overrides,
  };
}

export function sqsRecord(body: ExportJob | string, messageId: string = randomUUID(), receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "1741064767000",
      SenderId: "AROAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1741064767000",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-2:111122223333:legal-hold-export-jobs",
    awsRegion: "eu-west-2",
  };
}

export function lambdaContext(awsRequestId: string = randomUUID()): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "legal-hold-worker",
    functionVersion: "$LATEST",
    invokedFunctionArn: WIRE_FUNCTION_ARN,
    memoryLimitInMB: "1024",
    awsRequestId,
    logGroupName: "/aws/lambda/legal-hold-worker",
    logStreamName: "2025/03/04/[$LATEST]wire",
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Runs `action` while collecting the JSON lines Powertools prints (it uses the
 * global console when POWERTOOLS_DEV is set); other console output passes through.
 */
export async function captureLogs<T>(action: () => Promise<T>): Promise<{ result: T; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const saved = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const [name, original] of saved) {
    console[name] = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === "string" && args[0].trimStart().startsWith("{")) {
        try {
          logs.push(JSON.parse(args[0]) as LogLine);
          return;
        } catch {
          // not a log line: print it
        }
      }
      original.apply(console, args);
    };
  }
  try {
    return { result: await action(), logs };
  } finally {
    for (const [name, original] of saved) console[name] = original;
  }
}

/** One worker invocation with the given SQS records, its answer and its log lines. */
export async function invokeWorker(handler: WorkerHandler, records: SQSRecord[]) {
  const context = lambdaContext();
  const { result, logs } = await captureLogs(() => handler({ Records: records }, context));
  return { response: result, logs, awsRequestId: context.awsRequestId };
}

/** Keys under a prefix, as s3rver lists them. */
export async function listKeys(client: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await client.send(new ListObjectsV2Command({ Bucket: WIRE_BUCKET, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(answer.Contents ?? []).map((object) => object.Key ?? ""));
    token = answer.NextContinuationToken;
    if (!answer.IsTruncated || !token) break;
  }
  return keys.sort();
}

/** Every multipart upload still open in the bucket (ListMultipartUploads, answered from s3rver's upload folder). */
export async function openUploads(client: S3Client): Promise<string[]> {
  const answer = await client.send(new ListMultipartUploadsCommand({ Bucket: WIRE_BUCKET }));
  return (answer.Uploads ?? []).map((upload) => `${upload.Key} ${upload.UploadId}`);
}
