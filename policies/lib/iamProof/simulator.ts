// The one module that touches @cloud-copilot/iam-simulate and its iam-policy
// (AGPL-3.0-or-later; see the README's licence note). Everything else speaks
// in these types.
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { getDenialReasons, runSimulation } from "@cloud-copilot/iam-simulate";
import { statementsForAction } from "./statementsForAction";

export type Outcome = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";

export interface SimulatedRequest {
  principal: string;
  action: string;
  resource: string;
  accountId: string;
  context: Record<string, string | string[]>;
  identityPolicies: { name: string; policy: unknown }[];
  resourcePolicy?: unknown;
}

export interface SimulationVerdict {
  outcome: Outcome;
  /** Which policy type, policy and statement decided (for denials), in words. */
  reasons: string[];
  /** The Sids of the statements that denied it explicitly (empty unless ExplicitlyDenied). */
  deniedBy: string[];
}

/** Simulates requests; one per archive of an evaluation of the proof, so nothing outlives the archive. */
export type Simulator = (request: SimulatedRequest) => Promise<SimulationVerdict>;

/**
 * The simulator drops kms:EncryptionContext:* keys from the request, so a
 * condition on them would always look unmet. Such conditions are removed
 * before simulating and judged by kms-key-require-bucket-arn-context instead
 * (facts §5).
 */
function withoutEncryptionContextConditions(policy: unknown): unknown {
  if (!policy || typeof policy !== "object") return policy;
  const document = policy as { Statement?: unknown };
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
  return {
    ...document,
    Statement: statements.map((statement: Record<string, unknown>) => {
      const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
      if (!condition) return statement;
      const kept: Record<string, Record<string, unknown>> = {};
      for (const [operator, keys] of Object.entries(condition)) {
        const remaining = Object.fromEntries(
          Object.entries(keys).filter(([key]) => !key.toLowerCase().startsWith("kms:encryptioncontext:")),
        );
        if (Object.keys(remaining).length > 0) kept[operator] = remaining;
      }
      const { Condition: _dropped, ...rest } = statement;
      return Object.keys(kept).length > 0 ? { ...rest, Condition: kept } : rest;
    }),
  };
}

/**
 * Where each simulated document's statements sit in the document as written,
 * when the simulated one was narrowed to the action: `resource` for the
 * resource policy, `identity` by policy name. So a Sid-less statement is named
 * by its position as written.
 */
interface Positions {
  resource?: number[];
  identity: Map<string, number[]>;
}

function describeDenial(denial: ReturnType<typeof getDenialReasons>[number], positions?: Positions): string {
  const where =
    denial.policyType === "resource"
      ? "the resource policy"
      : denial.policyType === "identity"
        ? "the identity policies"
        : `the ${denial.policyType} policies`;
  if (denial.denialType === "Explicit") {
    const policyName = "policyIdentifier" in denial ? denial.policyIdentifier : undefined;
    const written =
      denial.policyType === "resource"
        ? positions?.resource
        : denial.policyType === "identity" && policyName
          ? positions?.identity.get(policyName)
          : undefined;
    // iam-policy numbers statements from 1; positions count from 0.
    const position = written?.[denial.statementIndex - 1];
    const number = position === undefined ? denial.statementIndex : position + 1;
    const statement = denial.statementId ? `statement "${denial.statementId}"` : `statement #${number}`;
    const policy = policyName ? ` ${policyName}` : "";
    return `${statement} of ${where}${policy} denies it explicitly`;
  }
  return `nothing in ${where} allows it`;
}

/** For a verdict the resource policy denied explicitly: the same request's verdict had its identity policies allowed `*`. */
const deniedByResourcePolicy = new WeakMap<SimulationVerdict, SimulationVerdict>();

/**
 * The verdict of the request `verdict` was simulated for, with its identity
 * policies replaced by one that allows `*` and the same resource policy, when
 * it follows from `verdict`: a resource-policy statement denied it
 * explicitly. With no SCPs, RCPs, boundaries or endpoint policies the
 * simulator's resource-policy analysis does not depend on the identity
 * policies, an explicit Deny there decides whatever they say, and an identity
 * policy that allows `*` adds no denial, so the answer is the same Deny with
 * only the resource policy's reasons (iam-simulate's analyzeResourcePolicy,
 * DefaultServiceAuthorizer and getDenialReasons; checked request by request
 * in test/policies/exportAccessProofFastPath.test.ts). Undefined otherwise:
 * then it must be simulated.
 */
export function allPowerfulVerdictFrom(verdict: SimulationVerdict): SimulationVerdict | undefined {
  return deniedByResourcePolicy.get(verdict);
}

