// One measured evaluation of bench:policies, in a process of its own (started by benchPolicies.ts with
// the same Node flags for the pack and the baseline): nothing a previous measurement compiled, cached or
// left on the heap is billed to, or credited to, this one.
//
//   node <flags> -r ./tools/loader/register.js tools/bench/policyEvaluationRun.ts '<PolicyEvaluationRequest JSON>'
//
// Reads the prod stack's resources from the file the parent wrote, builds `copies` copies of it, warms the
// code paths up on a small stack of other copies (so no result the warm-up caches is reused), collects
// garbage, then times one analyze() of the whole stack and prints a PolicyEvaluationResult as JSON on stdout.
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Policies } from "@pulumi/policy";
import { allPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { type AnalyzableResource, analyze, type PolicyPackDefinition } from "../engine/policyAnalysis";
import { stackOfCopies } from "./stackCopies";

export interface PolicyEvaluationRequest {
  /** A JSON file holding the prod stack's resources (AnalyzableResource[]). */
  stackFile: string;
  copies: number;
  pack: "pack" | "baseline";
}

export interface PolicyEvaluationResult {
  resources: number;
  ms: number;
  diagnostics: number;
  /** CPU time of the process (all threads: the collector's helpers too) during the measured evaluation. */
  cpuMs: number;
  /** Time V8 reported in garbage collections during the measured evaluation. */
  gcMs: number;
  /** Peak resident set size of the process (stack construction included). */
  maxRssMiB: number;
  /** Wall time inside the stack policies' validateStack, GC pauses during it included (the handlers' deserializing excluded). */
  stackPoliciesMs: number;
}

/** Copies used only to warm up: numbered far beyond any measured stack, so they share no identifier with it. */
const WARM_UP_FIRST_COPY = 1_000_000;
const WARM_UP_COPIES = 4;

/** As many policies of the same kinds as the pack, each doing nothing: the cost of the analyzer handlers themselves. */
export function noOpPack(): PolicyPackDefinition {
  const policies: Policies = allPolicies.map((p, i) =>
    "validateStack" in p
      ? { name: `noop-stack-${i}`, description: "Does nothing.", validateStack: () => {} }
      : { name: `noop-resource-${i}`, description: "Does nothing.", validateResource: () => {} },
  );
  return { name: "noop", version: "0.0.0", enforcementLevel: PACK_ENFORCEMENT_LEVEL, policies };
}

export const realPack: PolicyPackDefinition = {
  name: PACK_NAME,
  version: PACK_VERSION,
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  policies: allPolicies,
};

/**
 * The pack with each stack policy's validateStack timed, adding into `elapsed.ms`: what the pack's own stack
 * work costs, apart from the handlers deserializing the stack for it. A timer call per policy, nothing per resource.
 */
function withStackPolicyTimer(pack: PolicyPackDefinition, elapsed: { ms: number }): PolicyPackDefinition {
  const policies = pack.policies.map((policy) => {
    if (!("validateStack" in policy)) return policy;
    const validateStack: typeof policy.validateStack = async (args, report) => {
      const start = performance.now();
      try {
        return await policy.validateStack(args, report);
      } finally {
        elapsed.ms += performance.now() - start;
      }
    };
    // Keep the type the handler reads to skip a policy for a stack without that resource type.
    const typed = (policy.validateStack as { __pulumiType?: string }).__pulumiType;
    if (typed !== undefined) Object.assign(validateStack, { __pulumiType: typed });
    return { ...policy, validateStack };
  });
  return { ...pack, policies };
}

/** A full collection, so the measurement starts from the same heap for the pack and the baseline. */
const collectGarbage: () => void = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/**
 * BENCH_CPU_PROFILE_DIR=<dir>: a V8 CPU profile of the measured evaluation only (not the start-up,
 * stack building or warm-up), written there as <pack>-<resources>-<pid>.cpuprofile.
 */
async function startProfiler(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(name) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function measure(request: PolicyEvaluationRequest): Promise<PolicyEvaluationResult> {
  const prod = JSON.parse(readFileSync(request.stackFile, "utf8")) as AnalyzableResource[];
  const stackPolicies = { ms: 0 };
  const pack = withStackPolicyTimer(request.pack === "pack" ? realPack : noOpPack(), stackPolicies);
  await analyze(stackOfCopies(prod, WARM_UP_COPIES, WARM_UP_FIRST_COPY), pack);
  const stack = stackOfCopies(prod, request.copies);
  collectGarbage();

  const gcPauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ["gc"] });
  const profiler = await startProfiler();
  stackPolicies.ms = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const diagnostics = await analyze(stack, pack);
  const end = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  await profiler?.stop(`${request.pack}-${stack.length}`);
  // GC entries are delivered asynchronously: let the last ones arrive before reading them.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  const gcMs = gcPauses.filter((p) => p.start >= start && p.start <= end).reduce((sum, p) => sum + p.duration, 0);
  return {
    resources: stack.length,
    ms: end - start,
    cpuMs: (cpu.user + cpu.system) / 1000,
    diagnostics: diagnostics.length,
    gcMs,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    stackPoliciesMs: stackPolicies.ms,
  };
}

if (require.main === module) {
  measure(JSON.parse(process.argv[2] ?? "") as PolicyEvaluationRequest).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
