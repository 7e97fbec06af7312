import type { PolicyResource } from "@pulumi/policy";
import { archiveRows } from "./archiveRequests";
import { bulkReaderRows } from "./bulkReaderRequests";
import { buildExportAccessModel, type ExportAccessModel } from "./exportAccessModel";
import { landingRows } from "./landingRequests";
import { lockRows } from "./lockRequests";
import { pipelineRows } from "./pipelineRequests";
import { ALLOW_EVERYTHING, describeRow, type ProofRow } from "./proofRow";
import { allPowerfulVerdictFrom, type SimulatedRequest, type SimulationVerdict, type Simulator, simulator } from "./simulator";

/** A row as `check` and the violations show it. */
export type ProofCheck = ProofRow & { what: string };

/** One evaluation of a row: as its real principal, or as that principal holding `*`. */
export interface ProofEvaluation {
  as: "real principal" | "all-powerful twin";
  verdict: SimulationVerdict;
  passed: boolean;
}

export interface ProofResult {
  check: ProofCheck;
  evaluations: ProofEvaluation[];
  /** Every evaluation as expected. */
  passed: boolean;
  /** The evaluation that decided the result: the first that failed, else the first. */
  verdict: SimulationVerdict;
}

export interface ExportAccessProof {
  archive: string;
  results: ProofResult[];
  gaps: string[];
}

/** Every row of the proof for one archive, in table order. */
function rowsOf(model: ExportAccessModel, genesysAccountIds: string[]): ProofRow[] {
  return [
    ...archiveRows(model),
    ...lockRows(model),
    ...pipelineRows(model, genesysAccountIds),
    ...landingRows(model, genesysAccountIds),
    ...bulkReaderRows(model),
  ];
}

/** Every row of the proof, archive by archive. */
export function proofRows(
  resources: PolicyResource[],
  genesysAccountIds: string[],
): { archive: string; rows: ProofRow[]; gaps: string[] }[] {
  return buildExportAccessModel(resources).map((model) => ({
    archive: model.archive.bucket.name,
    rows: rowsOf(model, genesysAccountIds),
    gaps: model.gaps,
  }));
}

/**
 * The requests of one row: as its real principal, and, for a must-deny row, as
 * that principal holding `*` (only the resource policies decide), each with
 * the keys AWS puts on every signed request.
 */
export function rowRequests(row: ProofRow): [ProofEvaluation["as"], SimulatedRequest][] {
  const requests: [ProofEvaluation["as"], SimulatedRequest][] = [["real principal", withRequestContext(row.request)]];
  if (row.alsoAllPowerful)
    requests.push([
      "all-powerful twin",
      withRequestContext({ ...row.request, identityPolicies: [ALLOW_EVERYTHING], resourcePolicy: row.twinResourcePolicy }),
    ]);
  return requests;
}

/**
 * Keys AWS puts on every signed request that the simulator does not derive by
 * itself: without aws:PrincipalArn an ArnNotEquals exemption would misfire.
 * A row's own context (plain HTTP, say) wins.
 */
function withRequestContext(request: SimulatedRequest): SimulatedRequest {
  const account = request.principal.split(":")[4] ?? "";
  const principalKeys: Record<string, string> = request.principal.startsWith("arn:")
    ? { "aws:PrincipalArn": request.principal, "aws:PrincipalAccount": account }
    : {};
  return { ...request, context: { ...principalKeys, "aws:SecureTransport": "true", ...request.context } };
}

const meets = (expect: ProofRow["expect"], verdict: SimulationVerdict) =>
  expect === "Allowed" ? verdict.outcome === "Allowed" : verdict.outcome === "ExplicitlyDenied" || verdict.outcome === "ImplicitlyDenied";

/**
 * The all-powerful twin's verdict when the real principal's already decides
 * it: the twin is judged against the same resource policy, which denied the
 * real request by an explicit statement (simulator.ts says why that decides).
 */
export function twinVerdictFollowing(row: ProofRow, real: SimulationVerdict): SimulationVerdict | undefined {
  return row.twinResourcePolicy === row.request.resourcePolicy ? allPowerfulVerdictFrom(real) : undefined;
}

async function evaluate(row: ProofRow, simulate: Simulator): Promise<ProofResult> {
  const evaluations: ProofEvaluation[] = [];
  for (const [as, request] of rowRequests(row)) {
    const real = evaluations[0]?.verdict;
    const verdict = (as === "all-powerful twin" && real && twinVerdictFollowing(row, real)) || (await simulate(request));
    evaluations.push({ as, verdict, passed: meets(row.expect, verdict) });
  }
  const decisive = evaluations.find((e) => !e.passed) ?? (evaluations[0] as ProofEvaluation);
  // The reason on a line of its own, indented under the request, so the table stays one request a line.
  const what = `${describeRow(row)}${row.alsoAllPowerful ? ", also as that principal holding *" : ""}\n                  why: ${row.why}`;
  return { check: { ...row, what }, evaluations, passed: decisive.passed, verdict: decisive.verdict };
}

/** Runs the table for every archive of the stack. */
export async function proveExportAccess(resources: PolicyResource[], genesysAccountIds: string[]): Promise<ExportAccessProof[]> {
  const proofs: ExportAccessProof[] = [];
  for (const model of buildExportAccessModel(resources)) {
    // Rows and simulator per archive, so neither outlives it: two archives' requests name different buckets,
    // so a simulator shared between them would find almost nothing to reuse, and hold every answer to the end.
    const simulate = simulator();
    const results: ProofResult[] = [];
    for (const row of rowsOf(model, genesysAccountIds)) results.push(await evaluate(row, simulate));
    proofs.push({ archive: model.archive.bucket.name, results, gaps: model.gaps });
  }
  return proofs;
}

/** A failed row in one sentence: which row, as whom, what happened, what decided it, and the fix. */
export function failureMessage(result: ProofResult): string {
  const { check } = result;
  const failed = result.evaluations.find((e) => !e.passed) ?? result.evaluations[0];
  const as =
    failed?.as === "all-powerful twin"
      ? ` as that principal holding an identity policy that allows *${check.twinResourcePolicy !== check.request.resourcePolicy ? " (and the key policy delegating to the account)" : ""}`
      : "";
  const why = result.verdict.reasons.length > 0 ? result.verdict.reasons.join("; ") : "every policy allows it";
  return `Expected ${check.expect.toLowerCase()}: ${describeRow(check)}${as} was ${result.verdict.outcome} (${why}); it must be ${check.expect.toLowerCase()} because ${check.why}; ${check.fix}.`;
}