/** Runs one simulation of `request` with the policy documents as given (raw, or validated once beforehand). */
async function runWith(
  request: SimulatedRequest,
  identityPolicies: { name: string; policy: unknown }[],
  resourcePolicy: unknown,
  positions?: Positions,
) {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.accountId },
        contextVariables: request.context,
      },
      identityPolicies,
      resourcePolicy,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (result.resultType === "error") return { outcome: "Error", reasons: [result.errors.message], deniedBy: [] } as SimulationVerdict;
  const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
  const denials = result.overallResult === "Allowed" || !analysis ? [] : getDenialReasons(analysis);
  const sids = (list: typeof denials) => [
    ...new Set(list.flatMap((d) => (d.denialType === "Explicit" && d.statementId ? [d.statementId] : []))),
  ];
  const verdict: SimulationVerdict = {
    outcome: result.overallResult,
    reasons: denials.map((d) => describeDenial(d, positions)),
    deniedBy: sids(denials),
  };
  const byResourcePolicy = denials.filter((d) => d.policyType === "resource" && d.denialType === "Explicit");
  // Only a single-resource simulation: a wildcard resource is judged over several simulations.
  if (result.resultType === "single" && verdict.outcome === "ExplicitlyDenied" && byResourcePolicy.length > 0)
    deniedByResourcePolicy.set(verdict, {
      outcome: "ExplicitlyDenied",
      reasons: byResourcePolicy.map((d) => describeDenial(d, positions)),
      deniedBy: sids(byResourcePolicy),
    });
  return verdict;
}

/**
 * Evaluates one request as AWS would, from scratch: every document is
 * rewritten, validated and parsed for this request alone. The reference the
 * fast path (simulator()) is tested against.
 */
export function simulateFromScratch(request: SimulatedRequest): Promise<SimulationVerdict> {
  return runWith(
    request,
    request.identityPolicies.map((p) => ({ ...p, policy: withoutEncryptionContextConditions(p.policy) })),
    withoutEncryptionContextConditions(request.resourcePolicy),
  );
}

type ValidatedPolicy = ReturnType<typeof createValidatedPolicy>;

/** A policy document validated once as written, and narrowed to each action it is asked about. */
interface PreparedPolicy {
  whole: ValidatedPolicy;
  byAction: Map<string, { policy: ValidatedPolicy; positions: number[] }>;
}

/** A document as simulated for one request: narrowed to the action where it could be. */
interface PolicyForRequest {
  policy: unknown;
  positions?: number[];
}

/**
 * A simulator for one archive of an evaluation of the proof, giving the verdicts
 * simulateFromScratch() gives, cheaper:
 * - the same few documents (a role's policies, the bucket and key policies)
 *   come back in most of an archive's requests, so each document object is
 *   rewritten and validated once (the library then skips its own validation
 *   of it: iam-policy's ValidatedPolicy);
 * - a valid identity or resource policy is simulated with only the
 *   statements that could apply to the request's action
 *   (statementsForAction.ts says why that cannot change a verdict), except
 *   for a wildcard resource, which the library simulates differently;
 * - requests are keyed by the documents' identity and the request's fields
 *   rather than by their JSON.
 * Documents must not be changed while the simulator is in use.
 */
export function simulator(): Simulator {
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const prepared = {
    identity: new WeakMap<object, PreparedPolicy>(),
    resource: new WeakMap<object, PreparedPolicy>(),
  };
  const verdicts = new Map<string, Promise<SimulationVerdict>>();

  const idOf = (document: unknown): string => {
    if (!document || typeof document !== "object") return JSON.stringify(document) ?? "undefined";
    let id = ids.get(document);
    if (id === undefined) {
      id = nextId++;
      ids.set(document, id);
    }
    return `#${id}`;
  };
  const forRequest = (kind: "identity" | "resource", document: unknown, request: SimulatedRequest): PolicyForRequest => {
    if (!document || typeof document !== "object") return { policy: withoutEncryptionContextConditions(document) };
    let ready = prepared[kind].get(document);
    if (!ready) {
      const validate = kind === "identity" ? validateIdentityPolicy : validateResourcePolicy;
      ready = { whole: createValidatedPolicy(withoutEncryptionContextConditions(document), validate), byAction: new Map() };
      prepared[kind].set(document, ready);
    }
    // An invalid document must fail as a whole; a wildcard resource takes the library's other path.
    if (ready.whole.errors.length > 0 || request.resource.includes("*")) return { policy: ready.whole };
    let narrowed = ready.byAction.get(request.action);
    if (!narrowed) {
      const statements = statementsForAction(ready.whole.policyDocument, request.action);
      if (!statements) return { policy: ready.whole };
      // Validated as the whole document above: a subset of its statements has no errors either.
      narrowed = { policy: createValidatedPolicy(statements.document, () => []), positions: statements.positions };
      ready.byAction.set(request.action, narrowed);
    }
    return narrowed;
  };

  return (request) => {
    const key = JSON.stringify([
      request.principal,
      request.action,
      request.resource,
      request.accountId,
      request.context,
      request.identityPolicies.map((p) => [p.name, idOf(p.policy)]),
      idOf(request.resourcePolicy),
    ]);
    let verdict = verdicts.get(key);
    if (!verdict) {
      const resource = forRequest("resource", request.resourcePolicy, request);
      const positions: Positions = { resource: resource.positions, identity: new Map() };
      const identityPolicies = request.identityPolicies.map(({ name, policy }) => {
        const identity = forRequest("identity", policy, request);
        if (identity.positions) positions.identity.set(name, identity.positions);
        return { name, policy: identity.policy };
      });
      verdict = runWith(request, identityPolicies, resource.policy, positions);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
}
