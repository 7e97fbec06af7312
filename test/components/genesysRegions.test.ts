import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { providerRegionProblem } from "../../components/genesysRegions";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

describe("providerRegionProblem", () => {
  it("accepts the provider's region when it names genesysRegion, in any case", () => {
    expect(providerRegionProblem("eu-west-2", "eu-west-2", undefined)).toBeUndefined();
    expect(providerRegionProblem("eu-west-2", "EU-WEST-2", "us-east-1")).toBeUndefined();
  });

  it("names genesyscloud:awsRegion, both regions and the command that fixes it", () => {
    expect(providerRegionProblem("eu-west-2", "us-east-1", undefined)).toBe(
      'genesyscloud:awsRegion: "us-east-1" is not the Genesys org\'s region; the provider would create the integration, role and OAuth client in us-east-1 while the worker calls eu-west-2. Set it with `pulumi config set genesyscloud:awsRegion eu-west-2` (or fix legal-hold-archive:genesysRegion if that is wrong)',
    );
  });

  it("falls back to GENESYSCLOUD_REGION, as the provider does, only when the key is unset", () => {
    expect(providerRegionProblem("eu-west-2", undefined, "eu-central-1")).toMatch(/^GENESYSCLOUD_REGION \(the provider reads it/);
    expect(providerRegionProblem("eu-west-2", "", "eu-west-2")).toBeUndefined();
  });

  it("leaves an unset provider region to the provider", () => {
    expect(providerRegionProblem("eu-west-2", undefined, undefined)).toBeUndefined();
  });
});

// A Node process running the whole program under the mock runtime, on a machine that may be saturated.
const PROGRAM_TIMEOUT_MS = 120_000;

describe("a provider region that is not genesysRegion stops the program at start", () => {
  it(
    "exits non-zero before any resource, with the problem in the stack-configuration error",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "provider-region-"));
      const project = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
      writeFileSync(join(dir, "Pulumi.yaml"), stringify({ ...project, main: join(PROJECT_DIR, "stacks") }));
      const prod = parse(readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
      writeFileSync(join(dir, "Pulumi.elsewhere.yaml"), stringify({ config: { ...prod.config, "genesyscloud:awsRegion": "us-east-1" } }));
      const script = `require("./tools/engine/mockRuntime").runStackUnderMocks(${JSON.stringify(dir)}, "elsewhere")
        .then(() => process.exit(0), (error) => { process.stderr.write(error.message); process.exit(1); });`;
      const env = { ...process.env };
      delete env.GENESYSCLOUD_REGION;
      const { status, stderr } = spawnSync(process.execPath, ["-r", "./tools/loader/register.js", "-e", script], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env,
        timeout: PROGRAM_TIMEOUT_MS,
      });
      expect(stderr).toMatch(
        /^Invalid stack configuration \(1 problem\):\n {2}- genesyscloud:awsRegion: "us-east-1" is not the Genesys org's region/,
      );
      expect(status).toBe(1);
    },
    PROGRAM_TIMEOUT_MS,
  );
});
