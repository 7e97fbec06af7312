import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

// A Node child process per run, on a machine whose two cores may be saturated.
const TIMEOUT_MS = 120_000;

// Inside the project (under the git-ignored build/), so the loader caches these files and they resolve node_modules.
const dir = join(PROJECT_DIR, "build", `register-test-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(file: string) {
  const result = spawnSync(process.execPath, ["-r", "./tools/loader/register.js", file], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    timeout: TIMEOUT_MS,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

function write(name: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("tools/loader/register.js runs the project's TypeScript", () => {
  it(
    "keeps the CommonJS semantics the commands rely on: ip-cidr's default import, import() of TypeScript, class fields",
    () => {
      write("shape.ts", "export interface Shape { sides: number }\nexport const TRIANGLE: Shape = { sides: 3 };\n");
      const main = write(
        "main.ts",
        [
          'import IPCIDR from "ip-cidr";',
          'import type { Shape } from "./shape";',
          "class Counter { count: number = 1; readonly step!: number; }",
          "async function main(): Promise<void> {",
          '  const { TRIANGLE }: { TRIANGLE: Shape } = await import("./shape");',
          '  const cidr = new IPCIDR("10.1.2.0/24");',
          '  console.log([IPCIDR.isValidCIDR("10.1.2.0/24"), cidr.start(), TRIANGLE.sides, Object.keys(new Counter()).join("+")].join(" "));',
          "}",
          "main();",
        ].join("\n"),
      );
      const { code, stdout, stderr } = run(main);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toBe("true 10.1.2.0 3 count+step");
    },
    TIMEOUT_MS,
  );

  it(
    "caches each file's output by a hash of its source, and never serves a stale one",
    () => {
      const file = write("version.ts", 'const version: string = "one";\nconsole.log(version);\n');
      expect(run(file).stdout).toBe("one");
      const cached = join(PROJECT_DIR, "build", "transpiled", `${relative(PROJECT_DIR, file)}.js`);
      const firstCache = readFileSync(cached, "utf8");
      expect(firstCache).toContain('"one"');

      // The second run reads the cache rather than transpiling: a marked cached output is what runs.
      writeFileSync(cached, firstCache.replace('"one"', '"one, from the cache"'));
      expect(run(file).stdout).toBe("one, from the cache");

      write("version.ts", 'const version: string = "two";\nconsole.log(version);\n');
      expect(run(file).stdout).toBe("two");
      expect(readFileSync(cached, "utf8")).toContain('"two"');
    },
    TIMEOUT_MS,
  );
});
