// Effective grants: every Allow and Deny statement of the stack's IAM
// documents, expanded into (principal, action, resource) tuples with their
// conditions, so statement order, Sids, grouping and wildcards do not matter.
import { parsePolicyDocument } from "../../../policies/lib/iamDocument";
import type { AnalyzableResource } from "../../engine/policyAnalysis";
import { type ActionCatalogue, expandAction, serviceOf } from "./catalogue";
import { labelOf, type Names, principalLabel } from "./names";
import type { Classification } from "./report";

export interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

/** One policy document found in the stack, with whom it applies to. */
export interface PolicySource {
  /** "access": identity or resource policy; "trust": a role's assume-role policy. */
  category: "access" | "trust";
  /** What the document is, for messages: "role policy legal-hold-archive-writer-0". */
  source: string;
  /** The principal of an identity policy; resource policies name their principals in statements. */
  identity?: string;
  /** What "Resource": "*" (or no Resource) means here: the key of a key policy, the role of a trust policy. */
  self?: string;
  document: unknown;
}

export interface Grant {
  category: "access" | "trust";
  effect: "Allow" | "Deny";
  principal: string;
  action: string;
  resource: string;
  conditions: ConditionEntry[];
  /** The action pattern the statement wrote ("s3:*"). */
  pattern: string;
  source: string;
}

type Props = (r: AnalyzableResource) => Record<string, unknown>;

/** The policy documents of the resource types this stack uses: role policies, inline and trust policies of roles, bucket and key policies. */
export function policySources(resources: AnalyzableResource[], props: Props, names: Names): PolicySource[] {
  const sources: PolicySource[] = [];
  for (const r of resources) {
    const p = props(r);
    const label = labelOf(r);
    switch (r.type) {
      case "aws:iam/rolePolicy:RolePolicy": {
        const roleUrn = r.propertyDependencies.role?.[0];
        const identity = roleUrn ? names.byUrn(roleUrn) : names.normalize(String(p.role ?? "unknown role"));
        sources.push({ category: "access", source: `role policy ${r.name}`, identity, document: p.policy });
        break;
      }
      case "aws:iam/role:Role": {
        sources.push({ category: "trust", source: `trust policy of ${label}`, self: label, document: p.assumeRolePolicy });
        for (const inline of (p.inlinePolicies as { name?: string; policy?: unknown }[] | undefined) ?? []) {
          if (inline?.policy)
            sources.push({
              category: "access",
              source: `inline policy ${inline.name} of ${label}`,
              identity: label,
              document: inline.policy,
            });
        }
        break;
      }
      case "aws:s3/bucketPolicy:BucketPolicy":
        sources.push({ category: "access", source: `bucket policy ${r.name}`, document: p.policy });
        break;
      case "aws:kms/key:Key":
        if (p.policy !== undefined) sources.push({ category: "access", source: `key policy of ${label}`, self: label, document: p.policy });
        break;
    }
  }
  return sources;
}

/** Every action pattern the documents mention, for loading the catalogue. */
export function servicesMentioned(sources: PolicySource[]): Set<string> {
  const services = new Set<string>();
  for (const s of sources) {
    for (const statement of parsePolicyDocument(s.document) ?? []) {
      for (const a of [...statement.actions, ...statement.notActions]) {
        const service = serviceOf(a);
        if (service) services.add(service);
      }
    }
  }
  return services;
}

const conditionText = (c: ConditionEntry) => `${c.operator} ${c.key.toLowerCase()} ${JSON.stringify(c.values)}`;

function rawStatements(document: unknown): Record<string, unknown>[] {
  let parsed = document;
  if (typeof document === "string") parsed = JSON.parse(document);
  const statements = (parsed as { Statement?: unknown }).Statement;
  return (Array.isArray(statements) ? statements : [statements]) as Record<string, unknown>[];
}

/**
 * The grants of one document, or an error message when it cannot be read
 * (not JSON, or a value unknown at preview).
 */
