// The one module that touches @cloud-copilot/iam-simulate and its iam-policy
// (AGPL-3.0-or-later; see the README's licence note). Everything else speaks
// in these types.
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { getDenialReasons, runSimulation } from "@cloud-copilot/iam-simulate";

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

/** Simulates requests; one per evaluation of the proof, so nothing outlives the evaluation. */
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

function describeDenial(denial: ReturnType<typeof getDenialReasons>[number]): string {
  const where =
    denial.policyType === "resource"
      ? "the resource policy"
      : denial.policyType === "identity"
        ? "the identity policies"
        : `the ${denial.policyType} policies`;
  if (denial.denialType === "Explicit") {
    const statement = denial.statementId ? `statement "${denial.statementId}"` : `statement #${denial.statementIndex + 1}`;
    const policy = "policyIdentifier" in denial && denial.policyIdentifier ? ` ${denial.policyIdentifier}` : "";
    return `${statement} of ${where}${policy} denies it explicitly`;
  }
  return `nothing in ${where} allows it`;
}

/** Runs one simulation of `request` with the policy documents as given (raw, or validated once beforehand). */
async function runWith(request: SimulatedRequest, identityPolicies: { name: string; policy: unknown }[], resourcePolicy: unknown) {
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
  if (result.resultType === "error")
    return { outcome: "Error", reasons: [result.errors.message], deniedBy: [] } satisfies SimulationVerdict;
  const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
  const denials = result.overallResult === "Allowed" || !analysis ? [] : getDenialReasons(analysis);
  const deniedBy = denials.flatMap((d) => (d.denialType === "Explicit" && d.statementId ? [d.statementId] : []));
  return {
    outcome: result.overallResult,
    reasons: denials.map(describeDenial),
    deniedBy: [...new Set(deniedBy)],
  } satisfies SimulationVerdict;
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

/**
 * A simulator for one evaluation of the proof. The same few documents (a
 * role's policies, the bucket and key policies) come back in most of an
 * archive's requests, so each document object is rewritten and validated once
 * (the library then skips its own validation of it: iam-policy's
 * ValidatedPolicy), and requests are keyed by the documents' identity and the
 * request's fields rather than by their JSON. Documents must not be changed
 * while the simulator is in use.
 */
export function simulator(): Simulator {
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const asIdentity = new WeakMap<object, unknown>();
  const asResource = new WeakMap<object, unknown>();
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
  const prepared = (
    document: unknown,
    cache: WeakMap<object, unknown>,
    validate: (policy: unknown) => ReturnType<typeof validateIdentityPolicy>,
  ) => {
    if (!document || typeof document !== "object") return withoutEncryptionContextConditions(document);
    let ready = cache.get(document);
    if (ready === undefined) {
      ready = createValidatedPolicy(withoutEncryptionContextConditions(document), validate);
      cache.set(document, ready);
    }
    return ready;
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
      verdict = runWith(
        request,
        request.identityPolicies.map((p) => ({ name: p.name, policy: prepared(p.policy, asIdentity, validateIdentityPolicy) })),
        prepared(request.resourcePolicy, asResource, validateResourcePolicy),
      );
      verdicts.set(key, verdict);
    }
    return verdict;
  };
}
