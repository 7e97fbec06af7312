import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type BundleOptions, bundleHandler, RECORD_FILE } from "../../components/lambdaBundle";

// Each bundle build runs esbuild; generous for a saturated 2-core machine.
const TIMEOUT_MS = 120_000;

const scratch = mkdtempSync(join(tmpdir(), "lambda-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let root: string;
let options: BundleOptions;
let trial = 0;

/** Writes a source file dated an hour ago, as one saved well before the build (see the mid-build edit test). */
function write(relativePath: string, content: string, modified = new Date(Date.now() - 3_600_000)): void {
  const path = join(root, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  utimesSync(path, modified, modified);
}

const bundle = (extra: Partial<BundleOptions> = {}) => bundleHandler("fn", join(root, "handler.ts"), { ...options, ...extra });
const bundleText = (directory: string) => readFileSync(join(directory, "index.js"), "utf8");

beforeEach(() => {
  root = join(scratch, `project-${++trial}`);
  options = { root, buildDir: join(root, "build", "lambda") };
  write("package-lock.json", '{ "lockfileVersion": 3 }\n');
  write(
    "handler.ts",
    'import { greeting } from "./greeting";\nimport { helper } from "./lib";\nexport const handler = async () => [greeting, helper].join("/");\n',
  );
  write("greeting.ts", 'export const greeting: string = "hello-v1";\n');
  write("lib/index.ts", 'export const helper: string = "helper-from-folder";\n');
});

describe("bundleHandler reuses a bundle only while everything it was built from is unchanged", () => {
  it(
    "builds on the first run, then reuses the bundle without building",
    () => {
      const first = bundle();
      expect(first.built).toBe(true);
      expect(bundleText(first.directory)).toContain("hello-v1");
      const record = JSON.parse(readFileSync(join(dirname(first.directory), RECORD_FILE), "utf8"));
      expect(record.inputs).toEqual(expect.arrayContaining(["handler.ts", "greeting.ts", "lib/index.ts", "package-lock.json"]));

      const second = bundle();
      expect(second).toEqual({ ...first, built: false });
    },
    TIMEOUT_MS,
  );

  it(
    "rebuilds when one byte of an imported source changes, and ships the new code",
    () => {
      bundle();
      write("greeting.ts", 'export const greeting: string = "hello-v2";\n');
      const rebuilt = bundle();
      expect(rebuilt.built).toBe(true);
      expect(bundleText(rebuilt.directory)).toContain("hello-v2");
      expect(bundle().built).toBe(false);
    },
    TIMEOUT_MS,
  );

  it(
    "rebuilds when the build options change",
    () => {
      bundle();
      const unminified = bundle({ overrides: { minify: false } });
      expect(unminified.built).toBe(true);
      expect(bundleText(unminified.directory)).toContain("hello-v1");
      expect(bundle({ overrides: { minify: false } }).built).toBe(false);
      expect(bundle().built).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    "rebuilds when the lockfile changes",
    () => {
      bundle();
      write("package-lock.json", '{ "lockfileVersion": 3, "packages": {} }\n');
      expect(bundle().built).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    "rebuilds when a new file would shadow an import (lib.ts beside lib/index.ts)",
    () => {
      bundle();
      write("lib.ts", 'export const helper: string = "helper-from-file";\n');
      const rebuilt = bundle();
      expect(rebuilt.built).toBe(true);
      expect(bundleText(rebuilt.directory)).toContain("helper-from-file");
    },
    TIMEOUT_MS,
  );

  it(
    "rebuilds when the bundle was deleted or edited by hand",
    () => {
      const first = bundle();
      rmSync(join(first.directory, "index.js"));
      expect(bundle().built).toBe(true);
      writeFileSync(join(first.directory, "index.js"), "// edited\n");
      const repaired = bundle();
      expect(repaired.built).toBe(true);
      expect(bundleText(repaired.directory)).toContain("hello-v1");
    },
    TIMEOUT_MS,
  );

  it(
    "rebuilds when the record is missing, as after a build that was interrupted",
    () => {
      const first = bundle();
      rmSync(join(dirname(first.directory), RECORD_FILE));
      expect(bundle().built).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    "keeps no record when a source was modified as the build ran, so the next run builds again",
    () => {
      // A modification time after the build started stands for an edit saved while esbuild was reading.
      write("greeting.ts", 'export const greeting: string = "hello-v3";\n', new Date(Date.now() + 60_000));
      const first = bundle();
      expect(first.built).toBe(true);
      expect(existsSync(join(dirname(first.directory), RECORD_FILE))).toBe(false);
      write("greeting.ts", 'export const greeting: string = "hello-v3";\n');
      expect(bundle().built).toBe(true);
      expect(bundle().built).toBe(false);
    },
    TIMEOUT_MS,
  );
});

describe("the worker's real bundle", () => {
  it(
    "records the node_modules files and the project's lockfile among its inputs, and is reused on the next run",
    () => {
      const buildDir = join(scratch, "real-build");
      const worker = join(__dirname, "..", "..", "lambda", "worker", "handler.ts");
      expect(bundleHandler("worker", worker, { buildDir }).built).toBe(true);
      const record = JSON.parse(readFileSync(join(buildDir, "worker", RECORD_FILE), "utf8"));
      expect(record.inputs).toEqual(expect.arrayContaining(["lambda/worker/handler.ts", "package-lock.json"]));
      expect(record.inputs.some((input: string) => input.startsWith("node_modules/@aws-sdk/client-s3/"))).toBe(true);
      expect(bundleHandler("worker", worker, { buildDir }).built).toBe(false);
    },
    TIMEOUT_MS,
  );
});
