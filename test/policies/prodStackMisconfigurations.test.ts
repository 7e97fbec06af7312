import { beforeAll, describe, expect, it } from "vitest";
import { allPolicies, PACK_ENFORCEMENT_LEVEL } from "../../policies/pack";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { misconfigure, PROD_MISCONFIGURATIONS } from "../support/prodMisconfigurations";

// The export access proof cross-checks many rows too (its own corpus is exportAccessProof.test.ts): it
// may join any row's verdict, and must be alone only on a row that names it.
const PROOF = "iam-stack-require-export-access-proof";

let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

describe("the pack on the shipped prod stack", () => {
  it("finds no violation at all, not even an advisory one", async () => {
    expect(await evaluatePack(prod)).toEqual([]);
  });
});

describe("the misconfiguration corpus", () => {
  it("names each case once and only policies of the pack", () => {
    const cases = PROD_MISCONFIGURATIONS.map((m) => m.case);
    expect(new Set(cases).size).toBe(cases.length);
    const packed = new Set(allPolicies.map((p) => p.name));
    expect(PROD_MISCONFIGURATIONS.map((m) => m.policy).filter((p) => !packed.has(p))).toEqual([]);
  });

  it("catches a mistake for every mandatory policy of the pack", () => {
    const covered = new Set(PROD_MISCONFIGURATIONS.map((m) => m.policy));
    const mandatory = allPolicies.filter((p) => (p.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL) === "mandatory");
    expect(mandatory.length).toBeGreaterThan(50);
    expect(mandatory.map((p) => p.name).filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe("the pack on misconfigured copies of the prod stack: one change, one violation, by the intended policy", () => {
  it.each(PROD_MISCONFIGURATIONS.map((m) => [m.case, m.policy, m] as const))("%s -> %s", async (_case, policy, { change }) => {
    const changed = misconfigure(prod, change);
    const violations = (await evaluatePack(changed)).filter((v) => policy === PROOF || v.policy !== PROOF);
    expect(violations.map((v) => v.policy)).toEqual([policy]);
    expect(violations[0]?.enforcementLevel).toBe("mandatory");
    expect(violations[0]?.message).toMatch(/; /);
  });
});
