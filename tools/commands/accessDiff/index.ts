// Compares the security-relevant content of two stack states: effective
// grants (identity, resource and trust policies), archive protections, and
// Genesys Cloud permissions. Pure apart from loading the action catalogue.
import type { AnalyzableResource } from "../../engine/policyAnalysis";
import { toPolicyResources } from "../../engine/policyAnalysis";
import { type ActionCatalogue, loadCatalogue } from "./catalogue";
import { diffGrants, type Grant, grantsOf, policySources, servicesMentioned } from "./grants";
import { buildNames } from "./names";
import { alignRenames } from "./renames";
import { type DiffReport, type Finding, grantFinding, settingFinding } from "./report";
import { diffSettings, settingsOf } from "./settings";

export type { DiffReport, Finding } from "./report";
export { renderJson, renderMarkdown, renderText, widens } from "./report";

interface Side {
  grants: Grant[];
  unreadable: Map<string, unknown>;
  settings: ReturnType<typeof settingsOf>;
}

function prepare(resources: AnalyzableResource[]) {
  const views = toPolicyResources(resources);
  const props = new Map(resources.map((r, i) => [r, (views[i]?.props ?? {}) as Record<string, unknown>]));
  const propsOf = (r: AnalyzableResource) => props.get(r) ?? {};
  const names = buildNames(resources, propsOf);
  return { names, propsOf, sources: policySources(resources, propsOf, names) };
}

function sideOf(prepared: ReturnType<typeof prepare>, resources: AnalyzableResource[], catalogue: ActionCatalogue): Side {
  const grants: Grant[] = [];
  const unreadable = new Map<string, unknown>();
  for (const source of prepared.sources) {
    const result = grantsOf(source, catalogue, prepared.names);
    if (typeof result === "string") unreadable.set(source.source, source.document);
    else grants.push(...result);
  }
  return { grants, unreadable, settings: settingsOf(resources, prepared.propsOf, prepared.names) };
}

export async function diffResources(
  from: AnalyzableResource[],
  to: AnalyzableResource[],
  labels: { from: string; to: string },
): Promise<DiffReport> {
  const { to: aligned, renames } = alignRenames(from, to);
  const before = prepare(from);
  const after = prepare(aligned);
  const catalogue = await loadCatalogue([...servicesMentioned(before.sources), ...servicesMentioned(after.sources)]);
  const b = sideOf(before, from, catalogue);
  const a = sideOf(after, aligned, catalogue);
  const findings: Finding[] = [
    ...diffGrants(b.grants, a.grants).map((c) => grantFinding(c, catalogue)),
    ...diffSettings(b.settings, a.settings).map(settingFinding),
  ];
  for (const rename of renames) {
    findings.push({
      category: "protection",
      classification: "neutral",
      resource: `${rename.type} ${rename.to}`,
      message: `${rename.type} "${rename.from}" was renamed to "${rename.to}" (same cloud resource); its access is compared as one resource`,
      sources: [rename.to],
    });
  }
  // A document that cannot be read (unknown at preview, or not a policy) cannot be proved safe.
  for (const [source, document] of a.unreadable) {
    if (b.unreadable.has(source) && JSON.stringify(b.unreadable.get(source)) === JSON.stringify(document)) continue;
    findings.push({
      category: "access",
      classification: "widening",
      resource: source,
      message: `${source} cannot be read as a policy document on the ${labels.to} side, so its grants cannot be compared`,
      sources: [source],
    });
  }
  return { ...labels, findings };
}
