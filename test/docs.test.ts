import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { archiveBucketPolicy } from "../components/archive/archiveBucketPolicy";
import { archiveKeyPolicy } from "../components/archive/archiveKeyPolicy";
import { signingKeyPolicy } from "../components/archive/signingKeyPolicy";
import { regeneratedReadme } from "../tools/commands/docs";
import { PROJECT_DIR } from "../tools/engine/mockRuntime";
import { TOOL_TIMEOUT_MS } from "./support/runTool";

const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

describe("README.md", () => {
  it(
    "has its configuration reference, policy catalogue and real diff output generated from the current sources (run `npm run docs` if this fails)",
    async () => {
      // Runs the prod stack under the mock runtime for the diff example.
      expect(readme).toBe(await regeneratedReadme(readme));
    },
    TOOL_TIMEOUT_MS,
  );

  it("explains every Sid the bucket and key policies can contain", () => {
    const bucket = archiveBucketPolicy({
      bucketArn: "arn:aws:s3:::b",
      keyArn: "k",
      writerRoleArns: [role("W")],
      reviewerPrincipalArns: [role("R")],
      reviewerCidrs: ["203.0.113.0/24"],
      adminPrincipalArns: [role("A")],
      holdReleaseRoleArns: [role("H")],
    });
    const key = archiveKeyPolicy({
      accountId: "111122223333",
      s3ServiceName: "s3",
      adminPrincipalArns: [role("A")],
      writerRoleArns: [role("W")],
      reviewerPrincipalArns: [role("R")],
      holdReleaseRoleArns: [role("H")],
    });
    const signing = signingKeyPolicy({
      adminPrincipalArns: [role("A")],
      writerRoleArns: [role("W")],
      reviewerPrincipalArns: [role("R")],
      holdReleaseRoleArns: [role("H")],
    });
    for (const { Sid } of [...bucket.Statement, ...key.Statement, ...signing.Statement]) expect(readme).toContain(`\`${Sid}\``);
  });

  it("keeps the quickstart to the two commands CI and newcomers run", () => {
    const quickstart = readme.slice(readme.indexOf("## Quickstart"), readme.indexOf("## Architecture"));
    expect(quickstart).toContain("npm ci && npm run check");
    expect(quickstart).toMatch(/^\.ci\/run /m);
    expect(readFileSync(join(PROJECT_DIR, ".ci/run"), "utf8")).toMatch(/npm ci[^\n]*\nnpm test\n/);
  });
});

describe("the pull-request workflow", () => {
  const workflow = parse(readFileSync(join(PROJECT_DIR, ".github/workflows/policy-gate.yml"), "utf8"));
  const commands = (job: string): string[] => workflow.jobs[job].steps.map((s: { run?: string; uses?: string }) => s.run ?? s.uses);

  it("runs the tests and the credential-free check into the job summary", () => {
    expect(commands("check")).toEqual(
      expect.arrayContaining(["npm ci", "npm test", 'npm run -s check -- --markdown >> "$GITHUB_STEP_SUMMARY"']),
    );
  });

  it("runs pulumi preview with the pack through pulumi/actions", () => {
    const preview = workflow.jobs.preview.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
    expect(preview.with).toMatchObject({ command: "preview", "stack-name": "prod", policyPacks: "policies" });
  });
});

describe("the pull-request access diff", () => {
  const workflow = parse(readFileSync(join(PROJECT_DIR, ".github/workflows/policy-gate.yml"), "utf8"));

  it("diffs the base branch's stack against the PR's into the job summary", () => {
    const runs = workflow.jobs["access-diff"].steps.map((s: { run?: string }) => s.run ?? "").join("\n");
    expect(runs).toContain('npm run -s check -- --emit-state "$RUNNER_TEMP/base.json"');
    expect(runs).toContain('npm run -s diff -- --from "$RUNNER_TEMP/base.json" --to-stack prod --markdown >> "$GITHUB_STEP_SUMMARY"');
  });
});
