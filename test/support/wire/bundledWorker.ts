import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { bundleHandler } from "../../../components/lambdaBundle";
import type { ExportJob } from "../../../lambda/intake/exportRequest";
import { WIRE_FUNCTION_ARN } from "../../../tools/testkit/wire/environment";
import { type LogLine, sqsRecord } from "./worker";

/**
 * The worker as it ships (the esbuild bundle), run in its own Node process
 * against the wire fakes, so a test can kill it at any moment like Lambda
 * kills a container, and run it again like SQS redelivers.
 */

/** Builds (or reuses) the worker bundle; answers the path of its index.js. */
export function buildWorkerBundle(): string {
  const { directory } = bundleHandler("worker", join(__dirname, "..", "..", "..", "lambda", "worker", "handler.ts"));
  return join(directory, "index.js");
}

/** Invokes the bundle's handler with one SQS event and prints its answer on a RESULT line. */
const CHILD = `
const { handler } = require(process.env.WORKER_BUNDLE);
const event = JSON.parse(process.env.WORKER_EVENT);
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: "legal-hold-worker", functionVersion: "$LATEST",
  invokedFunctionArn: process.env.WORKER_FUNCTION_ARN, memoryLimitInMB: "1024", awsRequestId: process.env.WORKER_REQUEST_ID,
  logGroupName: "wire", logStreamName: "wire", getRemainingTimeInMillis: () => 900000, done() {}, fail() {}, succeed() {},
};
handler(event, context).then(
  (answer) => { process.stdout.write("\\nRESULT " + JSON.stringify(answer) + "\\n", () => process.exit(0)); },
  (error) => { process.stderr.write(String(error && error.stack || error)); process.exit(3); },
);
`;

export interface BundledRun {
  /** The handler's answer; undefined when the process did not finish (killed). */
  answer: { batchItemFailures: Array<{ itemIdentifier: string }> } | undefined;
  logs: LogLine[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

export interface StartedRun {
  child: ChildProcess;
  done: Promise<BundledRun>;
}

/** Starts the bundled worker on one delivery of each job; `done` settles when the process exits, however it exits. */
export function startBundledWorker(
  bundle: string,
  workerEnv: Record<string, string>,
  /** A job, or a message body as it is (the sealer's S3 event notifications). */
  deliveries: Array<{ job: ExportJob | string; messageId: string; receiveCount: number }>,
): StartedRun {
  const event = { Records: deliveries.map((d) => sqsRecord(d.job, d.messageId, d.receiveCount)) };
  const child = spawn(process.execPath, ["-e", CHILD], {
    env: {
      PATH: process.env.PATH ?? "",
      ...workerEnv,
      // One JSON log line per entry (dev mode pretty-prints over several lines).
      POWERTOOLS_DEV: "",
      WORKER_BUNDLE: bundle,
      WORKER_EVENT: JSON.stringify(event),
      WORKER_FUNCTION_ARN: WIRE_FUNCTION_ARN,
      WORKER_REQUEST_ID: `req-${deliveries[0]?.messageId}-${deliveries[0]?.receiveCount}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<BundledRun>((resolve) => {
    child.on("close", (code, signal) => {
      const logs: LogLine[] = [];
      let answer: BundledRun["answer"];
      // Powertools prints warnings and errors to stderr, the rest to stdout.
      for (const line of `${stdout}\n${stderr}`.split("\n")) {
        if (line.startsWith("RESULT ")) answer = JSON.parse(line.slice("RESULT ".length));
        else if (line.trimStart().startsWith("{")) {
          try {
            logs.push(JSON.parse(line) as LogLine);
          } catch {
            // a multi-line log entry's fragment: not needed
          }
        }
      }
      resolve({ answer, logs, signal, code, stderr });
    });
  });
  return { child, done };
}
