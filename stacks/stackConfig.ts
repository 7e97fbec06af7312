import * as pulumi from "@pulumi/pulumi";
import { GLACIER_IR_MINIMUM_DAYS, MAX_RETENTION_DAYS, MAX_RETENTION_YEARS } from "../components/archive/storageLimits";
import { ORGANIZATION_ID } from "../components/genesys/organizationId";
import {
  GENESYS_REGION_DOMAINS,
  type GenesysEndpoints,
  genesysEndpoints,
  genesysInvokerAccountFor,
  isGenesysRegion,
  providerRegionProblem,
} from "../components/genesysRegions";
import type { ObjectLockRetention } from "../components/legalHoldArchive";
import { RECORDING_FORMATS, type RecordingFormat } from "../components/pipeline/recordingFormats";
import { MAX_LANDING_EXPIRY_DAYS } from "../policies/shared/bulkExport";
import { type CidrRules, DEFAULT_CIDR_RULES, normalizeCidrList } from "../policies/shared/cidrAllowlist";
import { declaredConfigKeys, undeclaredKeyProblems } from "./declaredConfig";

/** The Pulumi project name, and so the namespace of every key below. */
export const CONFIG_NAMESPACE = "legal-hold-archive";

/** The stack's settings, validated. Defaults live in Pulumi.yaml only. */
export interface GenesysSettings extends GenesysEndpoints {
  organizationId: string;
  invokerAccountId: string;
  exportUnredactedMedia: boolean;
  tokenValiditySeconds: number;
  roleDivisionId: string;
  rateLimitPerMinute: number;
  recordingFormatId: RecordingFormat;
}

/** How recordings reach the archive (see README, "Choosing an export mode"). */
export const EXPORT_MODES = ["lambda", "bulk"] as const;
export type ExportMode = (typeof EXPORT_MODES)[number];

export interface StackConfig {
  /** Which export paths the stack builds: at least one, each once. */
  exportModes: ExportMode[];
  /** Bulk mode: days an uncollected recording stays in the landing bucket. */
  landingExpiryDays: number;
  genesys: GenesysSettings;
  retention: ObjectLockRetention;
  coldStorageAfterDays: number;
  deepArchiveAfterDays: number;
  accessLogRetentionDays: number;
  reviewerCidrs: string[];
  reviewerPrincipalArns: string[];
  cidrRules: CidrRules;
  adminPrincipalArns: string[];
  /** Who may assume the hold-release role (with MFA); empty: no such role, nobody lifts holds. */
  holdReleasePrincipalArns: string[];
  /** Empty when there is no break-glass principal for the archive's keys. */
  breakGlassPrincipalArn: string;
  namePrefix: string;
  tags: Record<string, string>;
  logRetentionDays: number;
  /** Empty when alarms notify nobody. */
  alarmTopicArn: string;
}

/** Reads one raw config value as Pulumi hands it over: a string, JSON for lists. */
export type ConfigReader = (key: string) => string | undefined;

/** Every key the stack sets (namespaced, as `pulumi.runtime.allConfig()` lists them) and the keys Pulumi.yaml declares. */
export interface ConfigKeys {
  set: Iterable<string>;
  declared: readonly string[];
}

/** Every problem of a stack's configuration at once, each naming key, value and fix. */
export class StackConfigError extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
    this.name = "StackConfigError";
  }
}

const PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]{1,512})$/;
const NAME_PREFIX = /^[a-z](?!.*--)[a-z0-9-]{0,22}[a-z0-9]$/;
const RETENTION = /^([1-9]\d*)([dy])$/;

/**
 * Validates the whole configuration; throws StackConfigError listing every
 * problem. Given `keys`, a key of this project that Pulumi.yaml does not
 * declare (a misspelling whose default would silently apply) is one of them.
 */
