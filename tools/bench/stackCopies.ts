// Copies of the prod stack's resources inside one stack, each copy with its own
// identifiers and links: the synthetic stacks of bench:policies, and the
// several-archive stacks the export access proof is tested on.
import { createHash } from "node:crypto";
import type { AnalyzableResource } from "../engine/policyAnalysis";

export const STACK_TYPE = "pulumi:pulumi:Stack";

function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Makes copies of one group of resources. Every identifier the mock provider
 * derives from a resource's name (physical names with their hash suffix, ARNs
 * built on them, ids, OAuth client ids, KMS key ids) gets the copy's suffix,
 * in inputs and outputs alike, inside policy documents too; URNs, names,
 * parents and (property) dependencies point within the copy.
 */
type Properties = [inputs: AnalyzableResource["inputs"], outputs: AnalyzableResource["outputs"]];

export function replicator(group: AnalyzableResource[]): (copy: number) => AnalyzableResource[] {
  // Only property values are renamed: URNs, names and links are derived from the original below.
  const text = JSON.stringify(group.map((r) => [r.inputs, r.outputs]));
  const identifiers: [from: string, to: (suffix: string) => string][] = [];
  for (const r of group) {
    const h7 = shortHash(r.name, 7);
    const h8 = shortHash(r.name, 8);
    identifiers.push([`${r.name}-${h7}`, (s) => `${r.name}-${s}-${h7}`]);
    identifiers.push([`${r.name}-id`, (s) => `${r.name}-${s}-id`]);
    identifiers.push([`${h8}-mock-client-id`, (s) => `${h8}-${s}-mock-client-id`]);
    const keyId = r.outputs.keyId;
    if (typeof keyId === "string") identifiers.push([keyId, (s) => `${keyId.slice(0, 24)}${shortHash(`${keyId}${s}`, 12)}`]);
    const alias = r.inputs.name;
    if (typeof alias === "string" && alias.startsWith("alias/")) identifiers.push([alias, (s) => `${alias}-${s}`]);
    // A physical name the program sets explicitly (no hash suffix): renamed wherever it ends a value or
    // an ARN, in plain or escaped JSON, so copies do not share the function, role or queue it names.
    // (Its resource name may differ: the case export's function and log group are named by the function's fixed name.)
    const physical =
      typeof r.inputs.name === "string" && r.type.startsWith("aws:") && !r.inputs.name.startsWith("alias/") ? r.inputs.name : r.name;
    if (r.outputs.name === physical) {
      for (const [before, after] of [
        ['"', '"'],
        [":", '"'],
        ["/", '"'],
        ['\\"', '\\"'],
        [":", '\\"'],
        ["/", '\\"'],
      ]) {
        identifiers.push([`${before}${physical}${after}`, (s) => `${before}${physical}-${s}${after}`]);
      }
    }
  }
  // Longest first, so no identifier is cut short by one it starts with.
  identifiers.sort(([a], [b]) => b.length - a.length);
  const pattern = new RegExp(identifiers.map(([from]) => escapeRegExp(from)).join("|"), "g");
  const replacement = new Map(identifiers);

  return (copy) => {
    const suffix = `g${copy}`;
    const renamed = text.replace(pattern, (found) => (replacement.get(found) as (s: string) => string)(suffix));
    // Components are copied with their children; the root stack is not.
    const urn = (u: string) => (u.includes(`::${STACK_TYPE}::`) ? u : `${u}-${suffix}`);
    const properties = JSON.parse(renamed) as Properties[];
    return group.map((r, i) => ({
      ...r,
      inputs: (properties[i] as Properties)[0],
      outputs: (properties[i] as Properties)[1],
      urn: urn(r.urn),
      name: `${r.name}-${suffix}`,
      parent: r.parent === undefined ? undefined : urn(r.parent),
      dependencies: r.dependencies.map(urn),
      propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map(urn)])),
    }));
  };
}

/** Fails when two copies share a physical identifier: the copies would link to each other by value. */
export function checkUnique(stack: AnalyzableResource[]): void {
  const seen = new Map<string, string>();
  for (const r of stack) {
    for (const property of ["arn", "bucket", "keyId", "id", "clientId"]) {
      const value = r.outputs[property];
      if (typeof value !== "string" || r.custom === false) continue;
      const key = `${r.type} ${property} ${value}`;
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`synthetic stack: ${other} and ${r.urn} share ${property} ${value}`);
      seen.set(key, r.urn);
    }
  }
}

/**
 * A stack of `copies` copies of `stack`'s resources under its one root stack
 * resource: copy i's names, URNs and physical identifiers carry the suffix
 * `g{i}`, for i from `first`.
 */
export function stackOfCopies(stack: AnalyzableResource[], copies: number, first = 0): AnalyzableResource[] {
  const root = stack.filter((r) => r.type === STACK_TYPE);
  const copy = replicator(stack.filter((r) => r.type !== STACK_TYPE));
  const result = [...root];
  for (let i = first; i < first + copies; i++) result.push(...copy(i));
  checkUnique(result);
  return result;
}
