// `npm run check`: the credential-free policy gate. Runs the program for a
// stack under the Pulumi mock runtime (`--stack`, default prod) or reads a
// `pulumi stack export` file (`--state`), and evaluates the CrossGuard pack in
// policies/ through @pulumi/policy's own analyzer handlers.
// Exit 0: no mandatory violation; 1: at least one, or a stack without a
// legal-hold archive; 2: bad usage, or input unreadable or without resources.

import { iamStackRequireExportAccessProof } from "../../policies/iam/stackRequireExportAccessProof";
import { type ExportAccessProof, proveExportAccess } from "../../policies/lib/iamProof/exportAccessProof";
import { allPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { PROJECT_DIR, runStackUnderMocks } from "../engine/mockRuntime";
import { type AnalyzableResource, analyze, fromSimulated, toPolicyResources, type Violation } from "../engine/policyAnalysis";
import { readStackExport, toStackExport } from "../engine/stackExport";
import { emptinessProblem, type Judged, judge, judgedSummary } from "./checkScope";
import { type CliValues, type CommandSpec, UsageError } from "./cliArgs";
import { runCommand, startCommand, type Writable } from "./runCommand";
import { checkWritableTarget, writeFileAtomically } from "./writeFileAtomically";

export const CHECK: CommandSpec = {
  name: "check",
  summary:
    "The credential-free policy gate: runs a stack of this project under the Pulumi mock runtime (or reads a `pulumi stack export` file) and evaluates the CrossGuard pack in policies/ on every resource. Give at most one of --stack and --state, and of --json and --markdown.",
  options: {
    stack: {
      type: "string",
      value: "NAME",
      description: "Run Pulumi.NAME.yaml under the mock runtime (prod when neither --stack nor --state is given).",
    },
    state: { type: "string", value: "FILE", description: "Judge a `pulumi stack export` file instead of running a stack." },
    json: { type: "boolean", default: false, description: "Print what was judged, the resources and the violations as JSON." },
    markdown: { type: "boolean", default: false, description: "Print a Markdown summary (for a pull request's job summary)." },
    "emit-state": {
      type: "string",
      value: "FILE",
      description: "Also write what was judged as a stack export (secrets in plaintext form); --state FILE reads it back.",
    },
  },
  exitCodes:
    "0 no mandatory violation, 1 at least one (or a stack without a legal-hold archive), 2 bad usage, or input unreadable or without resources",
};

export interface CheckReport {
  source: string;
  judged: Judged;
  resources: AnalyzableResource[];
  violations: Violation[];
  /** What the export access proof established, when it could run. */
  proofs: ExportAccessProof[];
}

const PROOF_POLICY = iamStackRequireExportAccessProof.name;
/** The accounts the proof policy uses by default; check runs every policy with its defaults. */
const GENESYS_ACCOUNTS = iamStackRequireExportAccessProof.configSchema?.properties.genesysAccountIds?.default as string[];

/** The proof's results for the report; none when the policy could not evaluate (it said why). */
async function proofsFor(resources: AnalyzableResource[], violations: Violation[]): Promise<ExportAccessProof[]> {
  if (violations.some((v) => v.policy === PROOF_POLICY && v.enforcementLevel === "advisory")) return [];
  return proveExportAccess(toPolicyResources(resources), GENESYS_ACCOUNTS);
}

function proofLines(proofs: ExportAccessProof[], bullet: (passed: boolean) => string): string[] {
  return proofs.flatMap((proof) => [
    `Export access proof for bucket ${proof.archive}: ${proof.results.filter((r) => r.passed).length} of ${proof.results.length} requests as expected`,
    ...proof.results.map((r) => `${bullet(r.passed)} ${r.check.expect === "Allowed" ? "allowed" : "denied "}  ${r.check.what}`),
  ]);
}

interface Options {
  stack?: string;
  state?: string;
  json: boolean;
  markdown: boolean;
  emitState?: string;
}

function parseOptions(values: CliValues): Options {
  if (values.stack !== undefined && values.state !== undefined) throw new UsageError("--stack and --state are alternatives; give one");
  if (values.json && values.markdown) throw new UsageError("--json and --markdown are alternatives; give one");
  return {
    stack: values.stack as string | undefined,
    state: values.state as string | undefined,
    json: values.json === true,
    markdown: values.markdown === true,
    emitState: values["emit-state"] as string | undefined,
  };
}

async function loadResources(options: Options): Promise<{ source: string; resources: AnalyzableResource[] }> {
  if (options.state !== undefined) return { source: `state file ${options.state}`, resources: readStackExport(options.state) };
  const stack = options.stack ?? "prod";
  const run = await runStackUnderMocks(PROJECT_DIR, stack);
  return {
    source: `stack ${stack} (Pulumi mock runtime)`,
    resources: run.resources.map(fromSimulated),
  };
}

const isBlocking = (v: Violation) => v.enforcementLevel === "mandatory";

function describe(report: CheckReport, urn: string): string {
  const resource = report.resources.find((r) => r.urn === urn);
  return resource ? `${resource.name} (${resource.type})` : urn || "the stack";
}

export function renderText(report: CheckReport): string {
  const blocking = report.violations.filter(isBlocking).length;
  const lines = [`Judging ${judgedSummary(report.judged)} of ${PACK_NAME}@${PACK_VERSION}`];
  for (const v of report.violations) {
    lines.push("", `${v.enforcementLevel.toUpperCase()}  ${v.policy}`, `  ${describe(report, v.urn)}`, `  ${v.message}`);
  }
  if (report.proofs.length > 0) lines.push("", ...proofLines(report.proofs, (passed) => (passed ? "  proved" : "  FAILED")));
  const failures = [
    ...(blocking > 0 ? [`FAIL: ${blocking} mandatory violation${blocking === 1 ? "" : "s"}`] : []),
    ...(report.judged.problem ? [`FAIL: ${report.judged.problem}`] : []),
  ];
  const advisory = report.violations.length ? ` (${report.violations.length} advisory)` : "";
  lines.push("", ...(failures.length > 0 ? failures : [`PASS: no mandatory violation${advisory}`]));
  return `${lines.join("\n")}\n`;
}

export function renderMarkdown(report: CheckReport): string {
  const blocking = report.violations.filter(isBlocking).length;
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const verdict =
    blocking > 0 ? `failed with ${blocking} mandatory violation${blocking === 1 ? "" : "s"}` : report.judged.problem ? "failed" : "passed";
  const lines = [
    `### Policy check ${verdict} — ${judgedSummary(report.judged)}`,
    "",
    `Pack \`${PACK_NAME}@${PACK_VERSION}\`.${report.judged.problem ? ` **Failed:** ${cell(report.judged.problem)}.` : ""}`,
  ];
  if (report.violations.length > 0) {
    lines.push("", "| level | policy | resource | message |", "| --- | --- | --- | --- |");
    for (const v of report.violations) {
      lines.push(`| ${v.enforcementLevel} | \`${v.policy}\` | ${cell(describe(report, v.urn))} | ${cell(v.message)} |`);
    }
  }
  if (report.proofs.length > 0) {
    const [summary, ...items] = proofLines(report.proofs, (passed) => (passed ? "- ✅" : "- ❌"));
    lines.push("", `<details><summary>${summary}</summary>`, "", ...items, "", "</details>");
  }
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(
    {
      judged: report.judged,
      resources: report.resources.map(({ urn, type, name }) => ({ urn, type, name })),
      violations: report.violations.map(({ pack, policy, enforcementLevel, urn, message }) => ({
        pack,
        policy,
        enforcementLevel,
        urn,
        message,
      })),
    },
    null,
    2,
  )}\n`;
}

/** Runs the gate; returns the exit code. */
export function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  return runCommand(CHECK, argv, { out, err }, (values) => judgeStack(parseOptions(values), out, err));
}

async function judgeStack(options: Options, out: Writable, err: Writable): Promise<number> {
  // A path that cannot take the state is refused before the seconds the stack takes to run.
  if (options.emitState) checkWritableTarget(options.emitState, "--emit-state");
  let loaded: { source: string; resources: AnalyzableResource[] };
  try {
    err.write(
      `Loading ${options.state ? `state file ${options.state}` : `stack ${options.stack ?? "prod"} under the Pulumi mock runtime`}...\n`,
    );
    loaded = await loadResources(options);
  } catch (error) {
    err.write(`${(error as Error).message}\n`);
    return 2;
  }
  const empty = emptinessProblem(loaded.source, loaded.resources);
  if (empty) {
    err.write(`${empty}\n`);
    return 2;
  }
  err.write(`Evaluating ${allPolicies.length} policies on ${loaded.resources.length} resources...\n`);
  const violations = await analyze(loaded.resources, {
    name: PACK_NAME,
    version: PACK_VERSION,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    policies: allPolicies,
  });
  const judged = judge(loaded.source, loaded.resources, allPolicies.length);
  const report: CheckReport = { ...loaded, judged, violations, proofs: await proofsFor(loaded.resources, violations) };
  if (options.emitState)
    writeFileAtomically(options.emitState, `${JSON.stringify(toStackExport(loaded.resources), null, 2)}\n`, "--emit-state");
  out.write(options.json ? renderJson(report) : options.markdown ? renderMarkdown(report) : renderText(report));
  if (judged.problem) err.write(`FAIL: ${judged.problem}\n`);
  return judged.problem || violations.some(isBlocking) ? 1 : 0;
}

if (require.main === module) startCommand(main);
