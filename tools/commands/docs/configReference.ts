import type { ProjectFile } from "../../engine/stackSettings";
import { markdownCell } from "./readmeSections";

/** The Markdown table of every declared setting: key, type, default (or "required"), description. */
export function renderConfigReference(project: ProjectFile): string {
  const rows = Object.entries(project.config).map(([key, declaration]) => {
    const type = declaration.type === "array" ? `list of ${declaration.items?.type ?? "?"}` : declaration.type;
    const defaultValue = declaration.default === undefined ? "**required**" : `\`${JSON.stringify(declaration.default)}\``;
    return `| \`${project.name}:${key}\` | ${type} | ${defaultValue} | ${markdownCell(declaration.description ?? "")} |`;
  });
  return ["| key | type | default | what it sets |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
