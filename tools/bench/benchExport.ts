import { type ChildProcess, fork, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { bundleHandler } from "../../components/lambdaBundle";
import { parseEnvelope } from "../../lambda/custody/dsse";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { startWireEnvironment, WIRE_BUCKET } from "../testkit/wire/environment";
import { mediaSha256 } from "../testkit/wire/media";

/**
 * npm run bench:export [-- --max-size <MB>] [-- --repeats <n>]
 * BENCH_CPU_PROFILE_DIR=/tmp/prof npm run bench:export ...   (CPU profiles of the measured children)
 *
 * Streams generated media (10 MB, 100 MB, 1 GB; deterministic, generated on
 * the fly, never stored at the source) from a loopback "CDN" through the real
 * worker (the esbuild bundle that ships, run by its handler in a bare Node
 * process, as Lambda does) into a local S3 endpoint: s3rver behind the Object
 * Lock proxy of the wire tests (test/support/wire). In the same run, a
 * baseline copies the same bytes from the same source into the same endpoint
 * with a raw streaming GET → PUT. Prints throughput, the ratio to the baseline
 * and peak RSS per size, then the size and cold `require` time of each bundle.
 *
 * Processes: the servers (s3rver, proxy, fake Genesys, CDN) run in one child;
 * each measurement runs in a fresh child, so its peak RSS (getrusage maxRSS)
 * is its own. The baseline writes to a bucket without Object Lock, because a
 * raw copy sends no checksum and S3 refuses an Object Lock write without one;
 * the proxy still computes the CRC32 of both bodies (natively), so the sink
 * does the same work per byte. Each measurement child first runs a 1 KB warm-up, so the
 * numbers are steady-state throughput, not cold start.
 *
 * Targets: worker ≥ 0.8× baseline throughput; peak RSS growth from 10 MB to
 * 1 GB ≤ 64 MB; each bundle ≤ 600 KB and cold init ≤ 150 ms.
 */

const MB = 1_000_000;
const ALL_SIZES_MB = [10, 100, 1000];
const BASELINE_BUCKET = "bench-baseline";
const WARMUP_BYTES = 1024;
const CHILD_TIMEOUT_MS = 15 * 60_000;
const COLD_REQUIRE_RUNS = 5;
const TARGETS = { ratio: 0.8, rssGrowthMB: 64, bundleKB: 600, coldInitMs: 150 };

interface Recording {
  conversationId: string;
  recordingId: string;
  bytes: number;
  seed: string;
}

interface InfraReady {
  type: "ready";
  workerEnv: Record<string, string>;
  cdnOrigin: string;
  s3Endpoint: string;
  s3Directory: string;
}

interface ChildResult {
  runs: Array<{ ms: number; failures: number }>;
  maxRssKB: number;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Children that run as bare Node (no TypeScript loader), so their RSS and timings are the shipped code's.

/** Invokes the bundled worker handler once per job (the first is the warm-up). */
const WORKER_CHILD = `
const { performance } = require("node:perf_hooks");
const config = JSON.parse(process.env.BENCH_CHILD_CONFIG);
(async () => {
  const { handler } = require(config.bundle);
  const runs = [];
  for (const job of config.jobs) {
    const record = {
      messageId: job.jobId, receiptHandle: "rh-" + job.jobId, body: JSON.stringify(job),
      attributes: { ApproximateReceiveCount: "1" }, messageAttributes: {}, md5OfBody: "",
      eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:eu-west-2:111122223333:bench", awsRegion: "eu-west-2",
    };
    const context = {
      callbackWaitsForEmptyEventLoop: true, functionName: "bench-worker", functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:eu-west-2:111122223333:function:bench-worker", memoryLimitInMB: "1024",
      awsRequestId: job.jobId, logGroupName: "bench", logStreamName: "bench", getRemainingTimeInMillis: () => 900000,
      done() {}, fail() {}, succeed() {},
    };
    const started = performance.now();
    const answer = await handler({ Records: [record] }, context);
    runs.push({ ms: performance.now() - started, failures: answer.batchItemFailures.length });
  }
  process.send({ runs, maxRssKB: process.resourceUsage().maxRSS }, () => process.exit(0));
})().catch((error) => process.send({ runs: [], maxRssKB: 0, error: String(error && error.stack || error) }, () => process.exit(1)));
`;

/** Copies each source URL to its target URL: GET piped into a PUT with the same Content-Length, nothing else. */
const BASELINE_CHILD = `
const http = require("node:http");
const { performance } = require("node:perf_hooks");
const config = JSON.parse(process.env.BENCH_CHILD_CONFIG);
const copy = (source, target) => new Promise((resolve, reject) => {
  http.get(source, (download) => {
    if (download.statusCode !== 200) return reject(new Error("source answered " + download.statusCode));
    const upload = http.request(target, {
      method: "PUT",
      headers: { "content-length": download.headers["content-length"], "content-type": "application/octet-stream" },
    }, (answer) => {
      answer.resume();
      answer.on("end", () => answer.statusCode === 200 ? resolve() : reject(new Error("sink answered " + answer.statusCode)));
    });
    upload.on("error", reject);
    download.on("error", reject);
    download.pipe(upload);
  }).on("error", reject);
});
(async () => {
  const runs = [];
  for (const { source, target } of config.copies) {
    const started = performance.now();
    await copy(source, target);
    runs.push({ ms: performance.now() - started, failures: 0 });
  }
  process.send({ runs, maxRssKB: process.resourceUsage().maxRSS }, () => process.exit(0));
})().catch((error) => process.send({ runs: [], maxRssKB: 0, error: String(error && error.stack || error) }, () => process.exit(1)));
`;

/** Times require() of a bundle in a fresh process: the module-level init Lambda runs at cold start. */
const COLD_REQUIRE_CHILD = `
const started = process.hrtime.bigint();
require(process.env.BENCH_BUNDLE);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms }), () => process.exit(0));
`;

function runBareChild(script: string, env: Record<string, string>, config: unknown): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROFILE_DIR=<dir> writes a V8 CPU profile of each measurement child there (open it in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROFILE_DIR ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROFILE_DIR] : [];
    const child = spawn(process.execPath, [...profile, "-e", script], {
      env: { ...process.env, ...env, BENCH_CHILD_CONFIG: JSON.stringify(config) },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    let result: ChildResult | undefined;
    child.on("message", (message) => {
      result = message as ChildResult;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (result && !result.error && code === 0) resolve(result);
      else reject(new Error(`child failed (exit ${code}): ${result?.error ?? ""}\n${output}`));
    });
  });
}

async function coldRequireMs(bundle: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", COLD_REQUIRE_CHILD], {
      env: { ...process.env, ...env, BENCH_BUNDLE: bundle },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const match = /\{"ms":[0-9.e+-]+\}/.exec(output);
      if (code === 0 && match) resolve((JSON.parse(match[0]) as { ms: number }).ms);
      else reject(new Error(`cold require of ${bundle} failed (exit ${code}): ${output.slice(-2000)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The servers, in their own child (TypeScript, through the commands' loader).

async function runInfra(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_INFRA_CONFIG ?? "{}") as { parentDirectory: string; recordings: Recording[] };
  const wire = await startWireEnvironment({ plainBuckets: [BASELINE_BUCKET], parentDirectory: config.parentDirectory });
  const byConversation = new Map<string, Recording[]>();
  for (const recording of config.recordings) {
    byConversation.set(recording.conversationId, [...(byConversation.get(recording.conversationId) ?? []), recording]);
  }
  for (const [id, recordings] of byConversation) {
    wire.genesys.addConversation({ id, recordings: recordings.map((r) => ({ id: r.recordingId, bytes: r.bytes, seed: r.seed })) });
  }
  const ready: InfraReady = {
    type: "ready",
    workerEnv: wire.workerEnv,
    cdnOrigin: wire.genesys.cdnOrigin,
    s3Endpoint: wire.s3.endpoint,
    s3Directory: wire.s3.directory,
  };
  process.on("message", (message: { type?: string; keys?: string[] }) => {
    if (message?.type === "stats") {
      // How long s3rver took to assemble each key's parts (CompleteMultipartUpload): a cost of this sink, not of the worker.
      const assemblyMs = (message.keys ?? []).map((key) =>
        wire.s3.proxy.requests
          .filter((r) => r.operation === "CompleteMultipartUpload" && r.key === key)
          .reduce((sum, r) => sum + (r.finishedAt - r.startedAt), 0),
      );
      process.send?.({ type: "stats", assemblyMs });
    }
    if (message?.type === "stop") {
      wire.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  process.send?.(ready);
}

function startInfra(parentDirectory: string, recordings: Recording[]): Promise<{ child: ChildProcess; ready: InfraReady }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ["--infra"], {
      execArgv: ["-r", join(__dirname, "..", "loader", "register.js")],
      env: { ...process.env, BENCH_INFRA_CONFIG: JSON.stringify({ parentDirectory, recordings }) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the servers did not start within 60 s"));
    }, 60_000);
    child.once("message", (message) => {
      clearTimeout(timer);
      resolve({ child, ready: message as InfraReady });
    });
    child.once("exit", (code) => reject(new Error(`the servers' process exited (${code})`)));
  });
}

function assemblyTimes(child: ChildProcess, keys: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the servers did not answer within 10 s")), 10_000);
    const listener = (message: { type?: string; assemblyMs?: number[] }) => {
      if (message?.type !== "stats") return;
      clearTimeout(timer);
      child.off("message", listener);
      resolve(message.assemblyMs ?? []);
    };
    child.on("message", listener);
    child.send({ type: "stats", keys });
  });
}