export function parseStackConfig(read: ConfigReader, keys?: ConfigKeys): StackConfig {
  const problems: string[] = keys ? undeclaredKeyProblems(CONFIG_NAMESPACE, keys.set, keys.declared) : [];
  const fail = (key: string, message: string) => problems.push(`${CONFIG_NAMESPACE}:${key}: ${message}`);

  const required = (key: string, hint: string): string | undefined => {
    const value = read(key);
    if (value === undefined || value.trim() === "") {
      fail(key, `is not set; ${hint}`);
      return undefined;
    }
    return value.trim();
  };

  const integer = (key: string, min: number, max: number): number => {
    const text = required(key, `set it with \`pulumi config set ${key} <${min}-${max}>\``);
    if (text === undefined) return Number.NaN;
    const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      fail(key, `"${text}" is not a whole number from ${min} to ${max}; set it to one`);
      return Number.NaN;
    }
    return value;
  };

  const list = (key: string): unknown[] => {
    const text = read(key);
    if (text === undefined || text.trim() === "") return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    if (!Array.isArray(value)) {
      fail(key, `${JSON.stringify(value)} is not a list; write it as a YAML list, one entry per line`);
      return [];
    }
    return value;
  };

  const before = problems.length;
  const modes = list("exportModes");
  // A value that is not a list was reported just now: "is empty" would only repeat it.
  const exportModes = problems.length > before ? [] : parseExportModes(modes, (message) => fail("exportModes", message));
  const landingExpiryDays = integer("landingExpiryDays", 1, MAX_LANDING_EXPIRY_DAYS);

  const regionText = required("genesysRegion", `set it to the AWS region name of your Genesys org, e.g. "eu-west-2"`);
  const regions = Object.keys(GENESYS_REGION_DOMAINS).join(", ");
  let genesys: GenesysEndpoints | undefined;
  if (regionText !== undefined) {
    if (isGenesysRegion(regionText)) genesys = genesysEndpoints(regionText);
    else fail("genesysRegion", `"${regionText}" is not a Genesys Cloud region; use one of ${regions}`);
  }

  const orgText = required("genesysOrganizationId", "copy it from Genesys Cloud Admin > Organization Settings");
  if (orgText !== undefined && !ORGANIZATION_ID.test(orgText)) {
    fail("genesysOrganizationId", `"${orgText}" is not a UUID; copy the organization id from Genesys Cloud Admin > Organization Settings`);
  }

  const retention = parseRetention(required("retention", `set it to days ("2555d") or years ("7y")`), fail);

  const coldStorageAfterDays = integer("coldStorageAfterDays", 1, 36500);
  const deepArchiveAfterDays = integer("deepArchiveAfterDays", 1, 36500);
  if (deepArchiveAfterDays < coldStorageAfterDays + GLACIER_IR_MINIMUM_DAYS) {
    fail(
      "deepArchiveAfterDays",
      `${deepArchiveAfterDays} is less than ${GLACIER_IR_MINIMUM_DAYS} days after coldStorageAfterDays (${coldStorageAfterDays}); set it to at least ${coldStorageAfterDays + GLACIER_IR_MINIMUM_DAYS}`,
    );
  }
  const accessLogRetentionDays = integer("accessLogRetentionDays", 1, 36500);

  const minimumIpv4Prefix = integer("minimumIpv4Prefix", 1, 32);
  const minimumIpv6Prefix = integer("minimumIpv6Prefix", 1, 128);
  const cidrRules: CidrRules = {
    minimumIpv4Prefix: Number.isNaN(minimumIpv4Prefix) ? DEFAULT_CIDR_RULES.minimumIpv4Prefix : minimumIpv4Prefix,
    minimumIpv6Prefix: Number.isNaN(minimumIpv6Prefix) ? DEFAULT_CIDR_RULES.minimumIpv6Prefix : minimumIpv6Prefix,
  };
  const cidrs = (key: string): string[] => {
    const result = normalizeCidrList(list(key), cidrRules);
    for (const { problem } of result.problems) fail(key, problem);
    return result.cidrs;
  };
  const reviewerCidrs = cidrs("reviewerCidrs");

  const principals = (key: string): string[] => {
    const arns = new Set<string>();
    for (const entry of list(key)) {
      if (typeof entry === "string" && PRINCIPAL_ARN.test(entry)) arns.add(entry);
      else
        fail(
          key,
          `${JSON.stringify(entry)} is not an IAM role, user or account-root ARN; write it like "arn:aws:iam::111122223333:role/Name" (no wildcards)`,
        );
    }
    return [...arns].sort();
  };
  const adminPrincipalArns = principals("adminPrincipalArns");
  if (adminPrincipalArns.length === 0 && !problems.some((p) => p.includes(":adminPrincipalArns:"))) {
    fail(
      "adminPrincipalArns",
      "is empty; list at least the role that runs `pulumi up`, or nobody could administer the key and bucket policy",
    );
  }
  const reviewerPrincipalArns = principals("reviewerPrincipalArns");
  const holdReleasePrincipalArns = principals("holdReleasePrincipalArns");
  const breakGlassPrincipalArn = read("breakGlassPrincipalArn")?.trim() ?? "";
  if (breakGlassPrincipalArn !== "" && !PRINCIPAL_ARN.test(breakGlassPrincipalArn)) {
    fail(
      "breakGlassPrincipalArn",
      `"${breakGlassPrincipalArn}" is not an IAM role, user or account-root ARN; write it like "arn:aws:iam::111122223333:role/KeyBreakGlass" or leave it empty`,
    );
  }
  const clash = holdReleasePrincipalArns.filter((arn) => adminPrincipalArns.includes(arn));
  if (clash.length > 0) {
    fail(
      "holdReleasePrincipalArns",
      `${clash.join(", ")} is also an admin; lifting holds is kept apart from administering the archive, so name another principal`,
    );
  }
  if (reviewerPrincipalArns.length > 0 && reviewerCidrs.length === 0 && !problems.some((p) => p.includes(":reviewerCidrs:"))) {
    fail("reviewerCidrs", "is empty while reviewerPrincipalArns is set; reviewers may only read from these ranges, so list their networks");
  }
  // The archive's read Deny exempts only the writers and, through NotIpAddress, the reviewer networks: with no
  // networks the release role cannot read a hold or a custody record, so every release would fail half-way.
  if (holdReleasePrincipalArns.length > 0 && reviewerCidrs.length === 0 && !problems.some((p) => p.includes(":reviewerCidrs:"))) {
    fail(
      "holdReleasePrincipalArns",
      "is set while reviewerCidrs is empty; the release role reads holds and custody records only from the reviewerCidrs networks (the archive's read Deny), so list the networks `npm run hold:release` runs from in reviewerCidrs, or leave holdReleasePrincipalArns empty",
    );
  }

  const namePrefix = required("namePrefix", `set it to a short lowercase name such as "legal-hold"`);
  if (namePrefix !== undefined && !NAME_PREFIX.test(namePrefix)) {
    fail(
      "namePrefix",
      `"${namePrefix}" is not 2-24 lowercase letters, digits and single hyphens starting with a letter; S3 bucket names derive from it`,
    );
  }

  const tags = parseTags(list("tags"), (message) => fail("tags", message));

  const booleanKey = (key: string): boolean => {
    const text = required(key, `set it with \`pulumi config set ${key} true|false\``);
    if (text !== "true" && text !== "false") {
      if (text !== undefined) fail(key, `"${text}" is not true or false; set it to one of them`);
      return false;
    }
    return text === "true";
  };
  const exportUnredactedMedia = booleanKey("exportUnredactedMedia");
  const formatText = required("recordingFormatId", `set it to one of ${RECORDING_FORMATS.join(", ")}`);
  if (formatText !== undefined && !(RECORDING_FORMATS as readonly string[]).includes(formatText)) {
    fail("recordingFormatId", `"${formatText}" is not a Genesys recording format; use one of ${RECORDING_FORMATS.join(", ")}`);
  }
  const rateLimitPerMinute = integer("genesysRateLimitPerMinute", 1, 100000);
  const tokenValiditySeconds = integer("genesysTokenValiditySeconds", 300, 86400);
  const roleDivisionId = required("genesysRoleDivisionId", `set it to a division id or "*"`);
  const accountText = read("genesysInvokerAccountId")?.trim() ?? "";
  if (accountText !== "" && !/^\d{12}$/.test(accountText)) {
    fail("genesysInvokerAccountId", `"${accountText}" is not a 12-digit AWS account id; leave it empty for the region's default`);
  }
  const logRetentionDays = integer("logRetentionDays", 1, 3653);
  const alarmTopicArn = read("alarmTopicArn")?.trim() ?? "";
  if (alarmTopicArn !== "" && !/^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(alarmTopicArn)) {
    fail(
      "alarmTopicArn",
      `"${alarmTopicArn}" is not an SNS topic ARN; write it like "arn:aws:sns:eu-west-2:111122223333:legal-hold-alarms" or leave it empty`,
    );
  }

  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    exportModes,
    landingExpiryDays,
    genesys: {
      ...(genesys as GenesysEndpoints),
      organizationId: (orgText as string).toLowerCase(),
      invokerAccountId: accountText || genesysInvokerAccountFor((genesys as GenesysEndpoints).region),
      exportUnredactedMedia,
      tokenValiditySeconds,
      roleDivisionId: roleDivisionId as string,
      rateLimitPerMinute,
      recordingFormatId: formatText as RecordingFormat,
    },
    retention: retention as ObjectLockRetention,
    coldStorageAfterDays,
    deepArchiveAfterDays,
    accessLogRetentionDays,
    reviewerCidrs,
    reviewerPrincipalArns,
    cidrRules,
    adminPrincipalArns,
    holdReleasePrincipalArns,
    breakGlassPrincipalArn,
    namePrefix: namePrefix as string,
    tags,
    logRetentionDays,
    alarmTopicArn,
  };
}

