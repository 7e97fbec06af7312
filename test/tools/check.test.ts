import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../tools/commands/check";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

const FIXTURE = join(PROJECT_DIR, "test/fixtures/stack-export-with-secrets-and-unknowns.json");

/** Runs check in a child process, as `npm run check` does (the mock runtime is once per process). */
function checkProcess(...args: string[]) {
  const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/commands/check.ts", ...args], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs check in this process on state files, capturing its streams. */
async function checkInProcess(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { write: (t: string) => (stdout += t) } as never, { write: (t: string) => (stderr += t) } as never);
  return { code, stdout, stderr };
}

describe("npm run check on the prod stack (no credentials, mock runtime)", () => {
  const dir = mkdtempSync(join(tmpdir(), "check-"));
  const emitted = join(dir, "prod-state.json");
  let first: ReturnType<typeof checkProcess>;

  beforeAll(() => {
    first = checkProcess("--emit-state", emitted, "--json");
  });

  it("exits 0 with no violation, progress on stderr and JSON on stdout", () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Loading stack prod under the Pulumi mock runtime");
    const report = JSON.parse(first.stdout);
    expect(report.violations).toEqual([]);
    expect(report.resources).toContainEqual(expect.objectContaining({ type: "aws:s3/bucket:Bucket", name: "legal-hold-archive-bucket" }));
  });

  it("round-trips: --state on the emitted export gives the same resources and verdicts", async () => {
    const second = await checkInProcess("--state", emitted, "--json");
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it("exits 1 naming the policy when the exported state is edited into a misconfiguration", async () => {
    const state = JSON.parse(readFileSync(emitted, "utf8"));
    const bucket = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::legal-hold-archive-bucket"));
    bucket.inputs.objectLockEnabled = false;
    const edited = join(dir, "edited.json");
    writeFileSync(edited, JSON.stringify(state));
    const { code, stdout } = await checkInProcess("--state", edited);
    expect(code).toBe(1);
    expect(stdout).toContain("MANDATORY  s3-bucket-enable-object-lock");
    expect(stdout).toContain("FAIL: 1 mandatory violation");
  });

  it("prints a Markdown summary fit for a pull-request job summary", async () => {
    const { code, stdout } = await checkInProcess("--state", emitted, "--markdown");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^### Policy check: passed\n/);
  });
});

describe("npm run check --state on a hand-written export with secrets and unknown values", () => {
  it("does not choke on encrypted secrets, and reports unknown values as the engine does at preview", async () => {
    const { code, stdout } = await checkInProcess("--state", FIXTURE, "--json");
    const { violations } = JSON.parse(stdout);
    const objectLock = violations.find((v: { policy: string }) => v.policy === "s3-bucket-enable-object-lock");
    expect(objectLock).toMatchObject({ enforcementLevel: "advisory" });
    expect(objectLock.message).toMatch(/can't run policy 's3-bucket-enable-object-lock' .* during preview/);
    // The bucket's companions are absent from this export: the stack policies say so, so the gate fails.
    expect(violations.map((v: { policy: string }) => v.policy)).toContain("s3-bucket-missing-versioning");
    expect(code).toBe(1);
    expect(stdout).not.toContain("ciphertext");
  });

  it("skips provider resources, as the engine does", async () => {
    const { stdout } = await checkInProcess("--state", FIXTURE, "--json");
    expect(JSON.parse(stdout).resources.map((r: { type: string }) => r.type)).not.toContain("pulumi:providers:aws");
  });
});

describe("npm run check refuses bad usage and unreadable input with exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "check-bad-"));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    [["--state", join(dir, "missing.json")], /cannot read .*missing\.json: ENOENT/],
    [["--state", write("not-json.json", "{ nope")], /not-json\.json is not JSON .*pass the output of `pulumi stack export`/],
    [
      ["--state", write("v2.json", JSON.stringify({ version: 2, deployment: { resources: [] } }))],
      /v2\.json has version 2; `pulumi stack export` version 3 is expected/,
    ],
    [
      ["--state", write("no-urn.json", JSON.stringify({ version: 3, deployment: { resources: [{ type: "x" }] } }))],
      /resource #1 has no urn or type/,
    ],
    [["--stack", "prod", "--state", FIXTURE], /--stack and --state are alternatives/],
    [["--json", "--markdown", "--state", FIXTURE], /--json and --markdown are alternatives/],
    [["--bogus"], /Unknown option '--bogus'/],
  ])("%j", async (args, message) => {
    const { code, stderr } = await checkInProcess(...(args as string[]));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("names a stack whose file does not exist", () => {
    expect(checkProcess("--stack", "staging")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Pulumi.staging.yaml does not exist"),
    });
  });
});
