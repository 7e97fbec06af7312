// `npm run synth -- [--stack NAME] [--json]`: runs the program for a stack
// under the Pulumi mock runtime (no CLI, no credentials, no network) and
// prints every resource it would create and the stack outputs.
// Exit 0 on success, 2 on bad usage, unreadable stack files or invalid config.

import { PROJECT_DIR, runStackUnderMocks, type SimulatedResource, type StackRun } from "../engine/mockRuntime";
import { parseCliOptions } from "./cliArgs";

const USAGE = "usage: npm run synth -- [--stack NAME] [--json]";

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

async function main(argv: string[]): Promise<number> {
  let options: { stack: string; json: boolean };
  try {
    const values = parseCliOptions(argv, { stack: { type: "string", default: "prod" }, json: { type: "boolean", default: false } });
    options = { stack: values.stack as string, json: values.json as boolean };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let run: StackRun;
  try {
    process.stderr.write(`Running stack "${options.stack}" under the Pulumi mock runtime...\n`);
    run = await runStackUnderMocks(PROJECT_DIR, options.stack);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (options.json) {
    const resources = run.resources.map(({ urn, type, name }) => ({ urn, type, name }));
    process.stdout.write(`${JSON.stringify({ resources, outputs: run.outputs }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `Stack ${run.settings.stack} of ${run.settings.project}: ${run.resources.length} resources (mock runtime, nothing was deployed)`,
    ...tree(run),
    "Outputs:",
    ...Object.entries(run.outputs).map(([name, value]) => `  ${name} = ${typeof value === "string" ? value : JSON.stringify(value)}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
