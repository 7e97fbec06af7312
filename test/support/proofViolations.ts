import type { AnalyzableResource, Violation } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "./policyHarness";
import { cloneStack } from "./stackEdits";

export const PROOF = "iam-stack-require-export-access-proof";

/** The export access proof's violations on a changed copy of `stack`. */
export async function proofViolations(stack: AnalyzableResource[], change: (copy: AnalyzableResource[]) => void): Promise<Violation[]> {
  const copy = cloneStack(stack);
  change(copy);
  return (await evaluatePack(copy)).filter((v) => v.policy === PROOF);
}

/** The proof rows the violations name, in report order. */
export const rowsOf = (violations: Violation[]) =>
  violations.map((v) => /^Expected (?:allowed|denied): \[([a-z0-9-]+)\]/.exec(v.message)?.[1]);
