// Archive protections and Genesys Cloud permissions as flat settings
// (subject, setting, value), each with a rule saying which way is wider.
import type { AnalyzableResource } from "../../engine/policyAnalysis";
import { labelOf, type Names } from "./names";
import type { Classification } from "./report";

export type Rule =
  /** true protects; turning it off widens. */
  | "protective-flag"
  /** true exposes (forceDestroy); turning it on widens. */
  | "exposing-flag"
  /** a larger number protects longer (retention days, deletion window). */
  | "more-is-safer"
  /** a larger number exposes longer (token lifetime). */
  | "less-is-safer"
  /** any change needs review (encryption algorithm or key, grant type, log target). */
  | "any-change-widens"
  /** an ordered scale, safest first. */
  | { order: string[] }
  /** each added member widens, each removed member narrows (permissions, roles). */
  | "set"
  | "neutral";

export interface Setting {
  category: "protection" | "genesys";
  subject: string;
  setting: string;
  value: unknown;
  rule: Rule;
}

type Props = (r: AnalyzableResource) => Record<string, unknown>;

/** The bucket a bucket-configuration resource configures, by its `bucket` link or physical name. */
function bucketOf(r: AnalyzableResource, p: Record<string, unknown>, names: Names): string {
  const urn = r.propertyDependencies.bucket?.[0];
  return urn ? names.byUrn(urn) : names.normalize(String(p.bucket ?? r.name));
}

const first = <T>(value: unknown): T | undefined => (Array.isArray(value) ? value[0] : value) as T | undefined;

/** Object Lock retention as days (AWS counts a year as 365 days for this comparison). */
function retentionDays(retention: { days?: number; years?: number } | undefined): number | undefined {
  if (!retention) return undefined;
  if (typeof retention.days === "number") return retention.days;
  return typeof retention.years === "number" ? retention.years * 365 : undefined;
}

export function settingsOf(resources: AnalyzableResource[], props: Props, names: Names): Setting[] {
  const out: Setting[] = [];
  const protection = (subject: string, setting: string, value: unknown, rule: Rule) => {
    if (value !== undefined) out.push({ category: "protection", subject, setting, value, rule });
  };
  const genesys = (subject: string, setting: string, value: unknown, rule: Rule) => {
    if (value !== undefined) out.push({ category: "genesys", subject, setting, value, rule });
  };
  for (const r of resources) {
    const p = props(r);
    const label = labelOf(r);
    if (r.protect) protection(label, "protect flag", true, "protective-flag");
    switch (r.type) {
      case "aws:s3/bucket:Bucket":
        protection(label, "Object Lock enabled", p.objectLockEnabled === true, "protective-flag");
        protection(label, "forceDestroy", p.forceDestroy === true, "exposing-flag");
        break;
      case "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": {
        const bucket = bucketOf(r, p, names);
        const retention = first<{ defaultRetention?: unknown }>(p.rule)?.defaultRetention;
        const defaultRetention = first<{ mode?: string; days?: number; years?: number }>(retention);
        protection(bucket, "Object Lock configuration", p.objectLockEnabled ?? "Enabled", { order: ["Enabled"] });
        protection(bucket, "Object Lock default retention mode", defaultRetention?.mode ?? "none", {
          order: ["COMPLIANCE", "GOVERNANCE", "none"],
        });
        protection(bucket, "Object Lock default retention (days)", retentionDays(defaultRetention) ?? 0, "more-is-safer");
        break;
      }
      case "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        const bucket = bucketOf(r, p, names);
        const rule = first<{ applyServerSideEncryptionByDefault?: unknown; bucketKeyEnabled?: boolean }>(p.rules);
        const byDefault = first<{ sseAlgorithm?: string; kmsMasterKeyId?: string }>(rule?.applyServerSideEncryptionByDefault);
        protection(bucket, "default encryption", byDefault?.sseAlgorithm ?? "none", {
          order: ["aws:kms:dsse", "aws:kms", "AES256", "none"],
        });
        protection(
          bucket,
          "default encryption key",
          byDefault?.kmsMasterKeyId ? names.normalize(byDefault.kmsMasterKeyId) : undefined,
          "any-change-widens",
        );
        protection(bucket, "S3 bucket key", rule?.bucketKeyEnabled === true, "neutral");
        break;
      }
      case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        const bucket = bucketOf(r, p, names);
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
          protection(bucket, `public access block ${flag}`, p[flag] === true, "protective-flag");
        }
        break;
      }
      case "aws:s3/bucketLogging:BucketLogging": {
        const bucket = bucketOf(r, p, names);
        const targetUrn = r.propertyDependencies.targetBucket?.[0];
        protection(
          bucket,
          "access logging target",
          targetUrn ? names.byUrn(targetUrn) : names.normalize(String(p.targetBucket)),
          "any-change-widens",
        );
        protection(bucket, "access logging prefix", p.targetPrefix, "neutral");
        break;
      }
      case "aws:s3/bucketVersioning:BucketVersioning": {
        const status = first<{ status?: string }>(p.versioningConfiguration)?.status;
        protection(bucketOf(r, p, names), "versioning", status ?? "none", { order: ["Enabled", "Suspended", "Disabled", "none"] });
        break;
      }
      case "aws:kms/key:Key":
        protection(label, "key rotation", p.enableKeyRotation === true, "protective-flag");
        protection(label, "deletion window (days)", p.deletionWindowInDays, "more-is-safer");
        break;
      case "genesyscloud:index/authRole:AuthRole": {
        const permissions = (
          (p.permissionPolicies as { domain?: string; entityName?: string; actionSets?: string[] }[] | undefined) ?? []
        ).flatMap((policy) => (policy.actionSets ?? []).map((action) => `${policy.domain}:${policy.entityName}:${action}`));
        genesys(label, "permissions", [...((p.permissions as string[] | undefined) ?? []), ...permissions].sort(), "set");
        break;
      }
      case "genesyscloud:index/oauthClient:OauthClient": {
        genesys(label, "grant type", p.authorizedGrantType, "any-change-widens");
        genesys(label, "access token lifetime (seconds)", p.accessTokenValiditySeconds, "less-is-safer");
        const roleUrns = r.propertyDependencies.roles ?? [];
        const roles = ((p.roles as { roleId?: string; divisionId?: string }[] | undefined) ?? []).map(
          (role) =>
            `${roleUrns.length === 1 ? names.byUrn(roleUrns[0] as string) : role.roleId} in division ${role.divisionId === "*" ? "* (all divisions)" : role.divisionId}`,
        );
        genesys(label, "roles", roles.sort(), "set");
        genesys(label, "scopes", Array.isArray(p.scopes) ? [...(p.scopes as string[])].sort() : undefined, "set");
        break;
      }
    }
  }
  return out;
}

