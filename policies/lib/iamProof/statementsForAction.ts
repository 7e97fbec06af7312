import { wildcardMatches } from "../iamDocument";

/**
 * The statements of a policy document that could apply to one action, with
 * their positions in the document. The simulator evaluates every element of
 * every statement of a resource policy for every request (it builds an
 * explanation of each), so a bucket policy's many Deny statements about other
 * actions dominate the cost of each simulation. A statement whose Action
 * cannot match the request's action never allows or denies it; in the
 * simulator's Strict mode it only lands among the unmatched statements, which
 * feed nothing but Discovery mode's output.
 *
 * Conservative: a statement is left out only when its Action is plainly
 * `service:name` patterns (letters, digits, `*`, `?`) none of which can
 * match. NotAction, `*`, anything unusual or malformed is kept.
 */
export interface StatementsForAction {
  document: Record<string, unknown>;
  /** positions[i] is the index in the original document of the i-th kept statement. */
  positions: number[];
}

const PLAIN_ACTION = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

function cannotMatch(pattern: unknown, service: string, name: string): boolean {
  if (typeof pattern !== "string") return false;
  const plain = PLAIN_ACTION.exec(pattern);
  if (!plain) return false;
  const [, patternService = "", patternName = ""] = plain;
  if (patternService.toLowerCase() !== service.toLowerCase()) return true;
  return !wildcardMatches(patternName, name);
}

function irrelevant(statement: unknown, service: string, name: string): boolean {
  if (!statement || typeof statement !== "object" || Array.isArray(statement)) return false;
  const { Action: action, NotAction: notAction } = statement as { Action?: unknown; NotAction?: unknown };
  if (notAction !== undefined || action === undefined) return false;
  const patterns = Array.isArray(action) ? action : [action];
  return patterns.length > 0 && patterns.every((p) => cannotMatch(p, service, name));
}

/** The statements that could apply to `action` ("service:Name"); undefined when the document is not one to narrow. */
export function statementsForAction(document: unknown, action: string): StatementsForAction | undefined {
  if (!document || typeof document !== "object" || Array.isArray(document)) return undefined;
  const statements = (document as { Statement?: unknown }).Statement;
  const parts = action.split(":");
  if (!Array.isArray(statements) || parts.length !== 2) return undefined;
  const [service = "", name = ""] = parts;
  const positions = statements.flatMap((statement, index) => (irrelevant(statement, service, name) ? [] : [index]));
  return { document: { ...document, Statement: positions.map((index) => statements[index]) }, positions };
}
