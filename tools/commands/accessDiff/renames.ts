import type { AnalyzableResource } from "../../engine/policyAnalysis";
import { isSecretEnvelope } from "../../engine/pulumiWire";

/** A resource renamed between the two sides: same type, same physical identity, new logical name. */
export interface Rename {
  type: string;
  from: string;
  to: string;
}

/** The physical identity of a resource: its ARN, else its bucket or name output (never a secret). */
function physicalId(resource: AnalyzableResource): string | undefined {
  for (const key of ["arn", "bucket"]) {
    const value = resource.outputs[key];
    if (typeof value === "string" && value.length > 0) return `${resource.type}|${value}`;
    if (isSecretEnvelope(value)) return undefined;
  }
  return undefined;
}

/**
 * A rename with a Pulumi alias keeps the cloud resource (its ARN) and changes
 * only the logical name and URN. Matching by physical identity lets the diff
 * name both sides alike, so a rename is not reported as access lost and
 * gained. The `to` side comes back with renamed resources carrying their old
 * logical names, and the renames are listed for the report.
 */
export function alignRenames(from: AnalyzableResource[], to: AnalyzableResource[]): { to: AnalyzableResource[]; renames: Rename[] } {
  const byPhysical = new Map<string, AnalyzableResource>();
  for (const r of from) {
    const id = physicalId(r);
    if (id) byPhysical.set(id, r);
  }
  const renames: Rename[] = [];
  const aligned = to.map((r) => {
    const id = physicalId(r);
    const before = id ? byPhysical.get(id) : undefined;
    if (!before || before.name === r.name) return r;
    renames.push({ type: r.type, from: before.name, to: r.name });
    return { ...r, name: before.name };
  });
  return { to: aligned, renames };
}
