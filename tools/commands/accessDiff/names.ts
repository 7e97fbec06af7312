// Stable names for what a stack's policies mention. ARNs and physical names
// carry random suffixes that differ between runs and stacks; a diff names
// resources by Pulumi type and logical name instead ("role:legal-hold-export-worker-role").
import type { AnalyzableResource } from "../../engine/policyAnalysis";

/** A readable, run-independent label for a resource: "role:NAME", "bucket:NAME", "authRole:NAME". */
export function labelOf(resource: { type: string; name: string }): string {
  const token = resource.type.split(":").pop() ?? resource.type;
  return `${token.charAt(0).toLowerCase()}${token.slice(1)}:${resource.name}`;
}

/** Outputs that name a resource physically, by type: ARNs for all, and the bare names policies quote. */
const NAME_OUTPUTS: Record<string, string[]> = {
  "aws:s3/bucket:Bucket": ["bucket"],
  "aws:iam/role:Role": ["name"],
};

export interface Names {
  /** The label of the resource with this URN (its URN if not in the stack). */
  byUrn(urn: string): string;
  /** Rewrites every ARN and physical name of a stack resource in the text to its label. */
  normalize(text: string): string;
}

export function buildNames(resources: AnalyzableResource[], props: (r: AnalyzableResource) => Record<string, unknown>): Names {
  const labels = new Map(resources.map((r) => [r.urn, labelOf(r)]));
  const replacements: [string, string][] = [];
  for (const r of resources) {
    const label = labelOf(r);
    const values = props(r);
    for (const key of ["arn", ...(NAME_OUTPUTS[r.type] ?? [])]) {
      const physical = values[key];
      // Short or suffix-free names are left alone: replacing them could rewrite unrelated text.
      if (typeof physical === "string" && physical.length >= 8 && physical !== r.name) replacements.push([physical, label]);
    }
  }
  // Longest first: a function ARN embeds the role-like physical name of its function.
  replacements.sort((a, b) => b[0].length - a[0].length);
  return {
    byUrn: (urn) => labels.get(urn) ?? urn,
    normalize: (text) => replacements.reduce((t, [physical, label]) => (t.includes(physical) ? t.split(physical).join(label) : t), text),
  };
}

/** How a diff names a policy principal: "everyone (*)", "account 123", "service lambda.amazonaws.com", or a label/ARN. */
export function principalLabel(kind: "aws" | "service", value: string, names: Names): string {
  if (kind === "service") return `service ${value}`;
  if (value === "*") return "everyone (*)";
  const account = /^(?:arn:aws[\w-]*:iam::(\d{12}):root|(\d{12}))$/.exec(value);
  if (account) return `account ${account[1] ?? account[2]}`;
  return names.normalize(value);
}
