// Findings as plain sentences, and the text, Markdown and JSON renderings.
import { type ActionCatalogue, accessLevelOf, serviceOf } from "./catalogue";
import type { ConditionEntry, GrantChange } from "./grants";
import type { SettingChange } from "./settings";

/** widening needs a security reviewer; narrowing and neutral do not. */
export type Classification = "widening" | "narrowing" | "neutral";

export interface Finding {
  category: "access" | "trust" | "protection" | "genesys";
  classification: Classification;
  /** Who gains or loses: an IAM principal, or a Genesys role or OAuth client. Absent for protections. */
  principal?: string;
  /** What the change is about: a resource label or pattern, or the subject of a protection. */
  resource: string;
  message: string;
  /** The policies or settings involved, for the reviewer to open. */
  sources: string[];
  /** Concrete actions gained or lost, for access and trust changes. */
  actions?: string[];
}

export interface DiffReport {
  from: string;
  to: string;
  findings: Finding[];
}

export const widens = (report: DiffReport) => report.findings.some((f) => f.classification === "widening");

// ---- sentences ----

/** Well-known dangerous actions, named first when a long list is summarised. */
const HIGHLIGHTS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutObjectAcl",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
  "kms:ScheduleKeyDeletion",
  "kms:PutKeyPolicy",
  "kms:CreateGrant",
  "kms:Decrypt",
  "iam:PassRole",
  "sts:AssumeRole",
];

const RIGHTS: { name: string; test: (action: string, level: string) => boolean }[] = [
  { name: "delete rights", test: (a) => /:(Delete|Remove|Terminate|Purge|Destroy)|ScheduleKeyDeletion/.test(a) },
  {
    name: "protection-changing rights",
    test: (a) => /Bypass|Retention|LegalHold|ObjectLock|Encryption|Logging|Versioning|Lifecycle|Replication|DisableKey|KeyRotation/.test(a),
  },
  {
    name: "policy and permission rights",
    test: (a, level) => /Policy|Acl|Grant|PassRole|PublicAccessBlock/.test(a) || level.includes("Permissions management"),
  },
];

const byHighlight = (a: string, b: string) => {
  const rank = (x: string) => (HIGHLIGHTS.includes(x) ? HIGHLIGHTS.indexOf(x) : HIGHLIGHTS.length);
  return rank(a) - rank(b) || a.localeCompare(b);
};

function examples(actions: string[], max = 3): string {
  const sorted = [...actions].sort(byHighlight);
  const shown = sorted.slice(0, max).join(", ");
  return sorted.length > max ? `${shown} and ${sorted.length - max} more` : shown;
}

/**
 * How a sentence names a set of actions: the list itself when short; when
 * long, a count ("174 s3 actions") and a breakdown by the rights they carry
 * ("delete rights (s3:DeleteObject, …), …") for the end of the sentence.
 */
export function actionsPhrase(actions: string[], catalogue: ActionCatalogue): { head: string; detail: string } {
  if (actions.length <= 4) return { head: [...actions].sort().join(", "), detail: "" };
  const services = new Map<string, number>();
  for (const a of actions) services.set(serviceOf(a) ?? a, (services.get(serviceOf(a) ?? a) ?? 0) + 1);
  const head =
    services.size === 1
      ? `${actions.length} ${[...services.keys()][0]} actions`
      : `${actions.length} actions (${[...services].map(([s, n]) => `${n} ${s}`).join(", ")})`;
  const left = new Set(actions);
  const parts: string[] = [];
  for (const right of RIGHTS) {
    const matched = [...left].filter((a) => right.test(a, accessLevelOf(a, catalogue) ?? ""));
    if (matched.length === 0) continue;
    for (const a of matched) left.delete(a);
    parts.push(`${right.name} (${examples(matched)})`);
  }
  const levels = new Map<string, number>();
  for (const a of left) {
    const level = (accessLevelOf(a, catalogue) ?? "other").split(",").pop()?.trim().toLowerCase() ?? "other";
    levels.set(level, (levels.get(level) ?? 0) + 1);
  }
  const rest = [...levels].sort((x, y) => y[1] - x[1]).map(([level, n]) => `${n} ${level}`);
  if (rest.length > 0) parts.push(`${parts.length > 0 ? "and " : ""}${rest.join(", ")} action${left.size === 1 ? "" : "s"} besides`);
  return { head, detail: parts.join(", ") };
}

