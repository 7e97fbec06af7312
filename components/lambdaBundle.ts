import { mkdirSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";

/** Where bundles are written (git-ignored). */
export const BUILD_DIR = join(__dirname, "..", "build", "lambda");

export interface BundleResult {
  /** The folder holding index.js, shipped as the function's code. */
  directory: string;
  /** Bytes of the minified bundle, for the size budget. */
  bytes: number;
}

/**
 * Bundles one handler with esbuild (node22, CommonJS, minified, tree-shaken,
 * the AWS SDK clients it uses included) into build/lambda/<name>/index.js.
 * Runs synchronously while the program is evaluated, so `pulumi up` always
 * ships the code of the working tree, never a stale build.
 */
export function bundleHandler(name: string, entryPoint: string): BundleResult {
  const directory = join(BUILD_DIR, name);
  mkdirSync(directory, { recursive: true });
  const result = buildSync({
    entryPoints: [entryPoint],
    outfile: join(directory, "index.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // The ES module builds of the AWS SDK and Powertools tree-shake; their CommonJS builds do not.
    mainFields: ["module", "main"],
    minify: true,
    treeShaking: true,
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
  });
  const bytes = Object.values(result.metafile?.outputs ?? {}).reduce((sum, output) => sum + output.bytes, 0);
  return { directory, bytes };
}

/** The bundle as the function's code archive. */
export function handlerArchive(name: string, entryPoint: string): pulumi.asset.FileArchive {
  return new pulumi.asset.FileArchive(bundleHandler(name, entryPoint).directory);
}
