// Proves the proof: every Deny statement of every resource policy the prod stack deploys is removed in turn,
// and the gate (the proof policy, through the analyzer handlers) must fail naming a row that statement denied.
// The cases come from the deployed policies' Sids, so a new Deny is covered, or fails here, without editing this file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { iamStackRequireExportAccessProof } from "../../policies/iam/stackRequireExportAccessProof";
import { proveExportAccess } from "../../policies/lib/iamProof/exportAccessProof";
import { PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, analyze, fromSimulated, toPolicyResources } from "../../tools/engine/policyAnalysis";
import { toStackExport } from "../../tools/engine/stackExport";
import { runTool, TOOL_TIMEOUT_MS } from "../support/runTool";
import { cloneStack, editPolicy } from "../support/stackEdits";

/** Resource types whose `policy` is a resource policy a request is judged against. */
const RESOURCE_POLICY_TYPES = [
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:kms/key:Key",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:secretsmanager/secretPolicy:SecretPolicy",
];
const GENESYS_ACCOUNTS = iamStackRequireExportAccessProof.configSchema?.properties.genesysAccountIds?.default as string[];

let prod: AnalyzableResource[];
/** Every Deny statement of the shipped stack's resource policies, with the rows it denied there. */
let denies: DenyCase[];

interface DenyCase {
  resource: string;
  sid: string;
  /** The rows this statement denied on the shipped stack (by Sid, against this very document). */
  deniedRows: string[];
}

const documentOf = (r: AnalyzableResource) => JSON.parse(r.outputs.policy as string) as { Statement: Record<string, unknown>[] };

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
  const baseline = (await proveExportAccess(toPolicyResources(prod), GENESYS_ACCOUNTS)).flatMap((p) => p.results);
  denies = prod
    .filter((r) => RESOURCE_POLICY_TYPES.includes(r.type) && typeof r.outputs.policy === "string")
    .flatMap((r) => {
      const document = documentOf(r);
      const same = JSON.stringify(document);
      return document.Statement.filter((s) => s.Effect === "Deny").map((s) => ({
        resource: r.name,
        sid: String(s.Sid),
        deniedRows: baseline
          .filter(
            (result) =>
              JSON.stringify(result.check.request.resourcePolicy) === same &&
              result.evaluations.some((e) => e.verdict.deniedBy.includes(String(s.Sid))),
          )
          .map((result) => result.check.id),
      }));
    });
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

const gate = (stack: AnalyzableResource[]) =>
  analyze(stack, { name: PACK_NAME, version: PACK_VERSION, enforcementLevel: "mandatory", policies: [iamStackRequireExportAccessProof] });

async function gateWithout(resourceName: string, sid: string) {
  const stack = cloneStack(prod);
  const resource = stack.find((r) => r.name === resourceName) as AnalyzableResource;
  editPolicy(resource, (d) => {
    d.Statement = d.Statement.filter((s) => s.Sid !== sid);
  });
  return gate(stack);
}

describe("the shipped stack's resource policies", () => {
  it("have Deny statements for the proof to guard, each Sid once per document", () => {
    expect(denies.length).toBeGreaterThanOrEqual(30);
    const keys = denies.map((d) => `${d.resource}/${d.sid}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("pass the gate untouched", async () => {
    expect(await gate(prod)).toEqual([]);
  });
});

describe("the export access proof with one Deny statement removed", () => {
  // One test over the generated list (the list exists only once the program ran): each problem names its statement.
  it("fails the gate for every Deny, naming only rows that statement denied", { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    for (const deny of denies) {
      const where = `${deny.resource}: ${deny.sid}`;
      if (deny.deniedRows.length === 0) {
        problems.push(`${where}: no proof row is refused by it on the shipped stack; add a row only it refuses`);
        continue;
      }
      const violations = await gateWithout(deny.resource, deny.sid);
      const named = violations.map((v) => /\[([a-z0-9-]+)\]/.exec(v.message)?.[1] ?? v.message);
      if (violations.length === 0) problems.push(`${where}: removed, and the gate still passes`);
      else if (violations.some((v) => v.enforcementLevel !== "mandatory")) problems.push(`${where}: reported only as advisory`);
      else if (!named.every((row) => deny.deniedRows.includes(row)))
        problems.push(`${where}: the gate named ${named.join(", ")}, not only rows it denied (${deny.deniedRows.join(", ")})`);
    }
    expect(problems).toEqual([]);
  });
});

describe("npm run check on a state export with one Deny removed", () => {
  it("exits 1 and names the request that Deny protected", { timeout: TOOL_TIMEOUT_MS }, () => {
    // Prepare: the prod stack as `pulumi stack export` would give it, without DenyLegalHoldReleaseExceptReleaseRole.
    const stack = cloneStack(prod);
    editPolicy(stack.find((r) => r.name === "legal-hold-archive-policy") as AnalyzableResource, (d) => {
      d.Statement = d.Statement.filter((s) => s.Sid !== "DenyLegalHoldReleaseExceptReleaseRole");
    });
    const dir = mkdtempSync(join(tmpdir(), "proof-deny-"));
    const state = join(dir, "state.json");
    writeFileSync(state, JSON.stringify(toStackExport(stack)));
    // Act
    const { code, stdout } = runTool("check", ["--state", state]);
    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(/Expected denied: \[worker-hold-off\] the export worker s3:PutObjectLegalHold .* was Allowed/);
    expect(stdout).toMatch(/FAILED denied +\[worker-hold-off\]/);
  });
});