function stopInfra(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: "stop" });
  });
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.

function parseArgs(argv: string[]): { sizesMB: number[]; repeats: number | undefined } {
  let maxSize = Number.POSITIVE_INFINITY;
  let repeats: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--max-size") {
      const text = value() ?? "";
      const match = /^(\d+(?:\.\d+)?)\s*(mb|m|gb|g)?$/i.exec(text.trim());
      if (!match) throw new Error(`--max-size takes a size in MB (e.g. 100, 100MB, 1GB); got "${text}"`);
      maxSize = Number(match[1]) * (/^g/i.test(match[2] ?? "") ? 1000 : 1);
    } else if (flag === "--repeats") {
      repeats = Number(value());
      if (!Number.isInteger(repeats) || repeats < 1 || repeats > 10) throw new Error("--repeats takes a whole number from 1 to 10");
    } else {
      throw new Error(`unknown option ${argv[i]}; use --max-size <MB> and --repeats <n>`);
    }
  }
  const sizesMB = ALL_SIZES_MB.filter((size) => size <= maxSize);
  if (sizesMB.length === 0) throw new Error(`--max-size ${maxSize} leaves no size to run (sizes: ${ALL_SIZES_MB.join(", ")} MB)`);
  return { sizesMB, repeats };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const label = (sizeMB: number) => (sizeMB >= 1000 ? `${sizeMB / 1000} GB` : `${sizeMB} MB`);
