import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { misconfigure, PROD_MISCONFIGURATIONS } from "../support/prodMisconfigurations";

let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

describe("the pack on the shipped prod stack", () => {
  it("finds no violation at all", async () => {
    expect(await evaluatePack(prod)).toEqual([]);
  });
});

describe("the pack on misconfigured copies of the prod stack: one change, one violation, by the intended policy", () => {
  it("covers at least 30 misconfigurations", () => {
    expect(PROD_MISCONFIGURATIONS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(PROD_MISCONFIGURATIONS)("%s -> %s", async (_description, policy, change) => {
    const changed = misconfigure(prod, change);
    // The export access proof cross-checks many of these too; its own corpus is exportAccessProof.test.ts.
    const violations = (await evaluatePack(changed)).filter((v) => v.policy !== "iam-stack-require-export-access-proof");
    expect(violations.map((v) => v.policy)).toEqual([policy]);
    expect(violations[0]?.enforcementLevel).toBe("mandatory");
    expect(violations[0]?.message).toMatch(/; /);
  });
});
