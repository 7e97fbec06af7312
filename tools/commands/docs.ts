// `npm run docs`: regenerates README.md's configuration reference (from
// Pulumi.yaml) and policy catalogue (from the policies' metadata).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allPolicies } from "../../policies/pack";
import { PROJECT_DIR } from "../engine/mockRuntime";
import { readProjectFile } from "../engine/stackSettings";
import { renderConfigReference } from "./docs/configReference";
import { renderPolicyCatalogue } from "./docs/policyCatalogue";
import { withGeneratedSection } from "./docs/readmeSections";

/** README.md as it should read, every generated section current. */
export function regeneratedReadme(readme: string): string {
  const withConfig = withGeneratedSection(readme, "config-reference", renderConfigReference(readProjectFile(PROJECT_DIR)));
  return withGeneratedSection(withConfig, "policy-catalogue", renderPolicyCatalogue(allPolicies));
}

if (require.main === module) {
  const path = join(PROJECT_DIR, "README.md");
  const readme = readFileSync(path, "utf8");
  const updated = regeneratedReadme(readme);
  if (updated !== readme) writeFileSync(path, updated);
  process.stdout.write(updated === readme ? "README.md is up to date\n" : "README.md regenerated\n");
}
