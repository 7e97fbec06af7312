import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { archiveBucketPolicy } from "../components/archive/archiveBucketPolicy";
import { archiveKeyPolicy } from "../components/archive/archiveKeyPolicy";
import { withConfigReference } from "../tools/configReference";
import { PROJECT_DIR } from "../tools/mockRuntime";
import { readProjectFile } from "../tools/stackSettings";

const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

describe("README.md", () => {
  it("has a configuration reference generated from the current Pulumi.yaml (run `npm run docs` if this fails)", () => {
    expect(readme).toBe(withConfigReference(readme, readProjectFile(PROJECT_DIR)));
  });

  it("explains every Sid the bucket and key policies can contain", () => {
    const bucket = archiveBucketPolicy({
      bucketArn: "arn:aws:s3:::b",
      keyArn: "k",
      writerRoleArns: [role("W")],
      reviewerPrincipalArns: [role("R")],
      reviewerCidrs: ["203.0.113.0/24"],
      adminPrincipalArns: [role("A")],
    });
    const key = archiveKeyPolicy({
      accountId: "111122223333",
      s3ServiceName: "s3",
      adminPrincipalArns: [role("A")],
      writerRoleArns: [role("W")],
      reviewerPrincipalArns: [role("R")],
    });
    for (const { Sid } of [...bucket.Statement, ...key.Statement]) expect(readme).toContain(`\`${Sid}\``);
  });

  it("keeps the quickstart to the two commands CI and newcomers run", () => {
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(readFileSync(join(PROJECT_DIR, ".ci/run"), "utf8")).toMatch(/npm ci[^\n]*\nnpm test\n/);
  });
});
