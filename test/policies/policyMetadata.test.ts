import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/pack";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

const NAME = /^(s3|kms|iam|lambda|cloudwatch|sqs|secretsmanager|genesys)-[a-z0-9]+-(enable|configure|disallow|require|missing)-[a-z0-9-]+$/;
const SEVERITIES = ["low", "medium", "high", "critical"];

describe("every policy of the pack", () => {
  it.each(allPolicies.map((p) => [p.name, p] as const))("%s states its name, description, severity, reason and fix", (_name, policy) => {
    expect(policy.name).toMatch(NAME);
    expect(policy.description).toMatch(/^[A-Z"].*\.$/);
    expect(SEVERITIES).toContain(policy.severity);
    expect(policy.why.length).toBeGreaterThan(30);
    expect(policy.remediationSteps?.length ?? 0).toBeGreaterThan(15);
    // Mandatory comes from the pack; a policy that set its own level could not be overridden uniformly.
    // Only a recommendation is advisory, and it carries the switch that turns it on (off by default).
    if (policy.enforcementLevel === undefined) expect(policy.configSchema?.properties.enabled).toBeUndefined();
    else {
      expect(policy.enforcementLevel).toBe("advisory");
      expect(policy.configSchema?.properties.enabled).toMatchObject({ type: "boolean", default: false });
    }
    for (const [key, property] of Object.entries(policy.configSchema?.properties ?? {})) {
      expect(property.default, `${policy.name} config ${key}`).toBeDefined();
      expect(property.description, `${policy.name} config ${key}`).toBeTruthy();
      expect(property.type, `${policy.name} config ${key}`).toBeTruthy();
    }
  });

  it("has a unique name", () => {
    const names = allPolicies.map((p) => p.name);
    expect(names.length).toBe(new Set(names).size);
  });

  it("lives in a folder named after its service, one policy per file, every file in the pack", () => {
    const policiesDir = join(PROJECT_DIR, "policies");
    const packed = new Set(allPolicies.map((p) => p.name));
    const seen: string[] = [];
    // lib/ holds helpers, shared/ what the pack shares with the stack: no policies there.
    const helperFolders = new Set(["lib", "shared", "node_modules"]);
    for (const folder of readdirSync(policiesDir, { withFileTypes: true }).filter((d) => d.isDirectory() && !helperFolders.has(d.name))) {
      for (const file of readdirSync(join(policiesDir, folder.name)).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
        const names = [...readFileSync(join(policiesDir, folder.name, file), "utf8").matchAll(/^\s+name: "([a-z0-9-]+)",$/gm)].map(
          (m) => m[1],
        );
        expect(names, `${folder.name}/${file}`).toHaveLength(1);
        const name = names[0] as string;
        expect(name.startsWith(`${folder.name}-`), `${folder.name}/${file} holds ${name}`).toBe(true);
        expect(packed.has(name), `${name} is not in policies/pack.ts`).toBe(true);
        seen.push(name);
      }
    }
    expect(seen.sort()).toEqual([...packed].sort());
  });
});
