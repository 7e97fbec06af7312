import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

// A Node process running the whole program under the mock runtime, on a machine that may be saturated.
const PROGRAM_TIMEOUT_MS = 120_000;

/**
 * Runs the program for a stack in its own process, as the engine would: a
 * program that throws also leaves the Pulumi runtime's own promises rejected,
 * which a test process must not inherit.
 */
function runProgram(projectDir: string, stack: string) {
  const script = `require("./tools/engine/mockRuntime").runStackUnderMocks(${JSON.stringify(projectDir)}, ${JSON.stringify(stack)})
    .then(() => process.exit(0), (error) => { process.stderr.write(error.message); process.exit(1); });`;
  return spawnSync(process.execPath, ["-r", "./tools/loader/register.js", "-e", script], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    timeout: PROGRAM_TIMEOUT_MS,
  });
}

/** A scratch project running this project's program, with prod's config plus `extra`. */
function projectWithStack(stack: string, extra: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "undeclared-key-"));
  const project = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
  writeFileSync(join(dir, "Pulumi.yaml"), stringify({ ...project, main: join(PROJECT_DIR, "stacks") }));
  const prod = parse(readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify({ config: { ...prod.config, ...extra } }));
  return dir;
}

describe("a misspelled setting stops the program at start, as `pulumi preview` would", () => {
  it(
    "exits non-zero at program start, naming the key and the declared key it resembles",
    () => {
      // What `pulumi config set retentionn 10y` writes into the stack file.
      const { status, stderr } = runProgram(projectWithStack("typo", { "legal-hold-archive:retentionn": "10y" }), "typo");
      expect(stderr).toMatch(
        /^Invalid stack configuration \(1 problem\):\n {2}- legal-hold-archive:retentionn: is not a setting of this project \(Pulumi\.yaml does not declare it\); did you mean retention\?/,
      );
      expect(status).toBe(1);
    },
    PROGRAM_TIMEOUT_MS,
  );
});
