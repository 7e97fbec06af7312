import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type BuildOptions, buildSync, version as esbuildVersion } from "esbuild";
import { changedSince, isCurrent, recordBuild } from "./lambdaBundleCache";

/** The project root: esbuild's working directory, so the recorded inputs are relative to it. */
const PROJECT_ROOT = join(__dirname, "..");

/** Where bundles are written (git-ignored). */
export const BUILD_DIR = join(PROJECT_ROOT, "build", "lambda");

/** The record of the last build, kept beside (not inside) the folder shipped to Lambda. */
export const RECORD_FILE = "bundle-record.json";

/** How every handler is bundled: node22, CommonJS, minified, tree-shaken, the AWS SDK clients it uses included. */
export const BUNDLE_OPTIONS: Readonly<BuildOptions> = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  // The ES module builds of the AWS SDK and Powertools tree-shake; their CommonJS builds do not.
  mainFields: ["module", "main"],
  minify: true,
  treeShaking: true,
  legalComments: "none",
};

export interface BundleOptions {
  /** The root the entry point and inputs are resolved from, and whose lockfile counts. @default the project root */
  root?: string;
  /** Where build/<name>/ folders go. @default build/lambda under the project root */
  buildDir?: string;
  /** Changes to BUNDLE_OPTIONS (plain data only: they are part of the fingerprint). @default none */
  overrides?: BuildOptions;
}

export interface BundleResult {
  /** The folder holding index.js, shipped as the function's code. */
  directory: string;
  /** Bytes of the minified bundle, for the size budget. */
  bytes: number;
  /** False when the previous bundle was still current and was reused. */
  built: boolean;
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function readRecord(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Bundles one handler with esbuild into build/lambda/<name>/code/index.js,
 * unless the bundle there was built from exactly the same sources, lockfile
 * and options (see lambdaBundleCache.ts). Runs synchronously while the program
 * is evaluated, so `pulumi up` always ships the code of the working tree.
 */
export function bundleHandler(name: string, entryPoint: string, options: BundleOptions = {}): BundleResult {
  const root = options.root ?? PROJECT_ROOT;
  const folder = join(options.buildDir ?? BUILD_DIR, name);
  const directory = join(folder, "code");
  const recordPath = join(folder, RECORD_FILE);
  const outfile = join(directory, "index.js");
  const buildOptions = { ...BUNDLE_OPTIONS, ...options.overrides };
  const relativePath = (path: string) => relative(root, path).split(sep).join("/");
  // Everything that decides the output besides the inputs' content.
  const settings = { esbuild: esbuildVersion, options: buildOptions, entryPoint: relativePath(entryPoint), outfile: relativePath(outfile) };

  if (isCurrent(root, settings, readRecord(recordPath), directory)) return { directory, bytes: statSync(outfile).size, built: false };

  // The record goes first, so a build interrupted half-way is never mistaken for a current one.
  rmSync(recordPath, { force: true });
  mkdirSync(directory, { recursive: true });
  const started = Date.now();
  const result = buildSync({
    ...buildOptions,
    entryPoints: [entryPoint],
    outfile,
    absWorkingDir: root,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const outputs: Record<string, Uint8Array> = {};
  for (const file of result.outputFiles) {
    writeAtomically(file.path, file.contents);
    outputs[relative(directory, file.path).split(sep).join("/")] = file.contents;
  }
  const inputs = Object.keys(result.metafile.inputs);
  const record = recordBuild(root, settings, inputs, outputs);
  // The record hashes the inputs as they are now; one edited while esbuild read it would make it vouch for a bundle
  // of other content, so then no record is kept and the next run builds again.
  if (!changedSince(root, inputs, started)) writeAtomically(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  return { directory, bytes: statSync(outfile).size, built: true };
}

/** The bundle as the function's code archive. */
export function handlerArchive(name: string, entryPoint: string): pulumi.asset.FileArchive {
  return new pulumi.asset.FileArchive(bundleHandler(name, entryPoint).directory);
}
