import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allPolicies, PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { main } from "../../tools/commands/check";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { runTool } from "../support/runTool";

const FIXTURE = join(PROJECT_DIR, "test/fixtures/stack-export-with-secrets-and-unknowns.json");
/** A ts-node subprocess running the whole program, on a machine whose two cores may be saturated. */
const SUBPROCESS_TIMEOUT_MS = 180_000;

/** Runs check in a child process, as `npm run check` does (the mock runtime is once per process). */
const checkProcess = (...args: string[]) => runTool("check", args, { timeout: SUBPROCESS_TIMEOUT_MS });

/** Runs check in this process on state files, capturing its streams. */
async function checkInProcess(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { write: (t: string) => (stdout += t) } as never, { write: (t: string) => (stderr += t) } as never);
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "check-"));

/** Writes a JSON document into this run's scratch folder; returns its path. */
function write(name: string, document: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(document));
  return path;
}

function exportOf(resources: object[]) {
  return { version: 3, deployment: { manifest: {}, resources } };
}

describe("npm run check on the prod stack (no credentials, mock runtime)", () => {
  const emitted = join(dir, "prod-state.json");
  let first: ReturnType<typeof checkProcess>;

  beforeAll(() => {
    first = checkProcess("--emit-state", emitted, "--json");
  }, SUBPROCESS_TIMEOUT_MS);

  it("exits 0 with no violation, progress on stderr and JSON on stdout", () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("Loading stack prod under the Pulumi mock runtime");
    const report = JSON.parse(first.stdout);
    expect(report.violations).toEqual([]);
    expect(report.resources).toContainEqual(expect.objectContaining({ type: "aws:s3/bucket:Bucket", name: "legal-hold-archive-bucket" }));
  });

  it("says in the JSON what it judged: the stack, every resource, the one legal-hold archive, every policy", () => {
    const report = JSON.parse(first.stdout);
    expect(report.judged).toEqual({
      source: "stack prod (Pulumi mock runtime)",
      resources: report.resources.length,
      legalHoldArchives: [expect.stringMatching(/::legal-hold-archive-bucket$/)],
      policies: allPolicies.length,
    });
  });

  it("says what it judged in the first line of the text report", async () => {
    const { code, stdout } = await checkInProcess("--state", emitted);
    expect(code).toBe(0);
    const resources = JSON.parse(first.stdout).resources.length;
    expect(stdout.split("\n")[0]).toBe(
      `Judging state file ${emitted}: ${resources} resources, 1 legal-hold archive, ${allPolicies.length} policies of ${PACK_NAME}@${PACK_VERSION}`,
    );
  });

  it("round-trips: --state on the emitted export gives the same resources and verdicts", async () => {
    const second = await checkInProcess("--state", emitted, "--json");
    expect(second.code).toBe(0);
    const { judged, ...rest } = JSON.parse(second.stdout);
    const { judged: judgedFirst, ...restFirst } = JSON.parse(first.stdout);
    expect(rest).toEqual(restFirst);
    expect(judged).toEqual({ ...judgedFirst, source: `state file ${emitted}` });
  });

  it("exits 1 naming the policy when the exported state is edited into a misconfiguration", async () => {
    const state = JSON.parse(readFileSync(emitted, "utf8"));
    const bucket = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::legal-hold-archive-bucket"));
    bucket.inputs.objectLockEnabled = false;
    const { code, stdout } = await checkInProcess("--state", write("edited.json", state));
    expect(code).toBe(1);
    expect(stdout).toContain("MANDATORY  s3-bucket-enable-object-lock");
    expect(stdout).toContain("FAIL: 1 mandatory violation");
  });

  it("exits 1 saying why when every S3 resource is removed from the prod export: no legal-hold archive", async () => {
    const state = JSON.parse(readFileSync(emitted, "utf8"));
    state.deployment.resources = state.deployment.resources.filter((r: { type: string }) => !r.type.startsWith("aws:s3"));
    const { code, stdout, stderr } = await checkInProcess("--state", write("no-s3.json", state), "--json");
    expect(code).toBe(1);
    const { judged } = JSON.parse(stdout);
    expect(judged.legalHoldArchives).toEqual([]);
    expect(judged.resources).toBeGreaterThan(0);
    expect(judged.problem).toMatch(
      /no-s3\.json has no legal-hold archive \(an aws:s3 Bucket with objectLockEnabled: true tagged "legal-hold:purpose" = "evidence"\)/,
    );
    expect(stderr).toContain(`FAIL: ${judged.problem}`);
  });

  it("does not count an evidence bucket whose Object Lock is off as a legal-hold archive", async () => {
    const state = JSON.parse(readFileSync(emitted, "utf8"));
    const bucket = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::legal-hold-archive-bucket"));
    bucket.inputs.objectLockEnabled = false;
    const { code, stdout } = await checkInProcess("--state", write("lock-off.json", state));
    expect(code).toBe(1);
    expect(stdout.split("\n")[0]).toMatch(/: \d+ resources, 0 legal-hold archives, /);
    expect(stdout).toMatch(/FAIL: 1 mandatory violation\nFAIL: .*lock-off\.json has no legal-hold archive/);
  });

  it("prints a Markdown summary fit for a pull-request job summary", async () => {
    const { code, stdout } = await checkInProcess("--state", emitted, "--markdown");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^### Policy check passed — state file .*: \d+ resources, 1 legal-hold archive, \d+ policies\n/);
  });
});