const isExternalId = (c: ConditionEntry) => c.key.toLowerCase() === "sts:externalid";

export function conditionPhrase(c: ConditionEntry): string {
  return `${c.operator} ${c.key} ${isExternalId(c) ? "(value not shown)" : c.values.join(" | ")}`;
}
const conditionsPhrase = (conditions: ConditionEntry[]) => conditions.map(conditionPhrase).join(" and ");

function grantMessage(c: GrantChange, catalogue: ActionCatalogue): string {
  const { head, detail } = actionsPhrase(c.actions, catalogue);
  const sentence = grantSentence(c, head);
  return detail ? `${sentence}: ${detail}` : sentence;
}

function grantSentence(c: GrantChange, actions: string): string {
  const through = c.patterns.length > 0 ? ` (through ${c.patterns.join(", ")})` : "";
  const when = c.conditions.length > 0 ? ` when ${conditionsPhrase(c.conditions)}` : "";
  const changed = [
    c.removedConditions.length > 0 ? `removed ${conditionsPhrase(c.removedConditions)}` : "",
    c.addedConditions.length > 0 ? `added ${conditionsPhrase(c.addedConditions)}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  if (c.category === "trust") {
    const how = c.actions.length === 1 && c.actions[0] === "sts:AssumeRole" ? "" : ` (${actions})`;
    if (c.effect === "Deny") {
      return c.kind === "gained"
        ? `${c.principal} is now denied assuming ${c.resource}${how}${when}`
        : c.kind === "lost"
          ? `${c.principal} is no longer denied assuming ${c.resource}${how}`
          : `the Deny on ${c.principal} assuming ${c.resource} changed conditions: ${changed}`;
    }
    if (c.kind === "gained") return `${c.principal} may now assume ${c.resource}${how}${when}`;
    if (c.kind === "lost") return `${c.principal} may no longer assume ${c.resource}${how}`;
    const oldId = c.removedConditions.some(isExternalId);
    const newId = c.addedConditions.some(isExternalId);
    const externalId =
      oldId && newId ? "ExternalId changed; " : oldId ? "ExternalId check removed; " : newId ? "ExternalId check added; " : "";
    return `${c.principal} may assume ${c.resource}${how} under changed conditions: ${externalId}${changed}`;
  }
  if (c.effect === "Allow") {
    if (c.kind === "gained") return `${c.principal} gained ${actions} on ${c.resource}${through}${when}`;
    if (c.kind === "lost") return `${c.principal} lost ${actions} on ${c.resource}${when ? ` (granted${when})` : ""}`;
    return `${c.principal} keeps ${actions} on ${c.resource} under changed conditions: ${changed}`;
  }
  if (c.kind === "gained") return `${c.principal} is now denied ${actions} on ${c.resource}${through}${when}`;
  if (c.kind === "lost") return `${c.principal} is no longer denied ${actions} on ${c.resource}${when ? ` (the Deny applied${when})` : ""}`;
  if (c.addedVariants.length === 0 && c.removedVariants.length > 0) {
    const gone = c.removedVariants.map((v) => (v.length > 0 ? `when ${conditionsPhrase(v)}` : "unconditionally")).join(" or ");
    return `${c.principal} is no longer denied ${actions} on ${c.resource} ${gone} (other Denies of these actions remain)`;
  }
  return `the Deny of ${actions} on ${c.resource} to ${c.principal} changed conditions: ${changed}`;
}

export function grantFinding(c: GrantChange, catalogue: ActionCatalogue): Finding {
  return {
    category: c.category,
    classification: c.classification,
    principal: c.principal,
    resource: c.resource,
    message: grantMessage(c, catalogue),
    sources: c.sources,
    actions: c.actions,
  };
}

const show = (v: unknown) => (Array.isArray(v) ? (v.length ? v.join(", ") : "none") : String(v));

export function settingFinding(c: SettingChange): Finding {
  let message: string;
  if (c.added.length > 0 || c.removed.length > 0) {
    message = [
      c.added.length > 0 ? `${c.subject} gained ${c.setting} ${c.added.join(", ")}` : "",
      c.removed.length > 0 ? `${c.added.length > 0 ? "and lost" : `${c.subject} lost ${c.setting}`} ${c.removed.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join(" ");
  } else if (c.after === undefined) message = `${c.subject}: ${c.setting} removed (was ${show(c.before)})`;
  else if (c.before === undefined) message = `${c.subject}: ${c.setting} set to ${show(c.after)} (was not set)`;
  else message = `${c.subject}: ${c.setting} changed from ${show(c.before)} to ${show(c.after)}`;
  return {
    category: c.category,
    classification: c.classification,
    ...(c.category === "genesys" ? { principal: c.subject } : {}),
    resource: c.subject,
    message,
    sources: [`${c.subject} ${c.setting}`],
  };
}

// ---- rendering ----

const ORDER: Classification[] = ["widening", "narrowing", "neutral"];
const TAG: Record<Classification, string> = { widening: "WIDENING", narrowing: "narrowing", neutral: "neutral" };

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      ORDER.indexOf(a.classification) - ORDER.indexOf(b.classification) ||
      a.category.localeCompare(b.category) ||
      (a.principal ?? "").localeCompare(b.principal ?? "") ||
      a.resource.localeCompare(b.resource) ||
      a.message.localeCompare(b.message),
  );
}

