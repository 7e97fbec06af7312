import { describe, expect, it } from "vitest";
import { resolveBulkExportArgs } from "../../components/bulk/bulkExportIntegration";
import { resolveCaseExportFunctionArgs } from "../../components/bulk/caseExportFunction";
import { resolveLandingArgs } from "../../components/bulk/landingBucket";
import { resolveSealerArgs } from "../../components/bulk/landingSealer";
import { resolvePipelineArgs } from "../../components/exportPipeline";
import { resolveGenesysArgs } from "../../components/genesysIntegration";
import { resolveArchiveArgs } from "../../components/legalHoldArchive";
import { componentArgs } from "../../stacks/componentArgs";
import { declaredConfigKeys } from "../../stacks/declaredConfig";
import { parseStackConfig } from "../../stacks/stackConfig";
import { prodWith } from "./prodConfig";

type Component =
  | "exportWorkerRole"
  | "holdReleaseRole"
  | "archive"
  | "exportPipeline"
  | "genesysIntegration"
  | "bulkWriterRole"
  | "landingBucket"
  | "bulkExportIntegration"
  | "genesysCredentialsSecret"
  | "sealerRole"
  | "caseExportRole"
  | "landingSealer"
  | "caseExportFunction";

const ALL_COMPONENTS: Component[] = [
  "exportWorkerRole",
  "holdReleaseRole",
  "archive",
  "exportPipeline",
  "genesysIntegration",
  "bulkWriterRole",
  "landingBucket",
  "bulkExportIntegration",
  "genesysCredentialsSecret",
  "sealerRole",
  "caseExportRole",
  "landingSealer",
  "caseExportFunction",
];

/**
 * Each component's name and args after the component applied its defaults and
 * checks, for a config: the seam between settings and resources, evaluated
 * without the Pulumi runtime. Wiring between components is stood in for.
 */
function resolvedComponents(overrides: Record<string, string>): Record<Component, unknown> {
  const components = componentArgs(parseStackConfig(prodWith(overrides)));
  const role = { arn: "arn:aws:iam::111122223333:role/worker", name: "worker" };
  const { exportPipeline, genesysIntegration, landingBucket, bulkExportIntegration, landingSealer, caseExportFunction } = components;
  return {
    exportWorkerRole: components.exportWorkerRole,
    holdReleaseRole: components.holdReleaseRole,
    archive: { name: components.archive.name, args: resolveArchiveArgs({ ...components.archive.args, writerRoles: [role] }) },
    exportPipeline: exportPipeline && {
      name: exportPipeline.name,
      args: resolvePipelineArgs({
        ...exportPipeline.args,
        workerRole: role,
        archiveBucketName: "archive",
        archiveKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/archive",
        signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/signing",
        credentialsSecretArn: "secret",
      }),
    },
    genesysCredentialsSecret: components.genesysCredentialsSecret,
    genesysIntegration: genesysIntegration && {
      name: genesysIntegration.name,
      args: resolveGenesysArgs({
        ...genesysIntegration.args,
        intakeFunctionArn: "arn:aws:lambda:eu-west-2:111122223333:function:intake",
        credentialsSecretId: "secret",
      }),
    },
    bulkWriterRole: components.bulkWriterRole,
    landingBucket: landingBucket && {
      name: landingBucket.name,
      args: resolveLandingArgs({ ...landingBucket.args, genesysWriterRoleArn: "arn:aws:iam::111122223333:role/bulk-writer" }),
    },
    bulkExportIntegration: bulkExportIntegration && {
      name: bulkExportIntegration.name,
      args: resolveBulkExportArgs({
        ...bulkExportIntegration.args,
        writerRole: { arn: "arn:aws:iam::111122223333:role/bulk-writer", name: "bulk-writer" },
        landingBucketName: "landing",
        landingBucketArn: "arn:aws:s3:::landing",
        landingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/landing",
      }),
    },
    sealerRole: components.sealerRole,
    caseExportRole: components.caseExportRole,
    landingSealer: landingSealer && {
      name: landingSealer.name,
      args: resolveSealerArgs({
        ...landingSealer.args,
        sealerRole: { arn: "arn:aws:iam::111122223333:role/sealer", name: "sealer" },
        landingBucketName: "landing",
        landingBucketArn: "arn:aws:s3:::landing",
        landingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/landing",
        archiveBucketName: "archive",
        archiveKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/archive",
        signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/signing",
      }),
    },
    caseExportFunction: caseExportFunction && {
      name: caseExportFunction.name,
      args: resolveCaseExportFunctionArgs({
        ...caseExportFunction.args,
        role: { arn: "arn:aws:iam::111122223333:role/case-export", name: "case-export", functionName: "legal-hold-case-export" },
        landingBucketName: "landing",
        archiveBucketName: "archive",
        archiveKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/archive",
        signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/signing",
        genesysCredentialsSecretArn: "secret",
        bulkIntegrationId: "bulk-integration",
      }),
    },
  };
}

const REVIEWER = "arn:aws:iam::111122223333:role/OtherReviewer";