describe("npm run check refuses to pass on something that is not a stack of this project", () => {
  it("exits 2 on an export with no resources at all", async () => {
    const { code, stdout, stderr } = await checkInProcess("--state", write("empty.json", { version: 3 }));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /empty\.json has no resources, so there is nothing to judge; pass the `pulumi stack export` of a deployed stack/,
    );
  });

  it("exits 2 on an export holding only the root stack and a provider", async () => {
    const stackOnly = exportOf([
      { urn: "urn:pulumi:dev::other::pulumi:pulumi:Stack::other-dev", custom: false, type: "pulumi:pulumi:Stack" },
      { urn: "urn:pulumi:dev::other::pulumi:providers:aws::default", custom: true, type: "pulumi:providers:aws" },
    ]);
    const { code, stderr } = await checkInProcess("--state", write("stack-only.json", stackOnly));
    expect(code).toBe(2);
    expect(stderr).toMatch(/stack-only\.json has no cloud resources \(only 1 stack or component entries\), so there is nothing to judge/);
  });

  it("exits 1 on another project's stack, saying it has no legal-hold archive", async () => {
    const unrelated = exportOf([
      { urn: "urn:pulumi:dev::webshop::pulumi:pulumi:Stack::webshop-dev", custom: false, type: "pulumi:pulumi:Stack" },
      {
        urn: "urn:pulumi:dev::webshop::aws:sqs/queue:Queue::orders",
        custom: true,
        type: "aws:sqs/queue:Queue",
        inputs: { visibilityTimeoutSeconds: 30 },
        outputs: { visibilityTimeoutSeconds: 30 },
      },
      {
        urn: "urn:pulumi:dev::webshop::aws:s3/bucket:Bucket::assets",
        custom: true,
        type: "aws:s3/bucket:Bucket",
        inputs: { forceDestroy: true },
        outputs: { bucket: "assets-1234", forceDestroy: true },
      },
    ]);
    const { code, stdout, stderr } = await checkInProcess("--state", write("unrelated.json", unrelated));
    expect(code).toBe(1);
    expect(stdout.split("\n")[0]).toBe(
      `Judging state file ${join(dir, "unrelated.json")}: 3 resources, 0 legal-hold archives, ${allPolicies.length} policies of ${PACK_NAME}@${PACK_VERSION}`,
    );
    expect(stdout).toMatch(
      /FAIL: .*unrelated\.json has no legal-hold archive .*this is another project's stack or its archive was removed\n$/,
    );
    expect(stderr).toMatch(/FAIL: .*unrelated\.json has no legal-hold archive/);
  });

  it("counts a legal-hold archive declared with the deprecated BucketV2 token", async () => {
    const v2 = exportOf([
      {
        urn: "urn:pulumi:dev::x::aws:s3/bucketV2:BucketV2::archive",
        custom: true,
        type: "aws:s3/bucketV2:BucketV2",
        inputs: { objectLockEnabled: true, tags: { "legal-hold:purpose": "evidence" } },
        outputs: {},
      },
    ]);
    const { stdout } = await checkInProcess("--state", write("v2-bucket.json", v2), "--json");
    expect(JSON.parse(stdout).judged).toMatchObject({ legalHoldArchives: ["urn:pulumi:dev::x::aws:s3/bucketV2:BucketV2::archive"] });
    expect(JSON.parse(stdout).judged.problem).toBeUndefined();
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
    expect(JSON.parse(stdout).judged.problem).toMatch(
      /has no confirmed legal-hold archive: objectLockEnabled of evidence bucket \S+ is unknown \(a preview value\)/,
    );
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
    [["--bogus"], /unknown option '?--bogus'?/i],
    [["--state", FIXTURE, "--emit-state", dir], /^--emit-state \S+ is a directory; give a file path such as \S+out\.json$/m],
    [
      ["--state", FIXTURE, "--emit-state", join(dir, "no", "such", "x.json")],
      /^cannot write --emit-state \S+x\.json: the folder \S+such does not exist; create it or choose another path$/m,
    ],
  ])("%j", async (args, message) => {
    const { code, stderr } = await checkInProcess(...(args as string[]));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it(
    "names a stack whose file does not exist",
    () => {
      expect(checkProcess("--stack", "staging")).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("Pulumi.staging.yaml does not exist"),
      });
    },
    SUBPROCESS_TIMEOUT_MS,
  );
});
