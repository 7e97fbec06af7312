// bench:policies measures each evaluation in a fresh process on copies of the prod stack; these tests hold
// the parts its README section relies on (not its timings, which are a report, not a gate).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyEvaluationResult } from "../../tools/bench/policyEvaluationRun";
import { type SizeMeasurements, scalingVerdict } from "../../tools/bench/scalingVerdict";
import { checkUnique, STACK_TYPE, stackOfCopies } from "../../tools/bench/stackCopies";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated } from "../../tools/engine/policyAnalysis";
import { runTool, TOOL_TIMEOUT_MS } from "../support/runTool";

let prod: AnalyzableResource[];
let stackFile: string;

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
  stackFile = join(mkdtempSync(join(tmpdir(), "bench-policies-")), "prod-stack.json");
  writeFileSync(stackFile, JSON.stringify(prod));
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

function measureInChild(pack: "pack" | "baseline", copies: number): PolicyEvaluationResult {
  const run = spawnSync(
    process.execPath,
    ["-r", "./tools/loader/register.js", "tools/bench/policyEvaluationRun.ts", JSON.stringify({ stackFile, copies, pack })],
    { cwd: PROJECT_DIR, encoding: "utf8", timeout: TOOL_TIMEOUT_MS },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim()) as PolicyEvaluationResult;
}

describe("the synthetic stacks of bench:policies", () => {
  it("give every copy its own identifiers, the warm-up's copies included", () => {
    const group = prod.filter((r) => r.type !== STACK_TYPE).length;
    const measured = stackOfCopies(prod, 3);
    const warmUp = stackOfCopies(prod, 4, 1_000_000).filter((r) => r.type !== STACK_TYPE);
    expect(measured).toHaveLength(prod.length + 2 * group);
    expect(() => checkUnique([...measured, ...warmUp])).not.toThrow();
    expect(() => checkUnique([...measured, ...stackOfCopies(prod, 1, 2).filter((r) => r.type !== STACK_TYPE)])).toThrow(/share/);
  });
});

describe("one measured evaluation", () => {
  it(
    "runs the whole pack in a process of its own and reports time, CPU, GC and no diagnostic on copies of prod",
    () => {
      const result = measureInChild("pack", 2);
      expect(result.resources).toBe(prod.length + (prod.length - 1));
      expect(result.diagnostics).toBe(0);
      expect(result.ms).toBeGreaterThan(0);
      expect(result.cpuMs).toBeGreaterThan(0);
      expect(result.gcMs).toBeGreaterThanOrEqual(0);
      // The stack policies' own time is part of the evaluation, and only part (the handlers deserialize besides).
      expect(result.stackPoliciesMs).toBeGreaterThan(0);
      expect(result.stackPoliciesMs).toBeLessThan(result.ms);
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "runs the no-op baseline on the same stack",
    () => {
      const result = measureInChild("baseline", 2);
      expect(result.resources).toBe(2 * prod.length - 1);
      expect(result.diagnostics).toBe(0);
    },
    TOOL_TIMEOUT_MS,
  );
});

describe("bench:policies' command line", () => {
  it("refuses a size that is not a whole number, naming the flag, before measuring anything", () => {
    const run = runTool("bench:policies", ["--sizes", "1k"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--sizes takes whole numbers of at least 100; got "1k"/);
  });
});

/** Runs of one size: wall times in ms, each process given `share` of a core. */
function runsOf(size: number, pack: number[], baseline: number[], share = 1): SizeMeasurements {
  const result = (ms: number): PolicyEvaluationResult => ({
    resources: size,
    ms,
    cpuMs: ms * share,
    diagnostics: 0,
    gcMs: 0,
    maxRssMiB: 0,
    stackPoliciesMs: 0,
  });
  return { size, pack: pack.map(result), baseline: baseline.map(result) };
}

describe("bench:policies' verdict, on median wall times", () => {
  it("meets the targets when the pack is within 2x the baseline at 20k and scales at most 2.2 beside a baseline at most 2.1", () => {
    expect(scalingVerdict([runsOf(10_000, [15, 10, 11], [8, 8, 9]), runsOf(20_000, [21, 22, 40], [15, 16, 30])])).toEqual({
      missed: [],
      scalingMet: "t(20k)/t(10k) = 2.00 <= 2.2 with the baseline at 2.00 (<= 2.1)",
    });
  });

  it("misses the ratio target above 2x the baseline at 20k, and the scaling target above 2.2", () => {
    const { missed, unjudged } = scalingVerdict([runsOf(10_000, [10], [8]), runsOf(20_000, [40], [16])]);
    expect(unjudged).toBeUndefined();
    expect(missed).toEqual(["20000 resources: 2.50x the baseline (target <= 2x)", "t(20k)/t(10k) = 4.00 (target <= 2.2)"]);
  });

  it("does not judge the scaling either way when the baseline itself scaled above 2.1", () => {
    const above = scalingVerdict([runsOf(10_000, [10], [8]), runsOf(20_000, [30], [17.6])]);
    expect(above.missed).toEqual([]);
    expect(above.unjudged).toMatch(/^the baseline scaled 2\.20 \(> 2\.1\)/);
    // A pack within 2.2 beside that baseline is not counted as met: what moved the baseline can flatter it.
    const within = scalingVerdict([runsOf(10_000, [10], [8]), runsOf(20_000, [20], [17.6])]);
    expect(within.scalingMet).toBeUndefined();
    expect(within.unjudged).toMatch(/^the baseline scaled 2\.20 \(> 2\.1\)/);
  });

  it("does not judge the scaling when a measured process got under 80% of a core, however good the wall times look", () => {
    const { missed, unjudged } = scalingVerdict([runsOf(10_000, [10], [8]), runsOf(20_000, [10.2], [8.6], 0.4)]);
    expect(missed).toEqual([]);
    expect(unjudged).toMatch(/^a measured process got as little as 40% of a core/);
  });

  it("judges only the ratio when 10k or 20k was not measured", () => {
    expect(scalingVerdict([runsOf(1_000, [10], [1]), runsOf(2_000, [30], [2])]).unjudged).toMatch(/defined at 10k and 20k/);
  });
});
