import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

// `pulumi policy publish` ships policies/ alone and installs what its package.json declares, so the
// pack may import nothing from the rest of the repository and no package it does not declare.
const PACK_DIR = join(PROJECT_DIR, "policies");

interface PackageJson {
  version?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readPackage = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

function packSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : packSources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every module specifier a file names: imports, re-exports, `import type`, require() and import(). */
function specifiersOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

/** "@scope/name/sub/path" -> "@scope/name"; "name/sub" -> "name". */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(packageName(specifier));

const imports = packSources(PACK_DIR).flatMap((file) => specifiersOf(file).map((specifier) => ({ file, specifier })));
const where = (file: string) => relative(PROJECT_DIR, file);

// Needed although nothing imports them: run-policy-pack type-checks the pack with the installed
// typescript and ts-node (falling back to a vendored TypeScript 3.8 that cannot compile it), and the
// pack's tsconfig names the node types.
const RUN_POLICY_PACK_NEEDS = ["typescript", "ts-node", "@types/node"];

// policies/patches/ (patch-package) speed up the proof's libraries; a patch is named
// "<package, / as +>+<version>.patch" and applies to that version only.
const PATCH_DIR = join(PACK_DIR, "patches");
const patches = readdirSync(PATCH_DIR)
  .filter((file) => file.endsWith(".patch"))
  .map((file) => {
    const match = /^(.+)\+([^+]+)\.patch$/.exec(file);
    if (!match) throw new Error(`${file} is not named <package>+<version>.patch`);
    return { file, name: (match[1] as string).replace("+", "/"), version: match[2] as string };
  });
const PATCHES_NEED = ["patch-package", ...patches.map((p) => p.name)];

describe("the policy pack is self-contained", () => {
  it("finds the pack's sources and their imports", () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.some((i) => i.specifier === "@pulumi/policy")).toBe(true);
  });

  it("imports no relative path outside policies/", () => {
    const escaping = imports
      .filter((i) => i.specifier.startsWith("."))
      .filter((i) => !resolve(dirname(i.file), i.specifier).startsWith(PACK_DIR + sep))
      .map((i) => `${where(i.file)} imports ${i.specifier}`);
    expect(escaping).toEqual([]);
  });

  it("declares every package it imports in policies/package.json", () => {
    const declared = readPackage(PACK_DIR).dependencies ?? {};
    const undeclared = imports
      .filter((i) => !i.specifier.startsWith(".") && !isBuiltin(i.specifier))
      .filter((i) => !Object.hasOwn(declared, packageName(i.specifier)))
      .map((i) => `${where(i.file)} imports ${i.specifier}`);
    expect(undeclared).toEqual([]);
  });

  it("declares only packages it imports, that run-policy-pack needs to type-check it, or that its patches need", () => {
    const used = new Set([...imports.map((i) => packageName(i.specifier)), ...RUN_POLICY_PACK_NEEDS, ...PATCHES_NEED]);
    const unused = Object.keys(readPackage(PACK_DIR).dependencies ?? {}).filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });

  it("confines the AGPL IAM simulator packages to one module (the README's licence note)", () => {
    const importers = new Set(imports.filter((i) => i.specifier.startsWith("@cloud-copilot/iam-")).map((i) => where(i.file)));
    expect([...importers]).toEqual([join("policies", "lib", "iamProof", "simulator.ts")]);
  });

  it("declares each dependency with the same version range as the project root, which installs them", () => {
    const root = readPackage(PROJECT_DIR);
    const rootRanges = { ...root.devDependencies, ...root.dependencies };
    const drift = Object.entries(readPackage(PACK_DIR).dependencies ?? {})
      .filter(([name, range]) => rootRanges[name] !== range)
      .map(([name, range]) => `${name}: policies/package.json has ${range}, package.json has ${rootRanges[name] ?? "nothing"}`);
    expect(drift).toEqual([]);
  });

  it("carries its patches: pins each patched library at the patch's version and applies them on install", () => {
    const pack = readPackage(PACK_DIR);
    expect(patches.map((p) => p.name).sort()).toEqual([
      "@cloud-copilot/iam-policy",
      "@cloud-copilot/iam-simulate",
      "@cloud-copilot/iam-utils",
    ]);
    for (const patch of patches) {
      // A range would let a published install resolve a newer release the patch does not fit.
      expect(pack.dependencies?.[patch.name], `policies/package.json's version of ${patch.name}`).toBe(patch.version);
      expect(readPackage(join(PROJECT_DIR, "node_modules", patch.name)).version, `installed ${patch.name}`).toBe(patch.version);
    }
    // Pulumi runs npm install in a published pack; its postinstall applies patches/ there (warning if one does not apply).
    expect(pack.scripts?.postinstall).toBe("patch-package || exit 0");
    expect(readPackage(PROJECT_DIR).scripts?.postinstall).toBe("patch-package --patch-dir policies/patches --error-on-fail");
  });
});
