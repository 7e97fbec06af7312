import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { InputError } from "../../tools/commands/cliArgs";
import { writeFileAtomically } from "../../tools/commands/writeFileAtomically";

/** When set, the next renames fail with it: a failure root's permissions cannot provoke. */
let failRename: Error | undefined;
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      if (failRename) throw failRename;
      fs.renameSync(from, to);
    },
  };
});

describe("writeFileAtomically", () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));

  it("replaces the file's content and keeps its mode, leaving no temporary file", () => {
    const path = join(dir, "state.json");
    writeFileSync(path, "old");
    chmodSync(path, 0o600);
    writeFileAtomically(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("refuses a directory and a missing folder with InputErrors naming the path", () => {
    expect(() => writeFileAtomically(dir, "x", "--emit-state")).toThrow(
      new InputError(`--emit-state ${dir} is a directory; give a file path such as ${join(dir, "out.json")}`),
    );
    const missing = join(dir, "no", "such", "x.json");
    expect(() => writeFileAtomically(missing, "x", "--emit-state")).toThrow(
      new InputError(
        `cannot write --emit-state ${missing}: the folder ${join(dir, "no", "such")} does not exist; create it or choose another path`,
      ),
    );
  });

  it("leaves the old file whole and no temporary file when the rename fails", () => {
    const path = join(dir, "README.md");
    writeFileSync(path, "whole");
    failRename = Object.assign(new Error("EXDEV: cross-device link not permitted"), { code: "EXDEV" });
    try {
      expect(() => writeFileAtomically(path, "half", "README.md")).toThrow(
        new InputError(`cannot write README.md ${path}: EXDEV: cross-device link not permitted`),
      );
    } finally {
      failRename = undefined;
    }
    expect(readFileSync(path, "utf8")).toBe("whole");
    expect(readdirSync(dir).filter((name) => name.includes("README"))).toEqual(["README.md"]);
  });
});
