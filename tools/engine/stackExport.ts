// Reads and writes `pulumi stack export` documents (deployment version 3), so
// `npm run check` can judge a real stack's state, and emit what it judged.
import { readFileSync } from "node:fs";
import type { AnalyzableResource } from "./policyAnalysis";
import { isSecretEnvelope, secretEnvelope } from "./pulumiWire";
import { StackFileError } from "./stackSettings";

/** What a policy sees instead of a secret it cannot decrypt (the stack's key is not here). */
export const UNDECRYPTABLE_SECRET = "[secret]";

interface ExportedResource {
  urn: string;
  custom?: boolean;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

/**
 * Turns checkpoint secrets into the wire form the analyzer deserializes:
 * plaintext secrets keep their value, encrypted ones become a placeholder,
 * both still marked secret. Unknown values pass through untouched.
 */
function toWireValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWireValue);
  if (value === null || typeof value !== "object") return value;
  if (isSecretEnvelope(value)) {
    if (typeof value.plaintext === "string") return secretEnvelope(toWireValue(JSON.parse(value.plaintext)));
    if ("ciphertext" in value) return secretEnvelope(UNDECRYPTABLE_SECRET);
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWireValue(v)]));
}

/** The inverse of toWireValue for what this tool writes: secrets go back to checkpoint form. */
function toCheckpointValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCheckpointValue);
  if (value === null || typeof value !== "object") return value;
  if (isSecretEnvelope(value)) {
    const { value: plain, ...marker } = value;
    return { ...marker, plaintext: JSON.stringify(plain) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCheckpointValue(v)]));
}

function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** Parses a stack export; every problem is a StackFileError naming the file and what is wrong. */
export function parseStackExport(text: string, source: string): AnalyzableResource[] {
  let document: { version?: unknown; deployment?: { resources?: unknown } };
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new StackFileError(`${source} is not JSON (${(error as Error).message}); pass the output of \`pulumi stack export\``);
  }
  if (document?.version !== 3) {
    throw new StackFileError(`${source} has version ${JSON.stringify(document?.version)}; \`pulumi stack export\` version 3 is expected`);
  }
  const resources = document.deployment?.resources ?? [];
  if (!Array.isArray(resources)) throw new StackFileError(`${source}: deployment.resources is not a list`);
  return (resources as ExportedResource[])
    .map((r, index) => {
      if (typeof r?.urn !== "string" || typeof r?.type !== "string") {
        throw new StackFileError(`${source}: resource #${index + 1} has no urn or type`);
      }
      return r;
    })
    .filter((r) => !r.type.startsWith("pulumi:providers:"))
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: nameOf(r.urn),
      custom: r.custom !== false,
      parent: r.parent,
      protect: r.protect === true,
      inputs: toWireValue(r.inputs ?? {}) as Record<string, unknown>,
      outputs: toWireValue(r.outputs ?? {}) as Record<string, unknown>,
      dependencies: r.dependencies ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
    }));
}

export function readStackExport(path: string): AnalyzableResource[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new StackFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseStackExport(text, path);
}

/** A `pulumi stack export` document of the given resources, which `--state` reads back unchanged. */
export function toStackExport(resources: AnalyzableResource[]): object {
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date(0).toISOString(), magic: "", version: "npm-run-check" },
      resources: resources.map((r) => ({
        urn: r.urn,
        custom: r.custom !== false,
        type: r.type,
        inputs: toCheckpointValue(r.inputs),
        outputs: toCheckpointValue(r.outputs),
        ...(r.parent ? { parent: r.parent } : {}),
        protect: r.protect,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
      })),
    },
  };
}
