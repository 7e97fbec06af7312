import type { SimulatedRequest } from "./simulator";

/** Context values as a request carries them. */
export type RequestContext = SimulatedRequest["context"];

/**
 * One row of the export access proof: who does what to which resource, with
 * which request context, what must happen and why. The rows are the proof's
 * whole specification; one small evaluator runs them (exportAccessProof.ts).
 */
export interface ProofRow {
  /** Stable, short, unique: named in violations, `check`'s table and the README. */
  id: string;
  /** The principal in words: "the export worker". */
  who: string;
  action: string;
  /** The resource in words: "an archived recording". */
  on: string;
  /** The context that matters for this row (the request also carries TLS and principal keys). */
  context: RequestContext;
  expect: "Allowed" | "Denied";
  /** Why the answer must be this one. */
  why: string;
  /** What to change when the row fails. */
  fix: string;
  /** The resource a failure is reported on. */
  urn: string;
  /** The request as the simulator takes it. */
  request: SimulatedRequest;
  /** The resource policy the all-powerful twin is judged against (a key policy then also delegates to the account). */
  twinResourcePolicy?: unknown;
  /**
   * For a must-deny row by a principal of the stack's account: evaluate it again
   * as that principal holding an identity policy that allows `*`, so only the
   * resource policies decide (a Deny that only an identity policy backs up is
   * not a Deny the archive can rely on).
   */
  alsoAllPowerful: boolean;
}

/** A row in one line, for `check`'s table and violation messages. */
export function describeRow(row: Pick<ProofRow, "id" | "who" | "action" | "on" | "context">): string {
  const context = Object.entries(row.context)
    .map(([key, value]) => `${key}=${(Array.isArray(value) ? value : [value]).map(shortArn).join(",")}`)
    .join(" ");
  return `[${row.id}] ${row.who} ${row.action} on ${row.on}${context ? ` (${context})` : ""}`;
}

/** A KMS key ARN as its key id's first block (the table stays one readable line); other values as they are. */
function shortArn(value: string): string {
  const key = /^arn:aws[\w-]*:kms:[^:]*:\d{12}:key\/([0-9a-f]{8})[0-9a-f-]*$/.exec(value);
  return key ? `key/${key[1]}…` : value;
}

/** An identity policy that allows everything: the all-powerful twin of a same-account principal. */
export const ALLOW_EVERYTHING = {
  name: "allows-everything",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};