export interface SettingChange {
  category: "protection" | "genesys";
  subject: string;
  setting: string;
  before: unknown;
  after: unknown;
  /** For set-valued settings: members added and removed. */
  added: string[];
  removed: string[];
  classification: Classification;
}

function compare(rule: Rule, before: unknown, after: unknown): Classification {
  if (rule === "neutral") return "neutral";
  if (rule === "any-change-widens") return "widening";
  if (rule === "set") {
    const [old, now] = [before, after].map((v) => (Array.isArray(v) ? (v as string[]) : []));
    return now.some((m) => !old.includes(m)) ? "widening" : "narrowing";
  }
  // A protection that disappears entirely widens; one that appears narrows.
  if (after === undefined) return rule === "exposing-flag" || rule === "less-is-safer" ? "narrowing" : "widening";
  if (before === undefined) return rule === "exposing-flag" || rule === "less-is-safer" ? "widening" : "narrowing";
  switch (rule) {
    case "protective-flag":
      return after === true ? "narrowing" : "widening";
    case "exposing-flag":
      return after === true ? "widening" : "narrowing";
    case "more-is-safer":
      return Number(after) < Number(before) ? "widening" : "narrowing";
    case "less-is-safer":
      return Number(after) > Number(before) ? "widening" : "narrowing";
    default: {
      const rank = (v: unknown) => {
        const i = rule.order.indexOf(String(v));
        return i === -1 ? rule.order.length : i;
      };
      return rank(after) > rank(before) ? "widening" : "narrowing";
    }
  }
}

export function diffSettings(before: Setting[], after: Setting[]): SettingChange[] {
  const key = (s: Setting) => `${s.category}\u0000${s.subject}\u0000${s.setting}`;
  const b = new Map(before.map((s) => [key(s), s]));
  const a = new Map(after.map((s) => [key(s), s]));
  const changes: SettingChange[] = [];
  for (const k of new Set([...b.keys(), ...a.keys()])) {
    const old = b.get(k);
    const now = a.get(k);
    if (JSON.stringify(old?.value) === JSON.stringify(now?.value)) continue;
    const s = (now ?? old) as Setting;
    const members = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
    changes.push({
      category: s.category,
      subject: s.subject,
      setting: s.setting,
      before: old?.value,
      after: now?.value,
      added: members(now?.value).filter((m) => !members(old?.value).includes(m)),
      removed: members(old?.value).filter((m) => !members(now?.value).includes(m)),
      classification: compare(s.rule, old?.value, now?.value),
    });
  }
  return changes;
}
