// What the patches in patches/ (README there) must keep: they make the export access proof faster and may
// never change an answer.
import { createRequire } from "node:module";
import { join } from "node:path";
import * as esm from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

describe("the iam-utils and iam-policy patches", () => {
  // Both replace localeCompare(a, b, undefined, { sensitivity: "accent" }) with one such collator's compare.
  const collator = new Intl.Collator(undefined, { sensitivity: "accent" });
  const characters = fc.constantFrom(..."aAeEéÉèüÜßsS0:/-_*?ıİ ".split(""), "e\u0301");

  it("compares as localeCompare with the same options does, case folded and accents kept", () => {
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 6 }), fc.array(characters, { maxLength: 6 }), (a, b) => {
        const [first, second] = [a.join(""), b.join("")];
        expect(collator.compare(first, second) === 0).toBe(first.localeCompare(second, undefined, { sensitivity: "accent" }) === 0);
      }),
      { numRuns: 2000 },
    );
    expect(collator.compare("S3", "s3")).toBe(0);
    expect(collator.compare("e", "é")).not.toBe(0);
  });
});

// The pack runs the CommonJS build (Pulumi requires it); vitest imports the ES module one. Both are patched.
const builds = {
  "CommonJS build": createRequire(join(PROJECT_DIR, "package.json"))("@cloud-copilot/iam-simulate") as typeof esm,
  "ES module build": esm,
};

describe.each(Object.entries(builds))(
  "the iam-simulate patch (resource types kept per service, action and resource), %s",
  (_, { runSimulation }) => {
    const simulate = (resource: string) =>
      runSimulation(
        {
          request: {
            principal: "arn:aws:iam::111111111111:role/reader",
            action: "s3:GetObject",
            resource: { resource, accountId: "111111111111" },
            contextVariables: {},
          },
          identityPolicies: [
            { name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
          ],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );

    it("never answers for one resource with the type it found for another", async () => {
      const object = await simulate("arn:aws:s3:::evidence/cases/CASE-1/a.wav");
      expect(object.resultType === "single" && object.result.resourceType).toBe("object");
      // The same action on a bucket ARN has no resource type of s3:GetObject: the kept "object" must not answer.
      const bucket = await simulate("arn:aws:s3:::evidence");
      expect(bucket.resultType === "error" && bucket.errors.message).toBe("no.resource.types");
      const again = await simulate("arn:aws:s3:::evidence/cases/CASE-1/a.wav");
      expect(again).toEqual(object);
    });
  },
);