export function grantsOf(source: PolicySource, catalogue: ActionCatalogue, names: Names): Grant[] | string {
  const statements = parsePolicyDocument(source.document);
  if (!statements) return `${source.source} could not be read as a policy document`;
  const raws = rawStatements(source.document);
  const grants: Grant[] = [];
  statements.forEach((statement, index) => {
    const raw = raws[index] ?? {};
    let principals: string[];
    if (source.identity) principals = [source.identity];
    else if ("NotPrincipal" in raw) principals = [`everyone except ${names.normalize(JSON.stringify(raw.NotPrincipal))}`];
    else {
      principals = [
        ...statement.awsPrincipals.map((v) => principalLabel("aws", v, names)),
        ...statement.servicePrincipals.map((v) => principalLabel("service", v, names)),
      ];
      const federated = (raw.Principal as { Federated?: unknown } | undefined)?.Federated;
      for (const f of federated === undefined ? [] : [federated].flat()) principals.push(`federated ${String(f)}`);
    }
    const notResource = "NotResource" in raw;
    const resources =
      statement.resources.length === 0 || (source.self && statement.resources.every((r) => r === "*"))
        ? [source.self ?? "*"]
        : statement.resources.map((r) => `${notResource ? "every resource except " : ""}${names.normalize(r)}`);
    const conditions = Object.entries(statement.conditions)
      .flatMap(([operator, keys]) =>
        Object.entries(keys).map(([key, values]) => ({ operator, key, values: values.map(names.normalize).sort() })),
      )
      .sort((a, b) => conditionText(a).localeCompare(conditionText(b)));
    const actionPatterns =
      statement.actions.length > 0
        ? statement.actions.map((a) => [a, expandAction(a, catalogue)] as const)
        : [[`every action except ${statement.notActions.join(", ")}`, [`every action except ${statement.notActions.join(", ")}`]] as const];
    for (const principal of principals) {
      for (const [pattern, actions] of actionPatterns) {
        for (const action of actions) {
          for (const resource of resources) {
            grants.push({
              category: source.category,
              effect: statement.effect,
              principal,
              action,
              resource,
              conditions,
              pattern,
              source: source.source,
            });
          }
        }
      }
    }
  });
  return grants;
}

// ---- comparing ----

const variantKey = (conditions: ConditionEntry[]) => conditions.map(conditionText).join(" & ");

/** Operators that match more requests the more values they list. */
function polarity(operator: string): "positive" | "negative" | "exact" {
  const base = operator.replace(/IfExists$/, "");
  if (/^For(All|Any)Value:/.test(base) || /^(Bool|Null|Numeric|Date|Binary)/.test(base)) return "exact";
  if (/^NotIpAddress$|^(String|Arn)Not/.test(base)) return "negative";
  return "positive";
}

/**
 * Does every request that satisfies `narrow` also satisfy `broad`? (Conditions
 * are ANDed: `narrow` must test every key `broad` tests, at least as strictly.)
 */
export function conditionsImply(narrow: ConditionEntry[], broad: ConditionEntry[]): boolean {
  return broad.every((b) => {
    const n = narrow.find((c) => c.operator === b.operator && c.key.toLowerCase() === b.key.toLowerCase());
    if (!n) return false;
    const sub = (x: string[], y: string[]) => x.every((v) => y.includes(v));
    const kind = polarity(b.operator);
    if (kind === "positive") return sub(n.values, b.values);
    if (kind === "negative") return sub(b.values, n.values);
    return sub(n.values, b.values) && sub(b.values, n.values);
  });
}

export interface GrantChange {
  category: "access" | "trust";
  effect: "Allow" | "Deny";
  principal: string;
  resource: string;
  kind: "gained" | "lost" | "conditions";
  classification: Classification;
  actions: string[];
  /** Wildcard patterns that granted the actions, when they are not the actions themselves. */
  patterns: string[];
  sources: string[];
  /** For condition changes: entries only before, only after. */
  removedConditions: ConditionEntry[];
  addedConditions: ConditionEntry[];
  /** For condition changes: whole condition sets (statements) only before, only after. */
  removedVariants: ConditionEntry[][];
  addedVariants: ConditionEntry[][];
  /** The conditions the grant carries after (gained) or carried before (lost). */
  conditions: ConditionEntry[];
}

interface Group {
  variants: Map<string, ConditionEntry[]>;
  patterns: Set<string>;
  sources: Set<string>;
}