// One row per key Pulumi.yaml declares: another valid value than prod's, and the components it must change.
const settings: [key: string, value: string, reaches: Component[]][] = [
  ["genesysRegion", "us-east-1", ["exportPipeline", "caseExportFunction"]],
  [
    "exportModes",
    JSON.stringify(["lambda"]),
    ["bulkWriterRole", "landingBucket", "bulkExportIntegration", "sealerRole", "caseExportRole", "landingSealer", "caseExportFunction"],
  ],
  ["landingExpiryDays", "14", ["landingBucket"]],
  [
    "genesysOrganizationId",
    "0b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e",
    ["genesysIntegration", "bulkWriterRole", "landingBucket", "bulkExportIntegration", "landingSealer"],
  ],
  ["retention", "10y", ["archive"]],
  ["coldStorageAfterDays", "60", ["archive"]],
  ["deepArchiveAfterDays", "400", ["archive"]],
  ["accessLogRetentionDays", "400", ["archive"]],
  ["reviewerCidrs", JSON.stringify(["198.51.100.0/24"]), ["archive"]],
  ["reviewerPrincipalArns", JSON.stringify([REVIEWER]), ["archive"]],
  ["minimumIpv4Prefix", "12", ["archive"]],
  ["minimumIpv6Prefix", "24", ["archive"]],
  [
    "adminPrincipalArns",
    JSON.stringify(["arn:aws:iam::111122223333:role/OtherAdmin"]),
    ["archive", "exportPipeline", "landingBucket", "genesysCredentialsSecret", "landingSealer"],
  ],
  ["holdReleasePrincipalArns", JSON.stringify(["arn:aws:iam::111122223333:role/OtherCounsel"]), ["holdReleaseRole"]],
  ["breakGlassPrincipalArn", "arn:aws:iam::111122223333:role/OtherBreakGlass", ["archive", "genesysCredentialsSecret"]],
  ["namePrefix", "legal-hold-eu", ALL_COMPONENTS],
  ["tags", JSON.stringify(["CostCentre=ops"]), ALL_COMPONENTS],
  ["exportUnredactedMedia", "true", ["genesysIntegration"]],
  ["recordingFormatId", "MP3", ["exportPipeline"]],
  ["genesysRateLimitPerMinute", "600", ["exportPipeline"]],
  ["genesysTokenValiditySeconds", "7200", ["genesysIntegration"]],
  ["genesysRoleDivisionId", "5a1e2b3c-4d5e-4f6a-8b9c-0d1e2f3a4b5c", ["genesysIntegration"]],
  ["genesysInvokerAccountId", "123456789012", ["genesysIntegration", "bulkWriterRole"]],
  ["logRetentionDays", "30", ["exportPipeline", "landingSealer", "caseExportFunction"]],
  [
    "alarmTopicArn",
    "arn:aws:sns:eu-west-2:111122223333:legal-hold-alarms",
    ["archive", "exportPipeline", "landingBucket", "landingSealer"],
  ],
];

describe("every setting in Pulumi.yaml reaches the component that uses it", () => {
  const prod = resolvedComponents({});

  it("has a row for every declared key", () => {
    expect(settings.map(([key]) => key).sort()).toEqual(declaredConfigKeys().sort());
  });

  it.each(settings)("%s = %s changes %j", (key, value, reaches) => {
    const changed = resolvedComponents({ [key]: value });
    const differing = (Object.keys(prod) as Component[]).filter((c) => JSON.stringify(changed[c]) !== JSON.stringify(prod[c]));
    expect(differing.sort()).toEqual([...reaches].sort());
  });
});

describe("minimumIpv4Prefix and minimumIpv6Prefix decide which reviewer networks the archive accepts", () => {
  const broadV4 = JSON.stringify(["203.0.113.0/24", "10.16.0.0/12"]);
  const broadV6 = JSON.stringify(["2001:db0::/28"]);

  it("refuses a /12 reviewer network at the default /16", () => {
    expect(() => resolvedComponents({ reviewerCidrs: broadV4 })).toThrow(/"10\.16\.0\.0\/12" is broader than \/16 \(minimumIpv4Prefix\)/);
  });

  it("accepts it, in the archive's bucket policy args, when loosened to /12", () => {
    const { archive } = resolvedComponents({ reviewerCidrs: broadV4, minimumIpv4Prefix: "12" });
    expect(archive).toMatchObject({ args: { reviewerCidrs: ["10.16.0.0/12", "203.0.113.0/24"] } });
  });

  it("refuses a /28 IPv6 network at the default /32 and accepts it when loosened to /28", () => {
    expect(() => resolvedComponents({ reviewerCidrs: broadV6 })).toThrow(/"2001:db0::\/28" is broader than \/32 \(minimumIpv6Prefix\)/);
    expect(resolvedComponents({ reviewerCidrs: broadV6, minimumIpv6Prefix: "28" }).archive).toMatchObject({
      args: { reviewerCidrs: ["2001:db0::/28"] },
    });
  });

  it("refuses prod's /24 reviewer network when tightened to /28", () => {
    expect(() => resolvedComponents({ minimumIpv4Prefix: "28" })).toThrow(/"203\.0\.113\.0\/24" is broader than \/28/);
  });

  it("holds the archive to the rules it is given, not to the defaults", () => {
    const args = { writerRoles: [{ arn: "arn:aws:iam::111122223333:role/w", name: "w" }], adminPrincipalArns: ["arn:aws:iam::1:root"] };
    expect(() => resolveArchiveArgs({ ...args, reviewerCidrs: ["10.16.0.0/12"] })).toThrow(/broader than \/16/);
    const rules = { minimumIpv4Prefix: 12, minimumIpv6Prefix: 32 };
    expect(resolveArchiveArgs({ ...args, reviewerCidrs: ["10.16.0.0/12"], cidrRules: rules }).reviewerCidrs).toEqual(["10.16.0.0/12"]);
    expect(() => resolveArchiveArgs({ ...args, cidrRules: { minimumIpv4Prefix: 0, minimumIpv6Prefix: 32 } })).toThrow(
      /\[cidrRules\] minimumIpv4Prefix must be from 1 to 32/,
    );
  });
});
