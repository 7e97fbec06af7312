import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_NAMESPACE, parseStackConfig } from "../../stacks/stackConfig";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { loadStackSettings, readProjectFile, SECRET_PLACEHOLDER } from "../../tools/engine/stackSettings";

function projectWith(stackYaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "stack-settings-"));
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    "name: demo\nruntime: nodejs\nconfig:\n  color:\n    type: string\n    default: blue\n    description: d\n  sizes:\n    type: array\n    items:\n      type: integer\n    default: [1, 2]\n    description: d\n",
  );
  writeFileSync(join(dir, "Pulumi.dev.yaml"), stackYaml);
  return dir;
}

describe("Pulumi.yaml", () => {
  const project = readProjectFile(PROJECT_DIR);

  it("declares every setting with a type Pulumi accepts, items for lists, and a description", () => {
    for (const [key, declaration] of Object.entries(project.config)) {
      expect(["string", "integer", "boolean", "array"], key).toContain(declaration.type);
      if (declaration.type === "array") expect(declaration.items?.type, key).toBeTypeOf("string");
      expect(declaration.description?.length ?? 0, key).toBeGreaterThan(20);
    }
  });

  it("declares exactly the keys the program reads", () => {
    const read = new Set<string>();
    try {
      parseStackConfig((key) => {
        read.add(key);
        return undefined;
      });
    } catch {
      // Every key is missing here; only which keys were asked for matters.
    }
    expect([...read].sort()).toEqual(Object.keys(project.config).sort());
    expect(project.name).toBe(CONFIG_NAMESPACE);
  });
});

describe("loadStackSettings", () => {
  it("applies Pulumi.yaml defaults, lets the stack override them, and namespaces bare keys", () => {
    const dir = projectWith("config:\n  demo:color: red\n  aws:region: eu-west-2\n");
    expect(loadStackSettings(dir, "dev").config).toEqual({ "demo:color": "red", "demo:sizes": "[1,2]", "aws:region": "eu-west-2" });
  });

  it("replaces secure values with a placeholder and marks them secret", () => {
    const dir = projectWith("config:\n  demo:color:\n    secure: AAABAJ0hZW5jcnlwdGVk\n");
    const settings = loadStackSettings(dir, "dev");
    expect(settings.config["demo:color"]).toBe(SECRET_PLACEHOLDER);
    expect(settings.secretKeys).toEqual(["demo:color"]);
  });

  it("names the missing stack file", () => {
    expect(() => loadStackSettings(PROJECT_DIR, "staging")).toThrow(/Pulumi\.staging\.yaml does not exist/);
  });

  it("refuses a stack name that could escape the project folder", () => {
    expect(() => loadStackSettings(PROJECT_DIR, "../prod")).toThrow('"../prod" is not a valid stack name');
  });

  it("names a stack file that is not YAML", () => {
    const dir = projectWith("config: [unclosed\n");
    expect(() => loadStackSettings(dir, "dev")).toThrow(/Pulumi\.dev\.yaml is not valid YAML/);
  });
});
