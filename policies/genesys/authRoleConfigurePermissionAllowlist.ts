import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_AUTH_ROLE } from "../lib/resourceTypes";

/**
 * What the exporter needs (facts §3): read recordings, unredacted, restore
 * archived ones (editRetention) and apply deletion protection (Genesys' legal hold);
 * with the bulk export also the conversation details query and recording jobs
 * (create, execute, read; executing needs screenRecording:editRetention too).
 */
const DEFAULT_ALLOWED_PERMISSIONS = [
  "recording:recording:view",
  "recording:recording:viewSensitiveData",
  "recording:recording:editRetention",
  "recording:deletionProtection:apply",
  "analytics:conversationDetail:view",
  "recording:job:add",
  "recording:job:edit",
  "recording:job:view",
  "recording:screenRecording:editRetention",
];

interface PermissionPolicy {
  domain?: unknown;
  entityName?: unknown;
  actionSets?: unknown;
  actionSet?: unknown;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];

/**
 * Every permission a role grants, as `domain:entityName:action`. The Pulumi
 * bridge pluralizes list and set names, so a generated SDK calls Terraform's
 * `action_set` `actionSets`; the singular is read too, so a hand-written SDK
 * cannot slip past.
 */
export function grantedPermissions(props: Record<string, unknown>): string[] {
  const policies = Array.isArray(props.permissionPolicies) ? (props.permissionPolicies as PermissionPolicy[]) : [];
  const granted = policies.flatMap((policy) =>
    [...strings(policy.actionSets), ...strings(policy.actionSet)].map((action) => `${policy.domain}:${policy.entityName}:${action}`),
  );
  // General role permissions (e.g. "group_creation") are grants too; they pass only when allowlisted by name.
  return [...new Set([...granted, ...strings(props.permissions)])];
}

export const genesysAuthRoleConfigurePermissionAllowlist = resourcePolicy<{ allowedPermissions: string[] }>(
  {
    name: "genesys-authrole-configure-permission-allowlist",
    description: "Every permission a Genesys Cloud role grants is in the configured allowlist and names no wildcard.",
    severity: "high",
    why: "The role is all the exporter's OAuth client may do in the Genesys organization; a wildcard or an extra permission turns a leaked client secret into access far beyond reading recordings and protecting them from deletion.",
    remediationSteps:
      "Grant only the permissions the exporter uses, each spelled out (no '*' in domain, entityName or actionSet); extend policy config allowedPermissions when a new one is really needed.",
    resourceTypes: GENESYS_AUTH_ROLE,
    config: {
      allowedPermissions: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ALLOWED_PERMISSIONS,
        description:
          "Permissions a role may grant, as domain:entityName:action (or a general permission's name); wildcards are refused regardless.",
      },
    },
  },
  (role, report, { allowedPermissions }) => {
    // An allowlisted wildcard would contradict the rule below: bad config is an error, never ignored.
    const badEntries = allowedPermissions.filter((p) => typeof p !== "string" || p === "" || p.includes("*"));
    if (badEntries.length > 0) {
      throw new Error(
        `policy genesys-authrole-configure-permission-allowlist: allowedPermissions entries must be non-empty and wildcard-free; got ${JSON.stringify(badEntries)}`,
      );
    }
    for (const permission of grantedPermissions(role.props)) {
      // Wildcards are refused outright and reported once, not also as "not allowlisted".
      if (permission.includes("*")) {
        report(
          `Auth role "${role.name}" grants wildcard permission "${permission}"; replace it with the specific permissions the exporter needs.`,
        );
      } else if (!allowedPermissions.includes(permission)) {
        report(
          `Auth role "${role.name}" grants permission "${permission}", which is not in the allowlist (${allowedPermissions.join(", ")}); remove it or add it to allowedPermissions.`,
        );
      }
    }
  },
);
