// `npm run synth -- [--stack NAME] [--json]`: runs the program for a stack
// under the Pulumi mock runtime (no CLI, no credentials, no network) and
// prints every resource it would create and the stack outputs.
// Exit 0 on success, 2 on bad usage, unreadable stack files or invalid config.

import { PROJECT_DIR, runStackUnderMocks, type SimulatedResource, type StackRun } from "../engine/mockRuntime";
import type { CommandSpec } from "./cliArgs";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const SYNTH: CommandSpec = {
  name: "synth",
  summary:
    "Runs the program for a stack under the Pulumi mock runtime (no CLI, no credentials, no network) and prints every resource it would create and the stack outputs.",
  options: {
    stack: { type: "string", value: "NAME", default: "prod", description: "The stack whose Pulumi.NAME.yaml to run." },
    json: { type: "boolean", default: false, description: "Print resources and outputs as JSON." },
  },
  exitCodes: "0 ran, 2 bad usage, unreadable stack files or invalid config",
};

function tree(run: StackRun): string[] {
  const children = new Map<string | undefined, SimulatedResource[]>();
  for (const r of run.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained on delete" : ""].filter(Boolean).join(", ");
      lines.push(`${"  ".repeat(depth + 1)}${r.type}  ${r.name}${flags ? `  [${flags}]` : ""}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

export function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  return runCommand(SYNTH, argv, { out, err }, async (values) => {
    const stack = values.stack as string;
    err.write(`Running stack "${stack}" under the Pulumi mock runtime...\n`);
    const run = await runStackUnderMocks(PROJECT_DIR, stack);
    if (values.json) {
      const resources = run.resources.map(({ urn, type, name }) => ({ urn, type, name }));
      out.write(`${JSON.stringify({ resources, outputs: run.outputs }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `Stack ${run.settings.stack} of ${run.settings.project}: ${run.resources.length} resources (mock runtime, nothing was deployed)`,
      ...tree(run),
      "Outputs:",
      ...Object.entries(run.outputs).map(([name, value]) => `  ${name} = ${typeof value === "string" ? value : JSON.stringify(value)}`),
    ];
    out.write(`${lines.join("\n")}\n`);
    return 0;
  });
}

if (require.main === module) startCommand(main);
