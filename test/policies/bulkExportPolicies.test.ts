// The bulk-export policies' messages on the prod stack's own mistakes: each says what is wrong, why, and the fix.
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { misconfigurationCase, misconfigure } from "../support/prodMisconfigurations";

let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

async function messageFor(description: string): Promise<string> {
  const { policy, change } = misconfigurationCase(description);
  const violations = (await evaluatePack(misconfigure(prod, change))).filter((v) => v.policy === policy);
  expect(violations).toHaveLength(1);
  return violations[0]?.message as string;
}

describe("the seed's CIDR-only setup for Genesys' bulk export", () => {
  it("is refused with why a CIDR allow cannot admit Genesys and what to do instead", async () => {
    const message = await messageFor("the seed's setup: the landing bucket admits Genesys by its CIDR ranges instead of the writer role");
    expect(message).toMatch(/statement "AllowGenesysCloudCidrRanges" allows s3:PutObject by aws:SourceIp/);
    expect(message).toMatch(/Genesys writes as the role it assumes \(account 765628985471 with your organization id as ExternalId\)/);
    expect(message).toMatch(/remove the statement and admit the bulk writer role by principal/);
  });
});

describe("the landing bucket's lifecycle", () => {
  it("names what is missing and the limit", async () => {
    expect(await messageFor("the landing bucket's lifecycle without an expiry of uncollected recordings")).toMatch(
      /has no enabled whole-bucket lifecycle rule with an expiry of uncollected objects; add a rule with expiration \{ days: 1-90 \}/,
    );
    expect(await messageFor("uncollected recordings kept in the landing bucket for a year")).toMatch(
      /expiry within 90 days \(it expires after 365\)/,
    );
  });
});

describe("the role Genesys assumes for bulk exports", () => {
  it("may not write beyond its organization's folder", async () => {
    expect(await messageFor("Genesys' bulk writer may put objects anywhere in the landing bucket, routing objects included")).toMatch(
      /is assumed by Genesys Cloud and the role policy ".*bulk-export-writer-policy" lets it write arn:aws:s3:::.*landing-bucket.*\/\*; grant it only s3:PutObject on <landing bucket>\/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b\/\*/,
    );
  });

  it("may not read", async () => {
    expect(await messageFor("Genesys' bulk writer may also read landed recordings")).toMatch(/allows s3:GetObject/);
  });
});
