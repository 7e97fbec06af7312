/** The subset of the IAM policy grammar the project writes. */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  /** Says why the statement exists; reviewers read it in stack diffs. */
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: string[]; Service?: string[] };
  Action: string[];
  /** Absent only in trust policies, where IAM refuses the field. */
  Resource?: string[] | "*";
  /** Instead of Resource: every resource but these (a Deny that keeps a principal to one prefix). */
  NotResource?: string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

/**
 * Builds a policy document whose lists are sorted and de-duplicated, so the
 * same intent always serializes to the same JSON and a stack diff shows only
 * real changes. Statement order is the caller's: it reads top to bottom as the
 * rationale in the README does.
 */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  const sids = statements.map((s) => s.Sid);
  const duplicate = sids.find((sid, index) => sids.indexOf(sid) !== index);
  if (duplicate) throw new Error(`policy statement Sid "${duplicate}" is used twice; every Sid must be unique`);
  return {
    Version: "2012-10-17",
    Statement: statements.map((statement) => {
      const normalized: PolicyStatement = {
        Sid: statement.Sid,
        Effect: statement.Effect,
        Action: sortedUnique(statement.Action),
        Resource: statement.Resource === undefined || statement.Resource === "*" ? statement.Resource : sortedUnique(statement.Resource),
      };
      if (statement.NotResource) normalized.NotResource = sortedUnique(statement.NotResource);
      if (statement.Principal === "*") normalized.Principal = "*";
      else if (statement.Principal) {
        const principal: { AWS?: string[]; Service?: string[] } = {};
        if (statement.Principal.AWS) principal.AWS = sortedUnique(statement.Principal.AWS);
        if (statement.Principal.Service) principal.Service = sortedUnique(statement.Principal.Service);
        normalized.Principal = principal;
      }
      if (statement.Condition) normalized.Condition = normalizeConditions(statement.Condition);
      return reorder(normalized);
    }),
  };
}

function normalizeConditions(condition: ConditionBlock): ConditionBlock {
  const result: ConditionBlock = {};
  for (const operator of Object.keys(condition).sort()) {
    const keys: Record<string, string | string[]> = {};
    for (const key of Object.keys(condition[operator]).sort()) {
      const value = condition[operator][key];
      keys[key] = Array.isArray(value) ? sortedUnique(value) : value;
    }
    result[operator] = keys;
  }
  return result;
}

/** Fixed key order: Sid, Effect, Principal, Action, Resource or NotResource, Condition. */
function reorder(statement: PolicyStatement): PolicyStatement {
  const { Sid, Effect, Principal, Action, Resource, NotResource, Condition } = statement;
  return {
    Sid,
    Effect,
    ...(Principal ? { Principal } : {}),
    Action,
    ...(Resource ? { Resource } : {}),
    ...(NotResource ? { NotResource } : {}),
    ...(Condition ? { Condition } : {}),
  };
}