const pad = (text: string, width: number) => text.padStart(width);
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

/** The s3rver file that holds a key's bytes. */
const storedFile = (directory: string, bucket: string, key: string) => {
  const parts = key.split("/");
  const last = parts.pop() ?? "";
  return join(directory, bucket, ...parts, `${last}._S3rver_object`);
};

/** Deletes what a run stored (the bucket folder itself stays, or s3rver forgets the bucket), so 1 GB runs do not pile up on disk. */
function emptyFolder(folder: string): void {
  for (const entry of readdirSync(folder)) rmSync(join(folder, entry), { recursive: true, force: true });
}

interface SizeResult {
  sizeMB: number;
  baselineMBps: number;
  workerMBps: number;
  /** Worker throughput without the time s3rver spent assembling parts (CompleteMultipartUpload). */
  workerExclAssemblyMBps: number;
  workerPeakRssMB: number;
  baselinePeakRssMB: number;
}

async function main(): Promise<void> {
  const { sizesMB, repeats } = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), "bench-export-"));
  console.log(`bench:export  node ${process.version}, ${cpus().length} CPUs, sizes ${sizesMB.map(label).join(", ")}`);

  const bundles = ["intake", "worker"].map((name) => ({
    name,
    ...bundleHandler(name, join(__dirname, "..", "..", "lambda", name, "handler.ts")),
  }));
  const workerBundle = join(bundles[1].directory, "index.js");

  // One conversation per measured export, each with one recording; the baseline copies the same seed's bytes.
  const plan = sizesMB.map((sizeMB) => {
    const count = repeats ?? (sizeMB <= 100 ? 3 : 1);
    const make = (bytes: number, seed: string): Recording => ({ conversationId: randomUUID(), recordingId: "rec-bench", bytes, seed });
    const seed = `bench-${sizeMB}`;
    return {
      sizeMB,
      worker: [make(WARMUP_BYTES, "warmup"), ...Array.from({ length: count }, () => make(sizeMB * MB, seed))],
      baseline: [make(WARMUP_BYTES, "warmup"), ...Array.from({ length: count }, () => make(sizeMB * MB, seed))],
    };
  });
  const { child: infra, ready } = await startInfra(
    workDir,
    plan.flatMap((entry) => [...entry.worker, ...entry.baseline]),
  );

  const results: SizeResult[] = [];
  try {
    for (const entry of plan) {
      const bytes = entry.sizeMB * MB;
      const expectedSha = mediaSha256(`bench-${entry.sizeMB}`, bytes);
      const mediaUri = (r: Recording) => `${ready.cdnOrigin}/media/${r.conversationId}/${r.recordingId}.wav?X-Amz-Signature=bench`;

      const baseline = await runBareChild(
        BASELINE_CHILD,
        {},
        {
          copies: entry.baseline.map((r) => ({
            source: mediaUri(r),
            target: `${ready.s3Endpoint}/${BASELINE_BUCKET}/${r.conversationId}.bin`,
          })),
        },
      );
      for (const r of entry.baseline) {
        const size = statSync(storedFile(ready.s3Directory, BASELINE_BUCKET, `${r.conversationId}.bin`)).size;
        if (size !== r.bytes) throw new Error(`baseline stored ${size} bytes of ${r.bytes}`);
      }
      emptyFolder(join(ready.s3Directory, BASELINE_BUCKET));

      const jobs = entry.worker.map((r) => ({
        jobId: randomUUID(),
        conversationId: r.conversationId,
        caseId: "BENCH",
        requestedAt: new Date().toISOString(),
      }));
      const worker = await runBareChild(
        WORKER_CHILD,
        { ...ready.workerEnv, POWERTOOLS_DEV: "", POWERTOOLS_LOG_LEVEL: "WARN" },
        { bundle: workerBundle, jobs },
      );
      if (worker.runs.some((run) => run.failures > 0)) throw new Error(`the worker reported failures: ${JSON.stringify(worker.runs)}`);
      // The custody record must describe exactly the bytes served, or the run measured something else.
      const measuredKeys = entry.worker.slice(1).map((r) => recordingKey("BENCH", r.conversationId, r.recordingId, "WAV"));
      const assemblyMs = await assemblyTimes(infra, measuredKeys);
      for (const key of measuredKeys) {
        const envelope = parseEnvelope(readFileSync(storedFile(ready.s3Directory, WIRE_BUCKET, custodyRecordKeyFor(key)), "utf8"));
        const { predicate } = JSON.parse(envelope.payloadBytes.toString("utf8")) as { predicate: { bytes: number; sha256: string } };
        if (predicate.bytes !== bytes || predicate.sha256 !== expectedSha) {
          throw new Error(
            `custody record of ${key} says ${predicate.bytes} bytes, sha256 ${predicate.sha256}; expected ${bytes}, ${expectedSha}`,
          );
        }
      }
      emptyFolder(join(ready.s3Directory, WIRE_BUCKET));

      const throughput = (ms: number[]) => bytes / MB / (median(ms) / 1000);
      const measured = (runs: ChildResult["runs"]) => runs.slice(1).map((run) => run.ms);
      const result: SizeResult = {
        sizeMB: entry.sizeMB,
        baselineMBps: throughput(measured(baseline.runs)),
        workerMBps: throughput(measured(worker.runs)),
        workerExclAssemblyMBps: throughput(measured(worker.runs).map((ms, index) => ms - (assemblyMs[index] ?? 0))),
        workerPeakRssMB: worker.maxRssKB / 1024,
        baselinePeakRssMB: baseline.maxRssKB / 1024,
      };
      results.push(result);
      console.log(
        `  ${label(entry.sizeMB)}: baseline ${result.baselineMBps.toFixed(1)} MB/s, worker ${result.workerMBps.toFixed(1)} MB/s ` +
          `(${(result.workerMBps / result.baselineMBps).toFixed(2)}×), worker peak RSS ${result.workerPeakRssMB.toFixed(1)} MB ` +
          `[median of ${entry.worker.length - 1}]`,
      );
    }
  } finally {
    await stopInfra(infra);
    rmSync(workDir, { recursive: true, force: true });
  }

  const coldEnv: Record<string, Record<string, string>> = {
    intake: { EXPORT_QUEUE_URL: "https://sqs.eu-west-2.amazonaws.com/111122223333/legal-hold-export-jobs", AWS_REGION: "eu-west-2" },
    worker: {
      ARCHIVE_BUCKET: "legal-hold-archive",
      ARCHIVE_KMS_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
      SIGNING_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f",
      GENESYS_CREDENTIALS_SECRET_ARN: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-AbCdEf",
      GENESYS_API_BASE_URL: "https://api.euw2.pure.cloud",
      GENESYS_LOGIN_BASE_URL: "https://login.euw2.pure.cloud",
      AWS_REGION: "eu-west-2",
    },
  };
  const bundleRows = [];
  for (const bundle of bundles) {
    const times: number[] = [];
    for (let run = 0; run < COLD_REQUIRE_RUNS; run++)
      times.push(await coldRequireMs(join(bundle.directory, "index.js"), coldEnv[bundle.name]));
    bundleRows.push({ name: bundle.name, kb: bundle.bytes / 1024, medianMs: median(times), minMs: Math.min(...times) });
  }

  console.log("\nExport throughput (steady state; median of the measured runs)");
  console.log(
    `${pad("size", 7)} ${pad("baseline MB/s", 14)} ${pad("worker MB/s", 12)} ${pad("ratio", 6)} ` +
      `${pad("worker peak RSS", 16)} ${pad("baseline peak RSS", 18)} ${pad("ratio excl. s3rver part assembly", 33)}`,
  );
  for (const r of results) {
    console.log(
      `${pad(label(r.sizeMB), 7)} ${pad(r.baselineMBps.toFixed(1), 14)} ${pad(r.workerMBps.toFixed(1), 12)} ` +
        `${pad(`${(r.workerMBps / r.baselineMBps).toFixed(2)}×`, 6)} ${pad(`${r.workerPeakRssMB.toFixed(1)} MB`, 16)} ` +
        `${pad(`${r.baselinePeakRssMB.toFixed(1)} MB`, 18)} ${pad(`${(r.workerExclAssemblyMBps / r.baselineMBps).toFixed(2)}×`, 33)}`,
    );
  }
  console.log(
    "  (the last column leaves out the time s3rver spent concatenating parts on disk, which real S3 does not charge the same way)",
  );
  console.log("\nBundles");
  console.log(`${pad("bundle", 7)} ${pad("size", 10)} ${pad(`cold require (median of ${COLD_REQUIRE_RUNS})`, 28)} ${pad("min", 9)}`);
  for (const b of bundleRows) {
    console.log(
      `${pad(b.name, 7)} ${pad(`${b.kb.toFixed(1)} KB`, 10)} ${pad(`${b.medianMs.toFixed(1)} ms`, 28)} ${pad(`${b.minMs.toFixed(1)} ms`, 9)}`,
    );
  }

  console.log("\nTargets");
  for (const r of results) {
    const ratio = r.workerMBps / r.baselineMBps;
    console.log(`  ${label(r.sizeMB)} throughput ≥ ${TARGETS.ratio}× baseline: ${ratio.toFixed(2)}× ${verdict(ratio >= TARGETS.ratio)}`);
  }
  const smallest = results.find((r) => r.sizeMB === 10);
  const largest = results.find((r) => r.sizeMB === 1000);
  if (smallest && largest) {
    const growth = largest.workerPeakRssMB - smallest.workerPeakRssMB;
    console.log(
      `  peak RSS growth 10 MB → 1 GB ≤ ${TARGETS.rssGrowthMB} MB: ${growth.toFixed(1)} MB ${verdict(growth <= TARGETS.rssGrowthMB)}`,
    );
  } else {
    const last = results.at(-1);
    if (smallest && last && last !== smallest) {
      console.log(
        `  peak RSS growth 10 MB → ${label(last.sizeMB)}: ${(last.workerPeakRssMB - smallest.workerPeakRssMB).toFixed(1)} MB (the 1 GB target needs the full run)`,
      );
    }
  }
  for (const b of bundleRows) {
    console.log(`  ${b.name} bundle ≤ ${TARGETS.bundleKB} KB: ${b.kb.toFixed(1)} KB ${verdict(b.kb <= TARGETS.bundleKB)}`);
    console.log(
      `  ${b.name} cold init ≤ ${TARGETS.coldInitMs} ms: ${b.medianMs.toFixed(1)} ms ${verdict(b.medianMs <= TARGETS.coldInitMs)}`,
    );
  }
}

if (process.argv.includes("--infra")) {
  runInfra().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
