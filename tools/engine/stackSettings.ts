import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** A problem with the project or stack files, worded for the command line (exit 2). */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

export interface ConfigDeclaration {
  type: "string" | "integer" | "boolean" | "array";
  items?: { type: string };
  description?: string;
  default?: unknown;
  secret?: boolean;
}

export interface ProjectFile {
  name: string;
  runtime: unknown;
  main?: string;
  description?: string;
  config: Record<string, ConfigDeclaration>;
}

/** Config as the Pulumi CLI hands it to a program: namespaced keys, string values, JSON for lists. */
export interface StackSettings {
  project: string;
  stack: string;
  config: Record<string, string>;
  /** Keys whose stack value is `secure:`; they are replaced by a placeholder (no key here to decrypt them). */
  secretKeys: string[];
}

/** Stand-in for a `secure:` value: the ciphertext cannot be opened without the stack's key. */
export const SECRET_PLACEHOLDER = "[secret]";

function readYaml(path: string): unknown {
  if (!existsSync(path)) throw new StackFileError(`${path} does not exist`);
  try {
    return parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new StackFileError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
}

export function readProjectFile(projectDir: string): ProjectFile {
  const path = join(projectDir, "Pulumi.yaml");
  const project = readYaml(path) as Partial<ProjectFile> | null;
  if (!project || typeof project.name !== "string") throw new StackFileError(`${path} has no project name`);
  return { ...project, name: project.name, runtime: project.runtime, config: project.config ?? {} };
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Resolves a stack's configuration the way the CLI does: project defaults
 * from Pulumi.yaml, overridden by Pulumi.<stack>.yaml, keys namespaced by
 * the project name unless they name another namespace (aws:region).
 */
export function loadStackSettings(projectDir: string, stack: string): StackSettings {
  if (!/^[\w.-]+$/.test(stack)) throw new StackFileError(`"${stack}" is not a valid stack name; use letters, digits, ".", "_" or "-"`);
  const project = readProjectFile(projectDir);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, declaration] of Object.entries(project.config)) {
    if (declaration.default !== undefined) config[`${project.name}:${key}`] = toConfigString(declaration.default);
  }
  const stackFile = readYaml(join(projectDir, `Pulumi.${stack}.yaml`)) as { config?: Record<string, unknown> } | null;
  for (const [rawKey, value] of Object.entries(stackFile?.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    if (value !== null && typeof value === "object" && "secure" in value) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = toConfigString(value);
    }
  }
  return { project: project.name, stack, config, secretKeys };
}
