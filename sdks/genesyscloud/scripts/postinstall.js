// Compiles this local SDK into ./bin when the package is installed, as the
// postinstall of a `pulumi package add` SDK does. npm 11 runs it only when the
// consuming project's package.json approves it under "allowScripts".
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

// Restrict the ambient @types packages to the ones this SDK depends on, so a
// consuming project's other @types packages cannot break the build.
const declared = Object.keys({ ...(manifest.dependencies ?? {}), ...(manifest.devDependencies ?? {}) });
const typePackages = declared.filter((name) => name.startsWith("@types/")).map((name) => name.slice("@types/".length));

// Resolve the compiler from this package's point of view rather than from PATH.
const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
const args = [tsc, "--project", path.join(root, "tsconfig.json")];
if (typePackages.length > 0) args.push("--types", typePackages.join(","));

try {
    execFileSync(process.execPath, args, { cwd: root, stdio: "pipe" });
} catch (error) {
    console.error(`@pulumi/genesyscloud: 'tsc' failed while building ${root}`);
    if (error.stdout) console.error(error.stdout.toString());
    if (error.stderr) console.error(error.stderr.toString());
    process.exit(1);
}

// utilities.getVersion() and utilities.getPackage() read ./package.json next
// to the compiled files.
fs.copyFileSync(path.join(root, "package.json"), path.join(root, "bin", "package.json"));
