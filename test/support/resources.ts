import type { PolicyDocument, PolicyStatement } from "../../components/iam/policyDocument";
import type { SimulatedResource, StackRun } from "../../tools/engine/mockRuntime";

/** The resources of one type token, in registration order. */
export function ofType(run: StackRun, type: string): SimulatedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The single resource of a type whose name ends with the suffix; fails the test otherwise. */
export function single(run: StackRun, type: string, nameSuffix = ""): SimulatedResource {
  const matches = ofType(run, type).filter((r) => r.name.endsWith(nameSuffix));
  if (matches.length !== 1) throw new Error(`expected one ${type} ending "${nameSuffix}", found ${matches.length}`);
  return matches[0] as SimulatedResource;
}

export function policyOf(resource: SimulatedResource, property = "policy"): PolicyDocument {
  return JSON.parse(resource.inputs[property] as string) as PolicyDocument;
}

export function statement(document: PolicyDocument, sid: string): PolicyStatement {
  const found = document.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(document)}`);
  return found;
}