function parseExportModes(entries: unknown[], fail: (message: string) => void): ExportMode[] {
  const choices = `["lambda"], ["bulk"] or ["lambda", "bulk"]`;
  const unknown = entries.filter((e) => !(EXPORT_MODES as readonly unknown[]).includes(e));
  if (unknown.length > 0) {
    fail(`${unknown.map((e) => JSON.stringify(e)).join(", ")} is not an export mode; set it to ${choices}`);
    return [];
  }
  if (entries.length === 0) {
    fail(`is empty, so no recording could reach the archive; set it to ${choices}`);
    return [];
  }
  if (new Set(entries).size !== entries.length) fail(`names a mode twice (${JSON.stringify(entries)}); set it to ${choices}`);
  // Table order, whatever the file's: the same modes always give the same stack.
  return EXPORT_MODES.filter((mode) => entries.includes(mode));
}

function parseRetention(text: string | undefined, fail: (key: string, message: string) => void): ObjectLockRetention | undefined {
  if (text === undefined) return undefined;
  const match = RETENTION.exec(text);
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = match?.[2];
  if (unit === "d" && amount <= MAX_RETENTION_DAYS) return { days: amount };
  if (unit === "y" && amount <= MAX_RETENTION_YEARS) return { years: amount };
  fail("retention", `"${text}" is not a retention from 1 day to 100 years; write whole days ("2555d") or years ("7y")`);
  return undefined;
}

