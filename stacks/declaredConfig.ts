// The config keys Pulumi.yaml declares: the one list of this project's
// settings. Read from the file beside the program, so the real engine and the
// mock runtime see the same list.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { closest, distance } from "fastest-levenshtein";
import { parse } from "yaml";

/** The nearest Pulumi.yaml above this file: the project root, whether run from source or from compiled output. */
export function projectFileAbove(dir: string): string {
  const candidate = join(dir, "Pulumi.yaml");
  if (existsSync(candidate)) return candidate;
  const parent = dirname(dir);
  if (parent === dir) throw new Error(`no Pulumi.yaml in ${__dirname} or any folder above it`);
  return projectFileAbove(parent);
}

/** The keys under `config:` in Pulumi.yaml, without the project namespace. */
export function declaredConfigKeys(projectFile = projectFileAbove(__dirname)): string[] {
  const project = parse(readFileSync(projectFile, "utf8")) as { config?: Record<string, unknown> } | null;
  return Object.keys(project?.config ?? {});
}

/**
 * The keys of `namespace` that are set but not declared, each with why and the
 * fix. Keys of other namespaces (aws:, genesyscloud:) belong to their providers.
 */
export function undeclaredKeyProblems(namespace: string, setKeys: Iterable<string>, declared: readonly string[]): string[] {
  const problems: string[] = [];
  for (const fullKey of setKeys) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    if (declared.includes(key)) continue;
    problems.push(`${fullKey}: is not a setting of this project (Pulumi.yaml does not declare it); ${suggestion(key, declared)}`);
  }
  return problems;
}

function suggestion(key: string, declared: readonly string[]): string {
  const remove = `or remove it with \`pulumi config rm ${key}\``;
  const nearest = declared.length > 0 ? closest(key, declared as string[]) : undefined;
  // A suggestion several edits away is noise: list the settings instead.
  if (nearest !== undefined && distance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(nearest.length / 3))) {
    return `did you mean ${nearest}? Rename it, ${remove}`;
  }
  return `the settings are ${declared.join(", ")}; rename it to one of them, ${remove}`;
}