/** Groups object paths with their bucket ("bucket:x/*" under "bucket:x"); ARNs of other stacks stay whole. */
const resourceGroup = (resource: string) => (resource.startsWith("arn:") ? resource : resource.replace(/\/.*$/, ""));

function groupBy(findings: Finding[], key: (f: Finding) => string | undefined): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return new Map([...groups].sort((a, b) => a[0].localeCompare(b[0])));
}

function summary(report: DiffReport): string {
  const wide = report.findings.filter((f) => f.classification === "widening").length;
  const other = report.findings.length - wide;
  if (report.findings.length === 0) return "no access, trust, protection or Genesys permission change";
  return `${wide} widening change${wide === 1 ? "" : "s"} (needs a security reviewer), ${other} narrowing or neutral`;
}

export function renderText(report: DiffReport): string {
  const findings = sortFindings(report.findings);
  const lines = [`Access diff from ${report.from} to ${report.to}: ${summary(report)}`];
  const line = (f: Finding) => `    ${TAG[f.classification].padEnd(9)}  ${f.message}  [${f.sources.join("; ")}]`;
  const byPrincipal = groupBy(findings, (f) => f.principal);
  if (byPrincipal.size > 0) {
    lines.push("", "By principal");
    for (const [principal, group] of byPrincipal) lines.push(`  ${principal}`, ...group.map(line));
  }
  const byResource = groupBy(findings, (f) => resourceGroup(f.resource));
  if (byResource.size > 0) {
    lines.push("", "By resource");
    for (const [resource, group] of byResource) lines.push(`  ${resource}`, ...group.map(line));
  }
  lines.push("", widens(report) ? "WIDENING: a security reviewer must approve" : "OK: nothing widens");
  return `${lines.join("\n")}\n`;
}

export function renderMarkdown(report: DiffReport): string {
  const findings = sortFindings(report.findings);
  const escapeMd = (text: string) => text.replace(/([*_`<>|])/g, "\\$1");
  const lines = [
    `### Access diff: ${widens(report) ? "needs a security reviewer" : "nothing widens"}`,
    "",
    `From ${escapeMd(report.from)} to ${escapeMd(report.to)}: ${summary(report)}.`,
  ];
  const item = (f: Finding) => `- ${f.classification === "widening" ? "⚠️ **widening**" : f.classification}: ${escapeMd(f.message)}`;
  const byPrincipal = groupBy(findings, (f) => f.principal);
  if (byPrincipal.size > 0) {
    lines.push("", "#### By principal");
    for (const [principal, group] of byPrincipal) lines.push("", `**${escapeMd(principal)}**`, "", ...group.map(item));
  }
  const byResource = groupBy(findings, (f) => resourceGroup(f.resource));
  if (byResource.size > 0) {
    lines.push("", "<details><summary>By resource</summary>", "");
    for (const [resource, group] of byResource) lines.push(`**${escapeMd(resource)}**`, "", ...group.map(item), "");
    lines.push("</details>");
  }
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: DiffReport): string {
  const findings = sortFindings(report.findings);
  return `${JSON.stringify(
    { from: report.from, to: report.to, widening: findings.filter((f) => f.classification === "widening").length, findings },
    null,
    2,
  )}\n`;
}
