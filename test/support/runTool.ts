// Runs a command the way `npm run <command>` does, taking the command line
// from package.json's script so tests follow whatever launcher it uses,
// without npm's own banner and exit-code noise.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

/** For `it(..., TOOL_TIMEOUT_MS)`: a spawned command loads Pulumi and TypeScript, slow on a saturated 2-core machine. */
export const TOOL_TIMEOUT_MS = 120_000;

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Milliseconds; generous by default for a saturated 2-core machine. */
  timeout?: number;
}

/** The script's argv with `node` replaced by this Node, e.g. [node, -r, ./tools/loader/register.js, tools/commands/check.ts]. */
export function toolCommandLine(command: string): string[] {
  const scripts = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")).scripts as Record<string, string>;
  const script = scripts[command];
  if (script === undefined) throw new Error(`package.json has no script "${command}"`);
  const words = script.trim().split(/\s+/u);
  if (words[0] !== "node") throw new Error(`package.json script "${command}" does not start with node: ${script}`);
  return [process.execPath, ...words.slice(1)];
}

export function runTool(command: string, args: string[] = [], options: RunToolOptions = {}): ToolRun {
  const [node, ...prefix] = toolCommandLine(command);
  const result = spawnSync(node as string, [...prefix, ...args], {
    // npm runs scripts from the package root, and the scripts' paths are relative to it.
    cwd: PROJECT_DIR,
    env: options.env ?? process.env,
    encoding: "utf8",
    timeout: options.timeout ?? TOOL_TIMEOUT_MS,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * runTool without blocking this process: for a command that talks to fakes
 * served from this process (their event loop must keep running).
 */
export function runToolAsync(command: string, args: string[] = [], options: RunToolOptions = {}): Promise<ToolRun> {
  const [node, ...prefix] = toolCommandLine(command);
  const child = spawn(node as string, [...prefix, ...args], {
    cwd: PROJECT_DIR,
    env: options.env ?? process.env,
    timeout: options.timeout ?? TOOL_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
