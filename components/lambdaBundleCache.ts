// A Lambda bundle is reused only when a fingerprint of everything that went
// into it is unchanged. The fingerprint covers the build settings (esbuild's
// version and options), the content of every file esbuild read (its metafile's
// inputs, node_modules included), the lockfiles and configuration files that
// steer resolution, and the listing of every project folder an input lives in
// or under, so that a new file that would shadow an import (`util.tsx` beside
// `util.ts`, `lib.ts` beside `lib/index.ts`, a `node_modules` folder inside
// lambda/) also forces a rebuild.
//
// Residual risk, accepted: a file added by hand inside node_modules without an
// install (the lockfiles unchanged) that shadows a resolution there, and a
// change to esbuild's behaviour driven by the environment rather than its
// options. `rm -rf build/` rebuilds from scratch.
import { createHash } from "node:crypto";
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";

/** Files outside esbuild's inputs whose content changes what a build resolves to. */
export const RESOLUTION_FILES = ["package.json", "package-lock.json", "node_modules/.package-lock.json", "tsconfig.json"];

/** What is kept beside a bundle so the next run can tell whether it is still current. */
export interface BundleRecord {
  /** Bumped when the fingerprint's recipe changes, so older records never match. */
  format: 1;
  /** The fingerprint of the build settings, inputs and folder listings. */
  fingerprint: string;
  /** Files hashed, relative to the project root with "/" separators. */
  inputs: string[];
  /** Project folders whose listings were hashed, relative to the project root ("." for the root). */
  folders: string[];
  /** SHA-256 of each output file, by name, so an edited or truncated bundle is never reused. */
  outputs: Record<string, string>;
}

export const RECORD_FORMAT = 1;

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** The entries of a folder that module resolution can see: subfolders and files of a resolvable kind. */
const RESOLVABLE = /\.(?:[cm]?[jt]sx?|json|node)$/u;

function listing(path: string): string {
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return "<absent>";
  }
  return entries
    .filter((entry) => !entry.isFile() || RESOLVABLE.test(entry.name))
    .map((entry) => `${entry.isDirectory() ? "d" : "f"}:${entry.name}`)
    .sort()
    .join("\n");
}

function contentHash(path: string): string {
  try {
    return sha256(readFileSync(path));
  } catch {
    // A deleted input fingerprints differently from any content, so the bundle is rebuilt.
    return "<absent>";
  }
}

/** The project folders whose listings can change resolution: each input's folder and its ancestors up to the root. */
export function foldersOf(inputs: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const input of inputs) {
    if (input.startsWith("node_modules/") || input.includes("/node_modules/") || input.includes(":")) continue;
    let folder = dirname(input);
    while (!folders.has(folder)) {
      folders.add(folder);
      if (folder === ".") break;
      folder = dirname(folder);
    }
  }
  return [...folders].sort();
}

/** The fingerprint of one build: its settings, the content of its inputs and the listings of its folders. */
export function fingerprint(root: string, settings: unknown, inputs: readonly string[], folders: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(`${JSON.stringify(settings)}\n`);
  for (const input of inputs) hash.update(`file ${input} ${contentHash(join(root, input.split("/").join(sep)))}\n`);
  for (const folder of folders) hash.update(`folder ${folder} ${sha256(listing(join(root, folder.split("/").join(sep))))}\n`);
  return hash.digest("hex");
}

/** The record of a fresh build, from esbuild's metafile inputs and the outputs it wrote. */
export function recordBuild(
  root: string,
  settings: unknown,
  metafileInputs: readonly string[],
  outputs: Record<string, Uint8Array>,
): BundleRecord {
  const inputs = [...new Set([...metafileInputs, ...RESOLUTION_FILES])].sort();
  const folders = foldersOf(inputs);
  return {
    format: RECORD_FORMAT,
    fingerprint: fingerprint(root, settings, inputs, folders),
    inputs,
    folders,
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, bytes]) => [name, sha256(Buffer.from(bytes))])),
  };
}

/** Whether the bundle in `directory` may be reused: the record matches the settings, the inputs as they are now, and the outputs on disk. */
export function isCurrent(root: string, settings: unknown, record: unknown, directory: string): boolean {
  if (typeof record !== "object" || record === null) return false;
  const { format, fingerprint: recorded, inputs, folders, outputs } = record as Partial<BundleRecord>;
  if (format !== RECORD_FORMAT || typeof recorded !== "string" || !Array.isArray(inputs) || !Array.isArray(folders)) return false;
  if (typeof outputs !== "object" || outputs === null || Object.keys(outputs).length === 0) return false;
  for (const [name, hash] of Object.entries(outputs)) if (contentHash(join(directory, name)) !== hash) return false;
  return fingerprint(root, settings, inputs, folders) === recorded;
}

/** Filesystem timestamps and Date.now() may disagree by a little; an input modified this close to a build start counts as modified during it. */
const CLOCK_SLACK_MS = 1_000;

/** Whether any of esbuild's inputs was modified or deleted after `startedAt` (milliseconds since the epoch), less the clock slack. */
export function changedSince(root: string, metafileInputs: readonly string[], startedAt: number): boolean {
  return metafileInputs.some((input) => {
    // "namespace:path" inputs (esbuild's disabled or virtual modules) are not files.
    if (input.includes(":")) return false;
    try {
      return statSync(join(root, input.split("/").join(sep))).mtimeMs >= startedAt - CLOCK_SLACK_MS;
    } catch {
      return true;
    }
  });
}
