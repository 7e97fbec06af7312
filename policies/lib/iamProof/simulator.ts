// The one module that touches @cloud-copilot/iam-simulate (AGPL-3.0-or-later;
// see the README's licence note). Everything else speaks in these types.
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

const cache = new Map<string, Promise<SimulationVerdict>>();

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

/**
 * Evaluates one request as AWS would. Identical requests against identical
 * policies are simulated once (a stack repeats the same principal/resource
 * pairs many times).
 */
export function simulate(request: SimulatedRequest): Promise<SimulationVerdict> {
  const key = JSON.stringify(request);
  const cached = cache.get(key);
  if (cached) return cached;
  const verdict = (async (): Promise<SimulationVerdict> => {
    const result = await runSimulation(
      {
        request: {
          principal: request.principal,
          action: request.action,
          resource: { resource: request.resource, accountId: request.accountId },
          contextVariables: request.context,
        },
        identityPolicies: request.identityPolicies.map((p) => ({ ...p, policy: withoutEncryptionContextConditions(p.policy) })),
        resourcePolicy: withoutEncryptionContextConditions(request.resourcePolicy),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      } as Parameters<typeof runSimulation>[0],
      {},
    );
    if (result.resultType === "error") return { outcome: "Error", reasons: [result.errors.message], deniedBy: [] };
    const analysis = result.resultType === "single" ? result.result.analysis : result.results[0]?.analysis;
    const denials = result.overallResult === "Allowed" || !analysis ? [] : getDenialReasons(analysis);
    const deniedBy = denials.flatMap((d) => (d.denialType === "Explicit" && d.statementId ? [d.statementId] : []));
    return { outcome: result.overallResult, reasons: denials.map(describeDenial), deniedBy: [...new Set(deniedBy)] };
  })();
  cache.set(key, verdict);
  return verdict;
}
