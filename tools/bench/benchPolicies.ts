// npm run bench:policies [-- --sizes 1000,10000,20000] [-- --runs 3] [-- --semi-space-mib 64]
// BENCH_CPU_PROFILE_DIR=/tmp/prof npm run bench:policies ...   (a CPU profile of each measured evaluation)
//
// How the policy pack scales with the size of a stack. Builds synthetic
// stacks of about 1k, 10k and 20k resources by copying the resources of the
// prod stack (run once under the mock runtime; tools/bench/stackCopies.ts):
// each copy is a whole group (evidence bucket and its configurations,
// access-log bucket, KMS keys, roles and role policies, Lambda functions, log
// groups, queues, event source mapping, Genesys integration, credential,
// action, OAuth client and auth role) with its own URNs, names, ARNs and ids,
// and propertyDependencies that link within the copy. Each stack is evaluated
// by the whole pack through @pulumi/policy's analyzer handlers (tools/engine/
// policyAnalysis.ts), and by a baseline pack of as many policies of the same
// kinds that do nothing: the baseline is the cost of the handlers themselves
// (they deserialize every resource for every policy).
//
// Every measurement is one evaluation in a fresh Node process
// (policyEvaluationRun.ts), as the engine runs a pack once per operation:
// nothing compiled, cached (the proof's simulations) or left on the heap by
// one measurement reaches another. The pack and the baseline get identical
// Node flags (a fixed young generation: --min-semi-space-size and
// --max-semi-space-size both 64 MiB; a 4 GiB old-space limit), a warm-up on other copies and a full collection before
// the timer starts. Rounds run every size, pack and baseline alternating
// which goes first, so a change in the machine's load moves both alike; the
// medians count.
//
// A report, not a gate: it exits 0 and prints "TARGET MISSED" when the pack
// takes more than 2x the baseline at 20k resources (median wall times), or
// t(20k)/t(10k) exceeds 2.2 while the baseline in the same run scaled at most
// 2.1 (a baseline that scales worse means the machine's load or the collector
// moved the run, and the pack's scaling is not judged on it either way: run it
// again).
// Nor is it judged when a measured process got less than 80% of a core (CPU
// time over wall time): its wall time then measured the scheduler. CPU times
// (all threads, the collector's helpers included) are printed beside wall
// times as a second reading, never used for the verdict.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { allPolicies } from "../../policies/pack";
import { PROJECT_DIR, runStackUnderMocks } from "../engine/mockRuntime";
import { analyze, fromSimulated } from "../engine/policyAnalysis";
import type { PolicyEvaluationRequest, PolicyEvaluationResult } from "./policyEvaluationRun";
import { realPack } from "./policyEvaluationRun";
import { MAX_RATIO_TO_BASELINE, median, type SizeMeasurements, scalingVerdict } from "./scalingVerdict";
import { STACK_TYPE, stackOfCopies } from "./stackCopies";

const DEFAULT_SIZES = [1_000, 10_000, 20_000];
/** Measured runs per size when --runs is not given (the median counts). */
const defaultRuns = (size: number) => (size <= 2_000 ? 5 : 3);
/** V8's semi-space for every measured process, MiB, as both minimum and maximum: one fixed young generation,
 * the same for pack and baseline, instead of one V8 sizes by its own heuristics in each. */
const DEFAULT_SEMI_SPACE_MIB = 64;
const OLD_SPACE_MIB = 4096;

interface Options {
  sizes: number[];
  runs?: number;
  semiSpaceMiB: number;
}

function usage(message: string): never {
  process.stderr.write(`bench:policies: ${message}\n`);
  process.exit(2);
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: "string" }, runs: { type: "string" }, "semi-space-mib": { type: "string" } },
    strict: true,
  });
  const whole = (text: string, flag: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) usage(`${flag} takes whole numbers of at least ${min}; got "${text}"`);
    return n;
  };
  return {
    sizes: values.sizes === undefined ? DEFAULT_SIZES : values.sizes.split(",").map((s) => whole(s.trim(), "--sizes", 100)),
    runs: values.runs === undefined ? undefined : whole(values.runs, "--runs", 1),
    semiSpaceMiB: values["semi-space-mib"] === undefined ? DEFAULT_SEMI_SPACE_MIB : whole(values["semi-space-mib"], "--semi-space-mib", 1),
  };
}

