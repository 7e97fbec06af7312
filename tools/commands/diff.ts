// `npm run diff`: what a change does to access, trust, archive protections
// and Genesys Cloud permissions, between two stack states, in sentences a
// security reviewer can act on. Each side is a `pulumi stack export` file
// (`--from`/`--to`) or a stack of this project run under the Pulumi mock
// runtime (`--from-stack`/`--to-stack`). The mock runtime runs once per
// process, so every stack side runs in a child `npm run check` process that
// emits its state (tools/commands/check.ts --emit-state); both sides may be stacks.
// Exit 0: nothing widens; 1: something widens; 2: bad usage or input.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../engine/mockRuntime";
import type { AnalyzableResource } from "../engine/policyAnalysis";
import { readStackExport } from "../engine/stackExport";
import { diffResources, renderJson, renderMarkdown, renderText, widens } from "./accessDiff";
import { type CliValues, type CommandSpec, InputError, UsageError } from "./cliArgs";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const DIFF: CommandSpec = {
  name: "diff",
  summary:
    "Says who gains or loses which access to what between two stack states: each side is a `pulumi stack export` file or a stack of this project run under the Pulumi mock runtime. Give one of --from and --from-stack, and one of --to and --to-stack.",
  options: {
    from: { type: "string", value: "FILE", description: "The state before the change: a `pulumi stack export` file." },
    "from-stack": { type: "string", value: "NAME", description: "The state before the change: stack NAME run under the mock runtime." },
    to: { type: "string", value: "FILE", description: "The state after the change: a `pulumi stack export` file." },
    "to-stack": { type: "string", value: "NAME", description: "The state after the change: stack NAME run under the mock runtime." },
    json: { type: "boolean", default: false, description: "Print the findings as JSON." },
    markdown: { type: "boolean", default: false, description: "Print a Markdown report (for a pull request's job summary)." },
  },
  exitCodes: "0 nothing widens, 1 something widens (a security reviewer must approve), 2 bad usage or input",
};

interface SideOption {
  file?: string;
  stack?: string;
}

interface Options {
  from: SideOption;
  to: SideOption;
  json: boolean;
  markdown: boolean;
}

function parseOptions(values: CliValues): Options {
  const side = (name: "from" | "to"): SideOption => {
    const file = values[name] as string | undefined;
    const stack = values[`${name}-stack`] as string | undefined;
    if ((file === undefined) === (stack === undefined)) throw new UsageError(`give exactly one of --${name} FILE and --${name}-stack NAME`);
    return { file, stack };
  };
  if (values.json && values.markdown) throw new UsageError("--json and --markdown are alternatives; give one");
  return { from: side("from"), to: side("to"), json: values.json === true, markdown: values.markdown === true };
}

const describeSide = (side: SideOption) => (side.file !== undefined ? side.file : `stack ${side.stack}`);

/** Runs the stack under the mock runtime in a child process (see the header) and reads the state it emits. */
export function stackResources(stack: string): AnalyzableResource[] {
  const dir = mkdtempSync(join(tmpdir(), "diff-stack-"));
  const file = join(dir, "state.json");
  try {
    const child = spawnSync(
      process.execPath,
      [
        "-r",
        join(PROJECT_DIR, "tools/loader/register.js"),
        join(PROJECT_DIR, "tools/commands/check.ts"),
        "--stack",
        stack,
        "--emit-state",
        file,
        "--json",
      ],
      { cwd: PROJECT_DIR, encoding: "utf8" },
    );
    // check exits 1 on policy violations but still emits the state; the diff is about changes, not the gate.
    if (!existsSync(file)) throw new InputError(`stack ${stack} could not be run under the mock runtime:\n${(child.stderr ?? "").trim()}`);
    return readStackExport(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(side: SideOption): AnalyzableResource[] {
  return side.file !== undefined ? readStackExport(side.file) : stackResources(side.stack as string);
}

/** Runs the diff; returns the exit code. */
export function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  return runCommand(DIFF, argv, { out, err }, async (values) => {
    const options = parseOptions(values);
    err.write(`Loading ${describeSide(options.from)} and ${describeSide(options.to)}...\n`);
    let from: AnalyzableResource[];
    let to: AnalyzableResource[];
    try {
      from = load(options.from);
      to = load(options.to);
    } catch (error) {
      // Unreadable or malformed exports are input errors, whatever raised them.
      throw error instanceof InputError ? error : new InputError((error as Error).message, { cause: error });
    }
    const report = await diffResources(from, to, { from: describeSide(options.from), to: describeSide(options.to) });
    out.write(options.json ? renderJson(report) : options.markdown ? renderMarkdown(report) : renderText(report));
    return widens(report) ? 1 : 0;
  });
}

if (require.main === module) startCommand(main);
