// Evaluates policies through @pulumi/policy's own analyzer handlers, with
// requests built from @pulumi/pulumi's analyzer protobuf messages: the same
// code path, proxies, unknown-value handling and enforcement levels as when
// the Pulumi engine runs the pack. The handlers are internal exports of
// @pulumi/policy (see facts.md §4); PolicyPack itself cannot be used here, as
// it starts a gRPC server and allows one per process. The request builders
// are shared with test/policies/analyzerProtocol.test.ts, which sends the same
// requests to the pack running in Pulumi's own analyzer host and expects the
// same verdicts.
import type { Policies, PolicyResource } from "@pulumi/policy";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { SimulatedResource } from "./mockRuntime";
import { unwrapSecrets } from "./pulumiWire";

interface AnalyzerServer {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): AnalyzerHandler;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policies): AnalyzerHandler;
}
type AnalyzerHandler = (call: { request: unknown }, callback: (error: unknown, response?: analyzerProto.AnalyzeResponse) => void) => void;

// The handlers are reachable only through this untyped internal module.
const server = require("@pulumi/policy/server") as AnalyzerServer;

/** A resource as the engine hands it to a policy pack: inputs to resource policies, outputs to stack policies. */
export interface AnalyzableResource {
  urn: string;
  type: string;
  name: string;
  /** False for components and the root stack; absent means a custom (cloud) resource. */
  custom?: boolean;
  parent?: string;
  protect: boolean;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** What the engine would send for a resource the mock runtime registered. */
export function fromSimulated(r: SimulatedResource): AnalyzableResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent,
    protect: r.protect,
    inputs: r.inputs,
    outputs: r.state,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
}

export interface PolicyPackDefinition {
  name: string;
  version: string;
  enforcementLevel: "advisory" | "mandatory" | "disabled";
  policies: Policies;
}

export interface Violation {
  pack: string;
  policy: string;
  enforcementLevel: string;
  severity?: string;
  urn: string;
  message: string;
}

const LEVEL_NAMES = Object.fromEntries(Object.entries(analyzerProto.EnforcementLevel).map(([name, value]) => [value, name.toLowerCase()]));
const SEVERITY_NAMES = Object.fromEntries(
  Object.entries(analyzerProto.PolicySeverity).map(([name, value]) => [value, name.toLowerCase().replace(/^policy_severity_/, "")]),
);

/** Drops undefined (protobuf Struct has no such value) without touching Pulumi's secret and unknown encodings. */
function toStruct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function options(resource: AnalyzableResource): analyzerProto.AnalyzerResourceOptions {
  const opts = new analyzerProto.AnalyzerResourceOptions();
  opts.setProtect(resource.protect);
  if (resource.parent) opts.setParent(resource.parent);
  return opts;
}

function call(handler: AnalyzerHandler, request: unknown): Promise<analyzerProto.AnalyzeResponse> {
  return new Promise((resolve, reject) =>
    handler({ request }, (error, response) => (error ? reject(error) : resolve(response as analyzerProto.AnalyzeResponse))),
  );
}

/** The violations in an Analyze or AnalyzeStack response; stack diagnostics without a URN get `fallbackUrn`. */
export function violationsOf(response: analyzerProto.AnalyzeResponse, fallbackUrn: string): Violation[] {
  return response.getDiagnosticsList().map((d) => {
    const description = d.getDescription();
    const full = d.getMessage();
    // The handlers prefix every message with the policy's description; keep the sentence that names the resource.
    const message = description && full.startsWith(`${description}\n`) ? full.slice(description.length + 1) : full;
    const severity = SEVERITY_NAMES[d.getSeverity()];
    return {
      pack: d.getPolicypackname(),
      policy: d.getPolicyname(),
      enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()),
      ...(severity && severity !== "unspecified" ? { severity } : {}),
      urn: d.getUrn() || fallbackUrn,
      message,
    };
  });
}

/** The Analyze request the engine sends for one resource: its inputs. */
export function analyzeRequest(resource: AnalyzableResource): analyzerProto.AnalyzeRequest {
  const request = new analyzerProto.AnalyzeRequest();
  request.setType(resource.type);
  request.setUrn(resource.urn);
  request.setName(resource.name);
  request.setProperties(toStruct(resource.inputs));
  request.setOptions(options(resource));
  return request;
}

/** The AnalyzeStack request the engine sends for the whole stack: outputs, dependencies and property links. */
export function analyzeStackRequest(resources: AnalyzableResource[]): analyzerProto.AnalyzeStackRequest {
  const stackRequest = new analyzerProto.AnalyzeStackRequest();
  stackRequest.setResourcesList(
    resources.map((resource) => {
      const r = new analyzerProto.AnalyzerResource();
      r.setType(resource.type);
      r.setUrn(resource.urn);
      r.setName(resource.name);
      r.setProperties(toStruct(resource.outputs));
      r.setOptions(options(resource));
      if (resource.parent) r.setParent(resource.parent);
      r.setDependenciesList(resource.dependencies);
      const propertyDependencies = r.getPropertydependenciesMap();
      for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
        const deps = new analyzerProto.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        propertyDependencies.set(key, deps);
      }
      return r;
    }),
  );
  return stackRequest;
}

/** Runs every resource policy on each resource, then every stack policy on the whole stack. */
export async function analyze(resources: AnalyzableResource[], pack: PolicyPackDefinition): Promise<Violation[]> {
  const analyzeResource = server.makeAnalyzeRpcFun(pack.name, pack.version, pack.enforcementLevel, pack.policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun(pack.name, pack.version, pack.enforcementLevel, pack.policies);
  const violations: Violation[] = [];
  for (const resource of resources) {
    violations.push(...violationsOf(await call(analyzeResource, analyzeRequest(resource)), resource.urn));
  }
  violations.push(...violationsOf(await call(analyzeStack, analyzeStackRequest(resources)), ""));
  return violations;
}

/**
 * The resources as a stack policy sees them (outputs, secrets unwrapped,
 * links as objects), for reports that call policy helpers directly. Values
 * unknown at preview stay as Pulumi's unknown marker.
 */
export function toPolicyResources(resources: AnalyzableResource[]): PolicyResource[] {
  const views = resources.map((r) => ({
    type: r.type,
    urn: r.urn,
    name: r.name,
    props: unwrapSecrets(r.outputs) as Record<string, unknown>,
    opts: { protect: r.protect },
    dependencies: [] as PolicyResource[],
    propertyDependencies: {} as Record<string, PolicyResource[]>,
  }));
  const byUrn = new Map(views.map((v) => [v.urn, v]));
  resources.forEach((r, i) => {
    const view = views[i] as (typeof views)[number];
    view.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((v) => v !== undefined) as unknown as PolicyResource[];
    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
      view.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((v) => v !== undefined) as unknown as PolicyResource[];
    }
  });
  return views as unknown as PolicyResource[];
}
