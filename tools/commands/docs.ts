// `npm run docs`: regenerates README.md's generated sections: the
// configuration reference (from Pulumi.yaml), the policy catalogue (from the
// policies' metadata) and the real outputs it shows (from real runs).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allPolicies } from "../../policies/pack";
import { PROJECT_DIR } from "../engine/mockRuntime";
import { readProjectFile } from "../engine/stackSettings";
import type { CommandSpec } from "./cliArgs";
import { renderConfigReference } from "./docs/configReference";
import { renderDiffExample } from "./docs/diffExample";
import { renderPolicyCatalogue } from "./docs/policyCatalogue";
import { withGeneratedSection } from "./docs/readmeSections";
import { runCommand, startCommand, type Writable } from "./runCommand";
import { writeFileAtomically } from "./writeFileAtomically";

export const DOCS: CommandSpec = {
  name: "docs",
  summary:
    "Regenerates README.md's generated sections: the configuration reference (from Pulumi.yaml), the policy catalogue (from the policies' metadata) and the real command output it shows (the diff example, from a run of the prod stack under the mock runtime).",
  options: {
    check: { type: "boolean", default: false, description: "Write nothing; exit 1 when a section is stale." },
  },
  exitCodes: "0 up to date (or regenerated), 1 stale with --check, 2 bad usage or an unreadable README",
};

/** README.md as it should read, every generated section current. */
export async function regeneratedReadme(readme: string): Promise<string> {
  const withConfig = withGeneratedSection(readme, "config-reference", renderConfigReference(readProjectFile(PROJECT_DIR)));
  const withCatalogue = withGeneratedSection(withConfig, "policy-catalogue", renderPolicyCatalogue(allPolicies));
  return withGeneratedSection(withCatalogue, "diff-example", await renderDiffExample());
}

export function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  return runCommand(DOCS, argv, { out, err }, async (values) => {
    const path = join(PROJECT_DIR, "README.md");
    const readme = readFileSync(path, "utf8");
    const updated = await regeneratedReadme(readme);
    if (updated === readme) {
      out.write("README.md is up to date\n");
      return 0;
    }
    if (values.check) {
      out.write("README.md is stale: run `npm run docs`\n");
      return 1;
    }
    writeFileAtomically(path, updated, "README.md");
    out.write("README.md regenerated\n");
    return 0;
  });
}

if (require.main === module) startCommand(main);
