import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../tools/engine/mockRuntime";

// The claims of the public forum thread that facts.md §1 lists as false. Built
// from parts so this file does not itself contain them.
const WRONG_ADVICE = [
  ["analytics", "export", "write"].join(":"),
  ["X", "Genesys", "Trunk"].join("-"),
  ["export", "recordings"].join("_"),
  ["legal", "hold"].join("_"),
  ["Legal", "Hold", "API"].join(" "),
];

describe("the project", () => {
  it.each(WRONG_ADVICE)("never mentions the non-existent %s", (claim) => {
    // git grep over tracked files; exit status 1 means no match.
    let matches = "";
    try {
      matches = execFileSync("git", ["grep", "-n", "-i", "-F", claim], { cwd: PROJECT_DIR, encoding: "utf8" });
    } catch (error) {
      if ((error as { status?: number }).status !== 1) throw error;
    }
    expect(matches).toBe("");
  });
});
