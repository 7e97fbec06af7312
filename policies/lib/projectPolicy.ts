import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** A config property of a policy; every one carries the default the pack applies. */
export type ConfigProperty = PolicyConfigJSONSchema & { default: unknown; description: string };

/** What every policy of this pack states about itself; the README catalogue is generated from it. */
export interface PolicyMetadata<C extends Record<string, unknown>> {
  /** `<service>-<resource>-<verb>-<what>`, verb one of enable, configure, disallow, require, missing. */
  name: string;
  /** One sentence: what the policy demands. */
  description: string;
  severity: Severity;
  /** Why it matters (facts, the 403 cause it prevents). */
  why: string;
  /** How to fix a violation. */
  remediationSteps: string;
  /** Thresholds, each with a default. */
  config?: { [K in keyof C]: ConfigProperty };
  /**
   * A recommendation rather than a blocker for this kind of stack: the policy
   * is advisory, and silent unless its policy config sets `enabled: true`.
   */
  recommendation?: boolean;
}

/** The switch every recommendation carries. */
export const RECOMMENDATION_SWITCH: ConfigProperty = {
  type: "boolean",
  default: false,
  description: "Turns this advisory recommendation on (it reports nothing unless true).",
};

/** The metadata's config, with the recommendation switch added when it is one. */
function configOf<C extends Record<string, unknown>>(meta: PolicyMetadata<C>): PolicyMetadata<C>["config"] {
  if (!meta.recommendation) return meta.config;
  return { ...(meta.config ?? {}), enabled: RECOMMENDATION_SWITCH } as PolicyMetadata<C>["config"];
}

/** Is the policy switched off (a recommendation not enabled)? */
const switchedOff = (meta: PolicyMetadata<Record<string, unknown>>, config: Record<string, unknown>) =>
  meta.recommendation === true && config.enabled !== true;

export type ProjectResourcePolicy = ResourceValidationPolicy & {
  why: string;
  configSchema?: { properties: Record<string, ConfigProperty> };
};
export type ProjectStackPolicy = StackValidationPolicy & { why: string; configSchema?: { properties: Record<string, ConfigProperty> } };
export type ProjectPolicy = ProjectResourcePolicy | ProjectStackPolicy;

/** A resource as a resource policy sees it, limited to what these policies use. */
export interface CheckedResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  opts: ResourceValidationArgs["opts"];
}

/**
 * The policy's config with every schema default applied. The engine applies
 * defaults before it calls the pack; a caller of the raw analyzer handlers
 * does not, so each policy applies them itself and both paths agree. A value
 * of the wrong type is an error, never silently replaced.
 */
export function configWithDefaults<C extends Record<string, unknown>>(
  policyName: string,
  schema: PolicyMetadata<C>["config"],
  given: Record<string, unknown>,
): C {
  const result: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema ?? {}) as [string, ConfigProperty][]) {
    const value = given[key] ?? property.default;
    const ok =
      property.type === "array"
        ? Array.isArray(value)
        : property.type === "integer"
          ? Number.isInteger(value)
          : property.type === undefined || typeof value === property.type;
    if (!ok) throw new Error(`policy ${policyName}: config "${key}" must be of type ${property.type}; got ${JSON.stringify(value)}`);
    result[key] = value;
  }
  return result as C;
}

function schemaOf<C extends Record<string, unknown>>(meta: PolicyMetadata<C>) {
  const config = configOf(meta);
  return config ? { properties: config as Record<string, ConfigProperty> } : undefined;
}

/**
 * A resource policy for the given type tokens. `validate` sees only
 * resources of those types, and the policy's config with defaults applied.
 */
export function resourcePolicy<C extends Record<string, unknown> = Record<string, never>>(
  meta: PolicyMetadata<C> & { resourceTypes: string[] },
  validate: (resource: CheckedResource, report: ReportViolation, config: C) => void | Promise<void>,
): ProjectResourcePolicy {
  return {
    name: meta.name,
    description: meta.description,
    severity: meta.severity,
    remediationSteps: meta.remediationSteps,
    why: meta.why,
    configSchema: schemaOf(meta),
    ...(meta.recommendation ? { enforcementLevel: "advisory" as const } : {}),
    validateResource: (args, report) => {
      if (!meta.resourceTypes.includes(args.type)) return;
      const config = configWithDefaults(meta.name, configOf(meta), args.getConfig());
      if (switchedOff(meta, config)) return;
      // Returned so the handler awaits an asynchronous check (archive contents are promises).
      return validate(args, report, config as C);
    },
  };
}

/** A stack policy: rules that span resources (a bucket and the configuration that points at it). */
export function stackPolicy<C extends Record<string, unknown> = Record<string, never>>(
  meta: PolicyMetadata<C>,
  validate: (resources: PolicyResource[], report: ReportViolation, config: C, args: StackValidationArgs) => void | Promise<void>,
): ProjectStackPolicy {
  return {
    name: meta.name,
    description: meta.description,
    severity: meta.severity,
    remediationSteps: meta.remediationSteps,
    why: meta.why,
    configSchema: schemaOf(meta),
    ...(meta.recommendation ? { enforcementLevel: "advisory" as const } : {}),
    validateStack: (args, report) => {
      const config = configWithDefaults(meta.name, configOf(meta), args.getConfig());
      if (switchedOff(meta, config)) return;
      return validate(args.resources, report, config as C, args);
    },
  };
}
