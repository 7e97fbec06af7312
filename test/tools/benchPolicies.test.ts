// bench:policies measures each evaluation in a fresh process on copies of the prod stack; these tests hold
// the parts its README section relies on (not its timings, which are a report, not a gate).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyEvaluationResult } from "../../tools/bench/policyEvaluationRun";
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
