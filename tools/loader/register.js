// Lets Node run the project's TypeScript (`node -r ./tools/loader/register.js tools/commands/check.ts`):
// each .ts file is stripped of its types by esbuild into CommonJS, the way `tsc` with this project's
// tsconfig would emit it, and the result is cached under build/transpiled/ with a hash of the source
// and of the transform settings, so a run only transpiles the files that changed since the last one.
// Nothing is type-checked here: `tsc --noEmit` does that. Plain JavaScript, since it is what makes
// TypeScript loadable.
const { createHash, randomBytes } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join, relative } = require("node:path");
const { addHook } = require("pirates");

const PROJECT_ROOT = join(__dirname, "..", "..");
const CACHE_DIR = join(PROJECT_ROOT, "build", "transpiled");

const TRANSFORM = {
  loader: "ts",
  format: "cjs",
  target: "node20",
  // import() becomes require(), as tsc emits it for "module": "commonjs", so a TypeScript program loaded with
  // `await import(...)` goes through this hook rather than Node's ESM loader.
  supported: { "dynamic-import": false },
  // As tsc with target ES2022: class fields are defined, not assigned; type-only imports are dropped.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
  // Mapped stack traces with NODE_OPTIONS=--enable-source-maps.
  sourcemap: "inline",
  sourcesContent: false,
};

let esbuild;
let settingsHash;

function transpile(source, filename) {
  esbuild ??= require("esbuild");
  return esbuild.transformSync(source, { ...TRANSFORM, sourcefile: filename }).code;
}

function writeAtomically(path, content) {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch {
    // A cache that cannot be written (read-only checkout, full disk) only costs speed.
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The cached output of a project file, or a fresh transpilation that is then cached; the first line holds the key. */
function compile(source, filename) {
  const inProject = relative(PROJECT_ROOT, filename);
  if (inProject.startsWith("..")) return transpile(source, filename);
  // esbuild's version is read from its package.json, so a warm run never loads esbuild itself.
  settingsHash ??= createHash("sha256")
    .update(JSON.stringify({ esbuild: require("esbuild/package.json").version, TRANSFORM }))
    .digest("hex");
  const key = `// ${createHash("sha256").update(settingsHash).update(filename).update(source).digest("hex")}\n`;
  const cached = join(CACHE_DIR, `${inProject}.js`);
  try {
    const text = readFileSync(cached, "utf8");
    if (text.startsWith(key)) return text.slice(key.length);
  } catch {
    // Not cached yet.
  }
  const code = transpile(source, filename);
  mkdirSync(dirname(cached), { recursive: true });
  writeAtomically(cached, key + code);
  return code;
}

addHook(compile, { exts: [".ts"], ignoreNodeModules: true });