/** One measurement in a fresh process; the child prints its PolicyEvaluationResult as JSON. */
function runMeasurement(request: PolicyEvaluationRequest, options: Options): Promise<PolicyEvaluationResult> {
  const args = [
    `--min-semi-space-size=${options.semiSpaceMiB}`,
    `--max-semi-space-size=${options.semiSpaceMiB}`,
    `--max-old-space-size=${OLD_SPACE_MIB}`,
    "-r",
    "./tools/loader/register.js",
    "tools/bench/policyEvaluationRun.ts",
    JSON.stringify(request),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-10_000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`measurement ${JSON.stringify(request)} exited ${code}:\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as PolicyEvaluationResult);
    });
  });
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const load = () => loadavg()[0]?.toFixed(2) ?? "?";

interface SizeRuns extends SizeMeasurements {
  copies: number;
  runs: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const run = await runStackUnderMocks(PROJECT_DIR, "prod");
  const prod = run.resources.map(fromSimulated);
  const groupSize = prod.filter((r) => r.type !== STACK_TYPE).length;
  const rootSize = prod.length - groupSize;
  const stackFile = join(PROJECT_DIR, "build", "bench", "prod-stack.json");
  mkdirSync(join(PROJECT_DIR, "build", "bench"), { recursive: true });
  writeFileSync(stackFile, JSON.stringify(prod));
  const groupDiagnostics = (await analyze(stackOfCopies(prod, 1), realPack)).length;
  console.log(
    `Policy pack scaling: ${allPolicies.length} policies (${allPolicies.filter((p) => "validateStack" in p).length} stack policies); one group = ${groupSize} resources of the prod stack, ${groupDiagnostics} diagnostics per group.`,
  );
  console.log(
    `Each measurement: a fresh process, node --min-semi-space-size=${options.semiSpaceMiB} --max-semi-space-size=${options.semiSpaceMiB} --max-old-space-size=${OLD_SPACE_MIB}, warm-up on other copies, full GC, one evaluation. Load average at start: ${load()}.`,
  );

  const sizes: SizeRuns[] = options.sizes.map((size) => ({
    size,
    copies: Math.max(1, Math.round((size - rootSize) / groupSize)),
    runs: options.runs ?? defaultRuns(size),
    pack: [],
    baseline: [],
  }));
  const rounds = Math.max(...sizes.map((s) => s.runs));
  const loads: string[] = [load()];
  for (let round = 0; round < rounds; round++) {
    for (const s of sizes) {
      if (round >= s.runs) continue;
      // Alternate which goes first, so neither always runs on the other's wake (page cache, CPU boost).
      const order: PolicyEvaluationRequest["pack"][] = round % 2 === 0 ? ["pack", "baseline"] : ["baseline", "pack"];
      for (const pack of order) {
        const result = await runMeasurement({ stackFile, copies: s.copies, pack }, options);
        s[pack].push(result);
        process.stderr.write(
          `round ${round + 1}/${rounds}: ${result.resources} resources, ${pack} ${fmt(result.ms)} (gc ${fmt(result.gcMs)}), load ${load()}\n`,
        );
      }
    }
    loads.push(load());
  }

  const medians = new Map<
    number,
    { resources: number; pack: number; baseline: number; packCpu: number; baselineCpu: number; stackPolicies: number }
  >();
  for (const s of sizes) {
    const resources = s.pack[0]?.resources ?? 0;
    const sizeMedians = {
      resources,
      pack: median(s.pack.map((r) => r.ms)),
      baseline: median(s.baseline.map((r) => r.ms)),
      packCpu: median(s.pack.map((r) => r.cpuMs)),
      baselineCpu: median(s.baseline.map((r) => r.cpuMs)),
      stackPolicies: median(s.pack.map((r) => r.stackPoliciesMs)),
    };
    medians.set(s.size, sizeMedians);
    const { pack, baseline, packCpu, baselineCpu, stackPolicies } = sizeMedians;
    const diagnostics = s.pack[0]?.diagnostics ?? 0;
    const ratio = pack / baseline;
    console.log(
      [
        `${String(resources).padStart(6)} resources (${s.copies} groups, ${s.runs} runs):`,
        `pack ${fmt(pack)} (${((pack * 1000) / resources).toFixed(1)} µs/resource, gc ${fmt(median(s.pack.map((r) => r.gcMs)))}),`,
        `baseline ${fmt(baseline)} (${((baseline * 1000) / resources).toFixed(1)} µs/resource, gc ${fmt(median(s.baseline.map((r) => r.gcMs)))}),`,
        `ratio ${ratio.toFixed(2)}x (CPU time: pack ${fmt(packCpu)}, baseline ${fmt(baselineCpu)});`,
        `inside the pack's stack policies ${fmt(stackPolicies)};`,
        `${diagnostics} diagnostics;`,
        `peak rss pack ${Math.max(...s.pack.map((r) => r.maxRssMiB)).toFixed(0)} MiB, baseline ${Math.max(...s.baseline.map((r) => r.maxRssMiB)).toFixed(0)} MiB`,
      ].join(" "),
    );
    if (diagnostics !== s.copies * groupDiagnostics) {
      console.log(`  note: expected ${s.copies * groupDiagnostics} diagnostics (${groupDiagnostics} per group), got ${diagnostics}`);
    }
  }
  console.log(`load average (1 min) after each round: ${loads.join(", ")}`);

  const r10 = medians.get(10_000);
  const r20 = medians.get(20_000);
  const [small, large] = r10 && r20 ? [r10, r20] : [...medians.values()].slice(-2);
  if (small && large && small !== large) {
    console.log(
      `scaling t(${large.resources})/t(${small.resources}): pack ${(large.pack / small.pack).toFixed(2)}, baseline ${(large.baseline / small.baseline).toFixed(2)} (resources ${(large.resources / small.resources).toFixed(2)}x); in CPU time: pack ${(large.packCpu / small.packCpu).toFixed(2)}, baseline ${(large.baselineCpu / small.baselineCpu).toFixed(2)}; inside the pack's stack policies ${(large.stackPolicies / small.stackPolicies).toFixed(2)}`,
    );
  }
  const { missed, unjudged, scalingMet } = scalingVerdict(sizes);
  if (unjudged) console.log(`NOT JUDGED: ${unjudged}`);
  if (missed.length === 0 && medians.has(20_000))
    console.log(`targets met: pack <= ${MAX_RATIO_TO_BASELINE}x baseline at 20k${scalingMet ? `; ${scalingMet}` : ""}`);
  for (const line of missed) console.log(`TARGET MISSED: ${line}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
