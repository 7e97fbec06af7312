// Outputs are written to a temporary file beside the target and renamed over
// it, so a crash, a full disk or Ctrl-C never leaves a half-written state
// export, README or stack file; filesystem problems become one-line
// InputErrors naming the path.
import { randomBytes } from "node:crypto";
import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "./cliArgs";

function problem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    case "EROFS":
      return "the filesystem is read-only";
    default:
      return error.message;
  }
}

/**
 * Refuses, before any work is done, a path that cannot take a file: a
 * directory, or a file in a folder that does not exist. Returns the existing
 * file's mode, if any.
 */
export function checkWritableTarget(path: string, what = "output"): { mode?: number } {
  const target = resolve(path);
  const folder = dirname(target);
  let mode: number | undefined;
  try {
    const stat = statSync(target);
    if (stat.isDirectory()) throw new InputError(`${what} ${path} is a directory; give a file path such as ${join(path, "out.json")}`);
    mode = stat.mode & 0o7777;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new InputError(`cannot write ${what} ${path}: ${problem(error as NodeJS.ErrnoException)}`, { cause: error });
  }
  try {
    if (!statSync(folder).isDirectory()) throw new InputError(`cannot write ${what} ${path}: ${folder} is not a folder`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write ${what} ${path}: the folder ${folder} does not exist; create it or choose another path`, {
      cause: error,
    });
  }
  return { mode };
}

/**
 * Writes `content` to `path` atomically. `what` names the output in messages,
 * e.g. "--emit-state"; the target's file mode is kept when it already exists.
 */
export function writeFileAtomically(path: string, content: string, what = "output"): void {
  const { mode } = checkWritableTarget(path, what);
  const target = resolve(path);
  const folder = dirname(target);
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, content, { flag: "wx" });
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write ${what} ${path}: ${problem(error as NodeJS.ErrnoException)}`, { cause: error });
  }
}