function group(grants: Grant[]): Map<string, Group & { grant: Grant }> {
  const groups = new Map<string, Group & { grant: Grant }>();
  for (const g of grants) {
    const key = [g.category, g.effect, g.principal, g.action, g.resource].join("\u0000");
    let entry = groups.get(key);
    if (!entry) {
      entry = { grant: g, variants: new Map(), patterns: new Set(), sources: new Set() };
      groups.set(key, entry);
    }
    entry.variants.set(variantKey(g.conditions), g.conditions);
    if (g.pattern !== g.action) entry.patterns.add(g.pattern);
    entry.sources.add(g.source);
  }
  return groups;
}

/**
 * Classifies one (principal, action, resource) across the two sides.
 * Allow: widening when some condition variant after applies to a request no
 * variant before did. Deny: widening when some request denied before is no
 * longer denied by any variant after. A Deny that loses a condition key denies
 * *more* requests, so it is narrowing (it may break the stack, which is not
 * this report's concern).
 */
function classify(effect: "Allow" | "Deny", before: ConditionEntry[][], after: ConditionEntry[][]): Classification {
  const covered = (narrow: ConditionEntry[][], broad: ConditionEntry[][]) => narrow.every((n) => broad.some((b) => conditionsImply(n, b)));
  const widening = effect === "Allow" ? !covered(after, before) : !covered(before, after);
  return widening ? "widening" : "narrowing";
}

export function diffGrants(before: Grant[], after: Grant[]): GrantChange[] {
  const b = group(before);
  const a = group(after);
  const changes = new Map<string, GrantChange>();
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const old = b.get(key);
    const now = a.get(key);
    const oldVariants = [...(old?.variants.keys() ?? [])].sort();
    const newVariants = [...(now?.variants.keys() ?? [])].sort();
    if (old && now && oldVariants.join("\n") === newVariants.join("\n")) continue;
    const grant = (now ?? old)?.grant as Grant;
    const kind = !old ? "gained" : !now ? "lost" : "conditions";
    const oldEntries = [...(old?.variants.values() ?? [])];
    const newEntries = [...(now?.variants.values() ?? [])];
    const classification = classify(grant.effect, oldEntries, newEntries);
    const flatOld = oldEntries.flat();
    const flatNew = newEntries.flat();
    const removedConditions =
      kind === "conditions" ? flatOld.filter((c) => !flatNew.some((n) => conditionText(n) === conditionText(c))) : [];
    const addedConditions = kind === "conditions" ? flatNew.filter((c) => !flatOld.some((o) => conditionText(o) === conditionText(c))) : [];
    const removedVariants =
      kind === "conditions" ? oldVariants.filter((v) => !newVariants.includes(v)).map((v) => old?.variants.get(v) ?? []) : [];
    const addedVariants =
      kind === "conditions" ? newVariants.filter((v) => !oldVariants.includes(v)).map((v) => now?.variants.get(v) ?? []) : [];
    const conditions = kind === "gained" ? (newEntries[0] ?? []) : kind === "lost" ? (oldEntries[0] ?? []) : [];
    const aggregate = [
      grant.category,
      grant.effect,
      grant.principal,
      grant.resource,
      kind,
      classification,
      variantKey(conditions),
      variantKey(removedConditions),
      variantKey(addedConditions),
      removedVariants.map(variantKey).join(" | "),
      addedVariants.map(variantKey).join(" | "),
    ].join("\u0000");
    let change = changes.get(aggregate);
    if (!change) {
      change = {
        category: grant.category,
        effect: grant.effect,
        principal: grant.principal,
        resource: grant.resource,
        kind,
        classification,
        actions: [],
        patterns: [],
        sources: [],
        removedConditions,
        addedConditions,
        removedVariants,
        addedVariants,
        conditions,
      };
      changes.set(aggregate, change);
    }
    change.actions.push(grant.action);
    const side = kind === "lost" ? old : now;
    for (const p of side?.patterns ?? []) if (!change.patterns.includes(p)) change.patterns.push(p);
    for (const s of [...(old?.sources ?? []), ...(now?.sources ?? [])]) if (!change.sources.includes(s)) change.sources.push(s);
  }
  return [...changes.values()].map((c) => ({ ...c, actions: c.actions.sort(), patterns: c.patterns.sort(), sources: c.sources.sort() }));
}
