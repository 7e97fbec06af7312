/** One statement with every list-or-string field read as a list. */
export interface NormalizedStatement {
  sid?: string;
  effect: "Allow" | "Deny";
  actions: string[];
  notActions: string[];
  resources: string[];
  /** AWS principals as written; "*" for Principal "*" or { AWS: "*" }. */
  awsPrincipals: string[];
  servicePrincipals: string[];
  hasPrincipal: boolean;
  conditions: Record<string, Record<string, string[]>>;
}

const asList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => String(v));

/**
 * Reads a policy document given as JSON text or as an object. Returns
 * undefined when it is not a policy document at all (AWS would refuse it on
 * deploy; these policies judge only what a document says).
 */
export function parsePolicyDocument(value: unknown): NormalizedStatement[] | undefined {
  let document: unknown = value;
  if (typeof value === "string") {
    try {
      document = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!document || typeof document !== "object") return undefined;
  const statements = (document as { Statement?: unknown }).Statement;
  if (statements === undefined) return undefined;
  return (Array.isArray(statements) ? statements : [statements]).map((raw: Record<string, unknown>) => {
    const principal = raw.Principal as unknown;
    const awsPrincipals = principal === "*" ? ["*"] : asList((principal as { AWS?: unknown } | undefined)?.AWS);
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, keys] of Object.entries((raw.Condition as Record<string, Record<string, unknown>>) ?? {})) {
      conditions[operator] = {};
      for (const [key, values] of Object.entries(keys ?? {})) conditions[operator][key] = asList(values);
    }
    return {
      sid: raw.Sid === undefined ? undefined : String(raw.Sid),
      effect: raw.Effect === "Deny" ? "Deny" : "Allow",
      actions: asList(raw.Action),
      notActions: asList(raw.NotAction),
      resources: asList(raw.Resource ?? raw.NotResource),
      awsPrincipals,
      servicePrincipals: asList((principal as { Service?: unknown } | undefined)?.Service),
      hasPrincipal: principal !== undefined,
      conditions,
    };
  });
}

/** Compiled patterns: a stack's few hundred distinct patterns are matched again for every statement and request. */
const compiledPatterns = new Map<string, RegExp>();

/** IAM's wildcard match: `*` any run, `?` one character, case-insensitive. */
export function wildcardMatches(pattern: string, value: string): boolean {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    if (compiledPatterns.size >= 10_000) compiledPatterns.clear();
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`, "i");
    compiledPatterns.set(pattern, regex);
  }
  return regex.test(value);
}

/** Does the statement apply to this action (through Action or NotAction)? */
export function statementCoversAction(statement: NormalizedStatement, action: string): boolean {
  if (statement.actions.length > 0) return statement.actions.some((pattern) => wildcardMatches(pattern, action));
  return statement.notActions.length > 0 && !statement.notActions.some((pattern) => wildcardMatches(pattern, action));
}

/** Is the action granted (Allow) by some statement of the document? */
export function allowsAction(statements: NormalizedStatement[], action: string): boolean {
  return statements.some((s) => s.effect === "Allow" && statementCoversAction(s, action));
}

/** Condition keys a statement tests, with the operator each is tested by. */
export function conditionEntries(statement: NormalizedStatement): { operator: string; key: string; values: string[] }[] {
  return Object.entries(statement.conditions).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, values]) => ({ operator, key, values })),
  );
}

/** The label a violation uses for a statement: its Sid, or its position. */
export function statementLabel(statement: NormalizedStatement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement #${index + 1}`;
}

/** "*" or a whole service ("s3:*"): iam-policy-disallow-wildcard-action reports those. */
export const isWholeServiceWildcard = (pattern: string): boolean => pattern === "*" || pattern.endsWith(":*");

/**
 * Does a pattern the statement names in Action, other than a whole-service
 * wildcard, cover the action? Policies about particular dangerous actions use
 * it, so that `s3:*` or NotAction gives one violation (the wildcard policy's),
 * not one per rule.
 */
export function namesActionExplicitly(statement: NormalizedStatement, action: string): boolean {
  return statement.actions.some((pattern) => !isWholeServiceWildcard(pattern) && wildcardMatches(pattern, action));
}
