import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CASE_EXPORT } from "../../tools/commands/caseExport";
import { CASE_PRODUCE } from "../../tools/commands/caseProduce";
import { CASE_STATUS } from "../../tools/commands/caseStatus";
import { CHECK, main as check } from "../../tools/commands/check";
import { helpText } from "../../tools/commands/cliArgs";
import { DIFF } from "../../tools/commands/diff";
import { DOCS } from "../../tools/commands/docs";
import { GENESYS_BOOTSTRAP } from "../../tools/commands/genesysBootstrap";
import { HOLD_RELEASE } from "../../tools/commands/holdRelease";
import { SYNTH } from "../../tools/commands/synth";
import { VERIFY } from "../../tools/commands/verify";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { runTool, TOOL_TIMEOUT_MS } from "../support/runTool";

const SPECS = [CHECK, DIFF, VERIFY, CASE_PRODUCE, CASE_EXPORT, CASE_STATUS, HOLD_RELEASE, SYNTH, DOCS, GENESYS_BOOTSTRAP];
const STACK_TRACE_LINE = /^\s+at /m;

describe("every command's command line", () => {
  it("covers every command package.json runs from tools/commands/", () => {
    const { scripts } = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const commands = Object.entries(scripts)
      .filter(([, script]) => script.includes("tools/commands/"))
      .map(([name]) => name);
    expect(SPECS.map((spec) => spec.name).sort()).toEqual(commands.sort());
  });

  it.each(SPECS.map((spec) => [spec.name, spec] as const))(
    "%s --help prints usage and every option, exit 0",
    (name, spec) => {
      const { code, stdout, stderr } = runTool(name, ["--help"]);
      expect(code).toBe(0);
      expect(stdout).toBe(helpText(spec));
      expect(stdout.split("\n")[0]).toBe(`usage: npm run ${name} -- [options]`);
      for (const option of Object.keys(spec.options)) expect(stdout).toContain(`--${option}`);
      expect(stderr).not.toMatch(STACK_TRACE_LINE);
    },
    TOOL_TIMEOUT_MS,
  );

  it.each(SPECS.map((spec) => [spec.name] as const))(
    "%s with an unknown flag exits 2 with one line naming it",
    (name) => {
      const { code, stdout, stderr } = runTool(name, ["--no-such-flag"]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(
        new RegExp(`^unknown option --no-such-flag; the options are --\\S.* \\(see \`npm run ${name} -- --help\`\\)\\n$`),
      );
      expect(stderr).not.toMatch(STACK_TRACE_LINE);
    },
    TOOL_TIMEOUT_MS,
  );

  it("answers -h like --help, even beside other flags, without running anything", async () => {
    let out = "";
    let err = "";
    const code = await check(["--stack", "no-such-stack", "-h"], { write: (t) => (out += t) }, { write: (t) => (err += t) });
    expect([code, out, err]).toEqual([0, helpText(CHECK), ""]);
  });

  it.each([
    [["--stack"], "--stack needs a value: --stack NAME"],
    [["--json=yes"], "--json takes no value; give it alone"],
    [["prod"], 'unexpected argument "prod"; every input is given with a flag'],
  ])("%j is one line naming the flag and the fix", async (args, message) => {
    let err = "";
    const code = await check(args, { write: () => {} }, { write: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toBe(`${message} (see \`npm run check -- --help\`)\n`);
  });
});
