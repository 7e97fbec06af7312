import { allPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { type AnalyzableResource, analyze, type Violation } from "../../tools/engine/policyAnalysis";

/** A resource written by hand for a policy test; URNs and links are derived from names. */
export interface FixtureResource {
  type: string;
  name: string;
  /** Inputs (resource policies) and outputs (stack policies) alike, unless `outputs` is given. */
  props: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  protect?: boolean;
  /** Property name to the names of the fixture resources its value came from. */
  links?: Record<string, string[]>;
}

export function fixtureUrn(type: string, name: string): string {
  return `urn:pulumi:test::legal-hold-archive::${type}::${name}`;
}

/** Converts fixtures into what the engine would send the pack. */
export function toAnalyzable(fixtures: FixtureResource[]): AnalyzableResource[] {
  const urnByName = new Map(fixtures.map((f) => [f.name, fixtureUrn(f.type, f.name)]));
  return fixtures.map((f) => {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, names] of Object.entries(f.links ?? {})) {
      propertyDependencies[property] = names.map((n) => {
        const urn = urnByName.get(n);
        if (!urn) throw new Error(`fixture "${f.name}" links ${property} to unknown fixture "${n}"`);
        return urn;
      });
    }
    return {
      urn: fixtureUrn(f.type, f.name),
      type: f.type,
      name: f.name,
      protect: f.protect ?? false,
      inputs: f.props,
      outputs: f.outputs ?? f.props,
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
    };
  });
}

/** Runs the shipped pack, through the real analyzer handlers, over the resources. */
export function evaluatePack(resources: AnalyzableResource[]): Promise<Violation[]> {
  return analyze(resources, { name: PACK_NAME, version: PACK_VERSION, enforcementLevel: PACK_ENFORCEMENT_LEVEL, policies: allPolicies });
}

/** Runs the shipped pack over hand-written fixtures. */
export function evaluateFixtures(fixtures: FixtureResource[]): Promise<Violation[]> {
  return evaluatePack(toAnalyzable(fixtures));
}
