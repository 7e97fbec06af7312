// The README's `npm run diff` example, produced by a real run: the prod stack
// under the mock runtime, exported as `check --emit-state` would, diffed
// against a copy in which the worker's `s3:PutObject` became `s3:*`.
import { parseStackExport, toStackExport } from "../../engine/stackExport";
import { diffResources, renderText } from "../accessDiff";
import { stackResources } from "../diff";

/** The writer grant's policy resource and the statement the example widens. */
const GRANT = "legal-hold-archive-writer-0";
const STATEMENT = "WriteLegalHoldObjects";

interface ExportedResource {
  urn: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The export with the writer statement's s3:PutObject turned into s3:*, in inputs and outputs alike. */
function widened(exportText: string): string {
  const state = JSON.parse(exportText) as { deployment: { resources: ExportedResource[] } };
  const grant = state.deployment.resources.find((r) => r.urn.endsWith(`::${GRANT}`));
  if (!grant) throw new Error(`the prod stack has no ${GRANT}; update tools/commands/docs/diffExample.ts`);
  let edited = false;
  for (const side of [grant.inputs, grant.outputs]) {
    if (typeof side?.policy !== "string") continue;
    const document = JSON.parse(side.policy) as { Statement: { Sid?: string; Action: string | string[] }[] };
    for (const statement of document.Statement.filter((s) => s.Sid === STATEMENT)) {
      statement.Action = [statement.Action].flat().map((action) => (action === "s3:PutObject" ? "s3:*" : action));
      edited = true;
    }
    side.policy = JSON.stringify(document);
  }
  if (!edited) throw new Error(`${GRANT} has no ${STATEMENT} statement; update tools/commands/docs/diffExample.ts`);
  return JSON.stringify(state);
}

/** The fenced block the README shows; runs the prod stack as `npm run diff -- --from-stack prod` does. */
export async function renderDiffExample(): Promise<string> {
  const prod = JSON.stringify(toStackExport(stackResources("prod")));
  const report = await diffResources(parseStackExport(prod, "prod.json"), parseStackExport(widened(prod), "star.json"), {
    from: "prod.json",
    to: "star.json",
  });
  return `\`\`\`\n$ npm run diff -- --from prod.json --to star.json\n${renderText(report)}\`\`\``;
}
