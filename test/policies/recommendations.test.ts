// Recommendations (policies/lib/projectPolicy.ts `recommendation`): advisory, and silent unless their
// policy config switches them on. The engine passes policy config to a pack through its configure
// call, which @pulumi/policy does not expose in process, so these tests call the policies with the
// config an engine would hand them, on the resources of the prod stack.
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectPolicy } from "../../policies/lib/projectPolicy";
import { allPolicies } from "../../policies/pack";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated } from "../../tools/engine/policyAnalysis";

let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

const recommendations = allPolicies.filter((p) => p.enforcementLevel === "advisory");

/** The messages a policy reports on the prod stack, given its policy config. */
async function reportsOnProd(policy: ProjectPolicy, config: Record<string, unknown>): Promise<string[]> {
  const messages: string[] = [];
  const report: ReportViolation = (message) => {
    messages.push(message);
  };
  const getConfig = <T extends object>() => config as T;
  if ("validateStack" in policy) {
    const byUrn = new Map<string, PolicyResource>();
    const resources = prod.map((r) => {
      const view = {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.outputs,
        opts: { protect: r.protect },
        dependencies: [],
        propertyDependencies: {},
      };
      byUrn.set(r.urn, view as unknown as PolicyResource);
      return view;
    });
    prod.forEach((r, i) => {
      const view = resources[i] as unknown as { propertyDependencies: Record<string, PolicyResource[]> };
      for (const [property, urns] of Object.entries(r.propertyDependencies)) {
        view.propertyDependencies[property] = urns.map((u) => byUrn.get(u)).filter((v): v is PolicyResource => v !== undefined);
      }
    });
    await policy.validateStack({ resources, getConfig } as unknown as StackValidationArgs, report);
  } else {
    const validate = policy.validateResource as (args: ResourceValidationArgs, report: ReportViolation) => unknown;
    for (const r of prod) {
      const args = { type: r.type, name: r.name, urn: r.urn, props: r.inputs, opts: { protect: r.protect }, getConfig };
      await validate(args as unknown as ResourceValidationArgs, report);
    }
  }
  return messages;
}

describe("the pack's recommendations", () => {
  it("are cross-account replication, Lambda code signing and secret rotation, each with an off switch", () => {
    expect(recommendations.map((p) => p.name).sort()).toEqual([
      "lambda-function-require-code-signing",
      "s3-bucket-missing-cross-account-replication",
      "secretsmanager-secret-require-rotation",
    ]);
    for (const policy of recommendations) {
      expect(policy.configSchema?.properties.enabled).toMatchObject({ type: "boolean", default: false });
      expect(policy.description).toMatch(/^Recommendation \(advisory, off by default\)/);
    }
  });

  it.each(recommendations.map((p) => [p.name, p] as const))(
    "%s reports nothing on prod by default, and what prod lacks when enabled",
    async (_name, policy) => {
      expect(await reportsOnProd(policy, {})).toEqual([]);
      expect(await reportsOnProd(policy, { enabled: false })).toEqual([]);
      const enabled = await reportsOnProd(policy, { enabled: true });
      expect(enabled.length).toBeGreaterThan(0);
      for (const message of enabled) expect(message).toMatch(/; /);
    },
  );

  it("refuses a switch that is not a boolean, naming the policy and the key", async () => {
    const [policy] = recommendations as [ProjectPolicy];
    await expect(reportsOnProd(policy, { enabled: "yes" })).rejects.toThrow(
      `policy ${policy.name}: config "enabled" must be of type boolean; got "yes"`,
    );
  });
});
