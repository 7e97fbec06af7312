import type { AnalyzableResource } from "../../tools/engine/policyAnalysis";

/** A deep copy, so each misconfiguration starts from the untouched stack. */
export function cloneStack(resources: AnalyzableResource[]): AnalyzableResource[] {
  return structuredClone(resources);
}

/** The one resource whose name ends with the suffix (and of the type, when given). */
export function find(resources: AnalyzableResource[], nameSuffix: string, type?: string): AnalyzableResource {
  const matches = resources.filter((r) => r.name.endsWith(nameSuffix) && (type === undefined || r.type === type));
  if (matches.length !== 1) throw new Error(`expected one resource ending "${nameSuffix}", found ${matches.length}`);
  return matches[0] as AnalyzableResource;
}

/** Sets a property in both the inputs (resource policies) and the outputs (stack policies). */
export function setProp(resource: AnalyzableResource, property: string, value: unknown): void {
  for (const side of [resource.inputs, resource.outputs]) {
    if (value === undefined) delete side[property];
    else side[property] = value;
  }
}

/** Edits a JSON policy document property (policy, assumeRolePolicy) in inputs and outputs alike. */
export function editPolicy(
  resource: AnalyzableResource,
  edit: (document: { Statement: Record<string, unknown>[] }) => void,
  property = "policy",
): void {
  const document = JSON.parse(resource.inputs[property] as string);
  edit(document);
  setProp(resource, property, JSON.stringify(document));
}

export function statementBySid(document: { Statement: Record<string, unknown>[] }, sid: string): Record<string, unknown> {
  const statement = document.Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid}`);
  return statement;
}

/** Removes a resource and every reference to it, as if the program no longer declared it. */
export function remove(resources: AnalyzableResource[], resource: AnalyzableResource): AnalyzableResource[] {
  return resources
    .filter((r) => r !== resource)
    .map((r) => ({
      ...r,
      dependencies: r.dependencies.filter((u) => u !== resource.urn),
      propertyDependencies: Object.fromEntries(
        Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.filter((u) => u !== resource.urn)]),
      ),
    }));
}
