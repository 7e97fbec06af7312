import type { ProjectPolicy } from "../../../policies/lib/projectPolicy";
import { markdownCell } from "./readmeSections";

function configOf(policy: ProjectPolicy): string {
  const properties = Object.entries(policy.configSchema?.properties ?? {});
  return properties.length === 0 ? "" : properties.map(([key, p]) => `\`${key}\` = \`${JSON.stringify(p.default)}\``).join(", ");
}

/** The policy catalogue, from each policy's own metadata. */
export function renderPolicyCatalogue(policies: ProjectPolicy[]): string {
  const rows = policies.map((p) => {
    const kind = "validateStack" in p ? "stack" : "resource";
    return `| \`${p.name}\` | ${p.severity} | ${kind} | ${markdownCell(p.description)} | ${markdownCell(p.why)} | ${markdownCell(p.remediationSteps ?? "")} | ${configOf(p)} |`;
  });
  return [
    "| policy | severity | checks | what | why | fix | config (default) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}
