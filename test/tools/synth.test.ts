import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { runTool, TOOL_TIMEOUT_MS } from "../support/runTool";

/** Runs the quickstart's main command exactly as `npm run synth` does. */
const synth = (...args: string[]) => runTool("synth", args);

describe("npm run synth", () => {
  it(
    "runs the prod stack without credentials and lists the archive",
    () => {
      const { code, stdout } = synth();
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Stack prod of legal-hold-archive: \d+ resources/);
      expect(stdout).toMatch(/aws:s3\/bucket:Bucket {2}legal-hold-archive-bucket {2}\[protected, retained on delete\]/);
      expect(stdout).toContain("genesysApiBaseUrl = https://api.euw2.pure.cloud");
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "prints resources and outputs as JSON with --json",
    () => {
      const { code, stdout } = synth("--json");
      expect(code).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.resources).toContainEqual(expect.objectContaining({ type: "aws:kms/key:Key", name: "legal-hold-archive-key" }));
      expect(report.outputs.archiveKeyAlias).toBe("alias/legal-hold-archive");
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "exits 2 naming the key and the fix when a stack's config is invalid",
    () => {
      const stack = `synth-invalid-${process.pid}`;
      const file = join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
      copyFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), file);
      writeFileSync(file, readFileSync(file, "utf8").replace("retention: 7y", "retention: 0d"));
      try {
        const { code, stderr } = synth("--stack", stack);
        expect(code).toBe(2);
        expect(stderr).toContain('legal-hold-archive:retention: "0d" is not a retention from 1 day to 100 years');
      } finally {
        rmSync(file);
      }
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "exits 2 on an unknown option or a missing stack file",
    () => {
      expect(synth("--bogus")).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option --bogus") });
      expect(synth("--stack", "missing")).toMatchObject({ code: 2, stderr: expect.stringContaining("Pulumi.missing.yaml does not exist") });
    },
    TOOL_TIMEOUT_MS,
  );
});
