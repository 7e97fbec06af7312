import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { declaredConfigKeys } from "../../stacks/declaredConfig";
import { CONFIG_NAMESPACE, parseStackConfig, StackConfigError } from "../../stacks/stackConfig";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { loadStackSettings } from "../../tools/engine/stackSettings";
import { prodWith } from "./prodConfig";

function problemsOf(overrides: Record<string, string | undefined>): string[] {
  try {
    parseStackConfig(prodWith(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as StackConfigError).problems;
  }
  throw new Error("expected the configuration to be refused");
}

describe("parseStackConfig on the prod stack", () => {
  it("accepts the shipped configuration and maps the London Genesys region to its hosts", () => {
    const config = parseStackConfig(prodWith({}));
    expect(config.genesys).toEqual({
      region: "eu-west-2",
      domain: "euw2.pure.cloud",
      apiBaseUrl: "https://api.euw2.pure.cloud",
      loginBaseUrl: "https://login.euw2.pure.cloud",
      organizationId: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
      invokerAccountId: "765628985471",
      exportUnredactedMedia: false,
      tokenValiditySeconds: 3600,
      roleDivisionId: "*",
      rateLimitPerMinute: 300,
      recordingFormatId: "WAV",
    });
    expect(config.retention).toEqual({ years: 7 });
    expect(config.tags).toEqual({ CostCentre: "legal", DataClassification: "restricted" });
    expect(config.cidrRules).toEqual({ minimumIpv4Prefix: 16, minimumIpv6Prefix: 32 });
  });

  it("uses Genesys' FedRAMP account for us-east-2 unless genesysInvokerAccountId overrides it", () => {
    expect(parseStackConfig(prodWith({ genesysRegion: "us-east-2" })).genesys.invokerAccountId).toBe("325654371633");
    expect(
      parseStackConfig(prodWith({ genesysRegion: "us-east-2", genesysInvokerAccountId: "123456789012" })).genesys.invokerAccountId,
    ).toBe("123456789012");
  });

  it("reads retention in days as days", () => {
    expect(parseStackConfig(prodWith({ retention: "2555d" })).retention).toEqual({ days: 2555 });
  });

  it("collapses duplicate and contained reviewer CIDRs", () => {
    const cidrs = JSON.stringify(["203.0.113.0/24", "203.0.113.0/24", "203.0.113.128/25", "2001:DB8::/32", "2001:db8:1::/48"]);
    expect(parseStackConfig(prodWith({ reviewerCidrs: cidrs })).reviewerCidrs).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
  });

  it("sorts and de-duplicates principal ARNs so the policies are stable", () => {
    const arns = JSON.stringify([
      "arn:aws:iam::111122223333:role/B",
      "arn:aws:iam::111122223333:role/A",
      "arn:aws:iam::111122223333:role/B",
    ]);
    expect(parseStackConfig(prodWith({ adminPrincipalArns: arns })).adminPrincipalArns).toEqual([
      "arn:aws:iam::111122223333:role/A",
      "arn:aws:iam::111122223333:role/B",
    ]);
  });
});

// One row per invalid value: the key it must name, the override, and a fragment of the fix.
const invalid: [key: string, value: string | undefined, fix: RegExp][] = [
  ["exportModes", JSON.stringify(["pull"]), /"pull" is not an export mode; set it to \["lambda"\], \["bulk"\] or \["lambda", "bulk"\]/],
  ["exportModes", "[]", /is empty, so no recording could reach the archive; set it to \["lambda"\]/],
  ["exportModes", JSON.stringify(["bulk", "bulk"]), /names a mode twice/],
  ["exportModes", "bulk", /is not a list; write it as a YAML list/],
  ["landingExpiryDays", "0", /"0" is not a whole number from 1 to 90/],
  ["landingExpiryDays", "365", /"365" is not a whole number from 1 to 90/],
  ["genesysRegion", "eu-west-3", /"eu-west-3" is not a Genesys Cloud region; use one of .*eu-west-2/],
  ["genesysRegion", undefined, /is not set; set it to the AWS region name/],
  ["genesysOrganizationId", "my-org", /"my-org" is not a UUID; copy the organization id/],
  ["genesysOrganizationId", undefined, /is not set/],
  ["retention", "0d", /"0d" is not a retention from 1 day to 100 years/],
  ["retention", "101y", /"101y" is not a retention/],
  ["retention", "36501d", /"36501d" is not a retention/],
  ["retention", "7 years", /write whole days \("2555d"\) or years \("7y"\)/],
  ["coldStorageAfterDays", "0", /"0" is not a whole number from 1 to 36500/],
  ["coldStorageAfterDays", "ninety", /"ninety" is not a whole number/],
  ["deepArchiveAfterDays", "100", /100 is less than 90 days after coldStorageAfterDays \(90\); set it to at least 180/],
  ["accessLogRetentionDays", "-1", /"-1" is not a whole number from 1/],
  ["reviewerCidrs", JSON.stringify(["not-a-cidr"]), /"not-a-cidr" is not a valid IPv4 or IPv6 CIDR/],
  ["reviewerCidrs", JSON.stringify(["0.0.0.0/0"]), /"0.0.0.0\/0" matches every address/],
  ["reviewerCidrs", JSON.stringify(["::/0"]), /"::\/0" matches every address/],
  ["reviewerCidrs", JSON.stringify(["10.0.0.0/8"]), /"10.0.0.0\/8" is broader than \/16 \(minimumIpv4Prefix\)/],
  ["reviewerCidrs", JSON.stringify(["2001:db8::/16"]), /"2001:db8::\/16" is broader than \/32 \(minimumIpv6Prefix\)/],
  ["reviewerCidrs", JSON.stringify(["203.0.113.7/24"]), /host bits set; write "203.0.113.0\/24" for the network or "203.0.113.7\/32"/],
  ["reviewerCidrs", JSON.stringify(["203.0.113.7"]), /has no prefix length; write "203.0.113.7\/32"/],
  ["reviewerCidrs", "203.0.113.0/24", /is not a list; write it as a YAML list/],
  ["reviewerCidrs", "[]", /is empty while reviewerPrincipalArns is set/],
  ["minimumIpv4Prefix", "33", /"33" is not a whole number from 1 to 32/],
  ["minimumIpv6Prefix", "0", /"0" is not a whole number from 1 to 128/],
  ["adminPrincipalArns", "[]", /is empty; list at least the role that runs `pulumi up`/],
  [
    "adminPrincipalArns",
    JSON.stringify(["arn:aws:iam::111122223333:role/*"]),
    /is not an IAM role, user or account-root ARN.*no wildcards/,
  ],
  ["reviewerPrincipalArns", JSON.stringify(["arn:aws:s3:::bucket"]), /"arn:aws:s3:::bucket" is not an IAM role, user or account-root ARN/],
  ["namePrefix", "Legal_Archive", /"Legal_Archive" is not 2-24 lowercase letters/],
  ["namePrefix", "a-very-long-prefix-that-breaks-bucket-names", /is not 2-24 lowercase letters/],
  ["tags", JSON.stringify(["no-equals-sign"]), /"no-equals-sign" is not a "Key=Value" tag/],
  ["tags", JSON.stringify(["aws:owner=me"]), /uses the reserved "aws:" prefix/],
  ["tags", JSON.stringify(["Team=a", "Team=b"]), /"Team" is given twice/],
  ["exportUnredactedMedia", "yes", /"yes" is not true or false/],
  ["recordingFormatId", "FLAC", /"FLAC" is not a Genesys recording format; use one of WAV, WEBM/],
  ["genesysRateLimitPerMinute", "0", /"0" is not a whole number from 1 to 100000/],
  ["genesysTokenValiditySeconds", "172800", /"172800" is not a whole number from 300 to 86400/],
  ["genesysInvokerAccountId", "7656", /"7656" is not a 12-digit AWS account id/],
  ["logRetentionDays", "0", /"0" is not a whole number from 1 to 3653/],
  ["alarmTopicArn", "my-topic", /"my-topic" is not an SNS topic ARN/],
  ["holdReleasePrincipalArns", JSON.stringify(["counsel"]), /"counsel" is not an IAM role, user or account-root ARN/],
  [
    "holdReleasePrincipalArns",
    JSON.stringify(["arn:aws:iam::111122223333:role/LegalHoldArchiveAdmin"]),
    /is also an admin; lifting holds is kept apart from administering the archive/,
  ],
  ["breakGlassPrincipalArn", "arn:aws:iam::111122223333:role/*", /is not an IAM role, user or account-root ARN; .* or leave it empty/],
];

describe("holdReleasePrincipalArns", () => {
  it("is refused without reviewerCidrs, naming both keys and the fix: the release role could read no hold", () => {
    expect(problemsOf({ reviewerCidrs: "[]", reviewerPrincipalArns: "[]" })).toEqual([
      `${CONFIG_NAMESPACE}:holdReleasePrincipalArns: is set while reviewerCidrs is empty; the release role reads holds and custody records only from the reviewerCidrs networks (the archive's read Deny), so list the networks \`npm run hold:release\` runs from in reviewerCidrs, or leave holdReleasePrincipalArns empty`,
    ]);
  });

  it("is accepted with reviewerCidrs, and no release principal needs none", () => {
    expect(parseStackConfig(prodWith({ reviewerPrincipalArns: "[]" })).holdReleasePrincipalArns.length).toBeGreaterThan(0);
    expect(
      parseStackConfig(prodWith({ reviewerCidrs: "[]", reviewerPrincipalArns: "[]", holdReleasePrincipalArns: "[]" })).reviewerCidrs,
    ).toEqual([]);
  });
});

describe("exportModes", () => {
  it("defaults to the Lambda path alone (Pulumi.yaml) and prod enables both", () => {
    const declared = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")).config;
    expect(declared.exportModes.default).toEqual(["lambda"]);
    expect(parseStackConfig(prodWith({ exportModes: JSON.stringify(declared.exportModes.default) })).exportModes).toEqual(["lambda"]);
    expect(parseStackConfig(prodWith({})).exportModes).toEqual(["lambda", "bulk"]);
  });

  it("keeps one order whatever the file's, so the same modes always give the same stack", () => {
    expect(parseStackConfig(prodWith({ exportModes: JSON.stringify(["bulk", "lambda"]) })).exportModes).toEqual(["lambda", "bulk"]);
  });

  it("keeps uncollected recordings 7 days unless landingExpiryDays says otherwise", () => {
    expect(parseStackConfig(prodWith({})).landingExpiryDays).toBe(7);
    expect(parseStackConfig(prodWith({ landingExpiryDays: "2" })).landingExpiryDays).toBe(2);
  });
});

describe("parseStackConfig refuses invalid values, naming the key, the value and the fix", () => {
  it.each(invalid)("%s = %s", (key, value, fix) => {
    const problems = problemsOf({ [key]: value });
    const mine = problems.filter((p) => p.startsWith(`${CONFIG_NAMESPACE}:${key}: `));
    expect(mine, problems.join("\n")).toHaveLength(1);
    expect(mine[0]).toMatch(fix);
  });

  it("reports every problem at once, not just the first", () => {
    const problems = problemsOf({ retention: "0d", genesysRegion: "mars-1", namePrefix: "X" });
    expect(problems).toHaveLength(3);
  });

  it("uses the configured minimum prefix for every CIDR list", () => {
    const problems = problemsOf({ minimumIpv4Prefix: "28", reviewerCidrs: JSON.stringify(["203.0.113.0/24"]) });
    expect(problems).toEqual([
      `${CONFIG_NAMESPACE}:reviewerCidrs: "203.0.113.0/24" is broader than /28 (minimumIpv4Prefix); split it into /28 or narrower ranges`,
    ]);
  });

  it("throws an error whose message lists each problem on its own line", () => {
    expect(() => parseStackConfig(prodWith({ retention: "0d" }))).toThrow(
      /Invalid stack configuration \(1 problem\):\n {2}- legal-hold-archive:retention: "0d"/,
    );
  });
});

describe("parseStackConfig refuses keys of this project that Pulumi.yaml does not declare", () => {
  const declared = declaredConfigKeys();
  /** Problems when the stack sets `extra` beside the keys prod sets. */
  function problemsWithKeys(extra: string[]): string[] {
    const set = [...Object.keys(loadStackSettings(PROJECT_DIR, "prod").config), ...extra];
    try {
      parseStackConfig(prodWith({}), { set, declared });
    } catch (error) {
      return (error as StackConfigError).problems;
    }
    return [];
  }

  it("accepts the prod stack, whose keys are all declared or of other namespaces", () => {
    expect(problemsWithKeys([])).toEqual([]);
  });

  it.each([
    ["retentionn", "retention"],
    ["Retention", "retention"],
    ["reviewerCidr", "reviewerCidrs"],
    ["minimumIPv4Prefix", "minimumIpv4Prefix"],
    ["genesysRateLimitPerMin", "genesysRateLimitPerMinute"],
  ])("%s: names the key and suggests %s", (typo, meant) => {
    expect(problemsWithKeys([`${CONFIG_NAMESPACE}:${typo}`])).toEqual([
      `${CONFIG_NAMESPACE}:${typo}: is not a setting of this project (Pulumi.yaml does not declare it); did you mean ${meant}? Rename it, or remove it with \`pulumi config rm ${typo}\``,
    ]);
  });

  it("lists the settings instead of guessing when no declared key is close", () => {
    const [problem] = problemsWithKeys([`${CONFIG_NAMESPACE}:bucketName`]);
    expect(problem).toMatch(
      /:bucketName: is not a setting of this project .*; the settings are exportModes, landingExpiryDays, genesysRegion, .*, alarmTopicArn; rename it/,
    );
    expect(problem).not.toContain("did you mean");
  });

  it("leaves keys of other namespaces to their owners", () => {
    expect(problemsWithKeys(["aws:retentionn", "genesyscloud:oauthclientId", "aws:profile"])).toEqual([]);
  });

  it("reports an undeclared key together with every other problem", () => {
    expect(() => parseStackConfig(prodWith({ retention: "0d" }), { set: [`${CONFIG_NAMESPACE}:retentionn`], declared })).toThrow(
      /\(2 problems\):\n {2}- legal-hold-archive:retentionn: is not a setting .*\n {2}- legal-hold-archive:retention: "0d"/,
    );
  });

  it("reads exactly the keys Pulumi.yaml declares: none undeclared (it could never be set), none ignored", () => {
    const read = new Set<string>();
    const prod = prodWith({});
    parseStackConfig((key) => {
      read.add(key);
      return prod(key);
    });
    expect([...read].sort()).toEqual([...declared].sort());
  });
});