function parseTags(entries: unknown[], fail: (message: string) => void): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const entry of entries) {
    const text = typeof entry === "string" ? entry : "";
    const separator = text.indexOf("=");
    const key = text.slice(0, separator).trim();
    const value = text.slice(separator + 1).trim();
    if (separator < 1 || key.length > 128 || value.length > 256) {
      fail(`${JSON.stringify(entry)} is not a "Key=Value" tag (key 1-128, value up to 256 characters)`);
    } else if (key.toLowerCase().startsWith("aws:")) {
      fail(`"${entry}" uses the reserved "aws:" prefix; pick another key`);
    } else if (Object.hasOwn(tags, key)) {
      fail(`"${key}" is given twice; keep one value`);
    } else {
      tags[key] = value;
    }
  }
  return tags;
}

/**
 * Reads and validates the running stack's configuration (once, at program
 * start, so `pulumi preview` fails as `check` does). pulumi.Config cannot list
 * keys; runtime.allConfig() can, under the engine and the mock runtime alike.
 */
export function loadStackConfig(): StackConfig {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const parsed = parseStackConfig((key) => config.get(key), {
    set: Object.keys(pulumi.runtime.allConfig()),
    declared: declaredConfigKeys(),
  });
  // The provider's region is another namespace's key, so it is checked here, against the parsed genesysRegion.
  const region = providerRegionProblem(
    parsed.genesys.region,
    new pulumi.Config("genesyscloud").get("awsRegion"),
    process.env.GENESYSCLOUD_REGION,
  );
  if (region !== undefined) throw new StackConfigError([region]);
  return parsed;
}
