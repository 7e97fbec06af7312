// Issue #15 item 4: the export access proof of the prod stack covers the bulk path's readers. The landing sealer
// may read landing objects, write evidence with a hold, and nothing else; the case export routes and records.
import { beforeAll, describe, expect, it } from "vitest";
import { iamStackRequireExportAccessProof } from "../../policies/iam/stackRequireExportAccessProof";
import { proveExportAccess } from "../../policies/lib/iamProof/exportAccessProof";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated, toPolicyResources } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { PROOF, proofViolations as proofViolationsOf, rowsOf } from "../support/proofViolations";
import { cloneStack, editPolicy, find } from "../support/stackEdits";

const GENESYS_ACCOUNTS = iamStackRequireExportAccessProof.configSchema?.properties.genesysAccountIds?.default as string[];
let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

const proofViolations = (change: (stack: AnalyzableResource[]) => void) => proofViolationsOf(prod, change);

const READ_DENY = "DenyObjectReadsExceptSealer";
const ALLOWED = "Allowed";
const DENIED = "Denied";
const BULK_READER_ROWS = {
  "sealer-read-landed": ALLOWED,
  "sealer-read-routing": ALLOWED,
  "sealer-list-routing": ALLOWED,
  "sealer-delete-landed": ALLOWED,
  "sealer-decrypt-landed": ALLOWED,
  "sealer-put-evidence": ALLOWED,
  "sealer-mpu-create": ALLOWED,
  "sealer-mpu-part": ALLOWED,
  "sealer-mpu-complete": ALLOWED,
  "sealer-hold-on": ALLOWED,
  "sealer-sign-digest": ALLOWED,
  "sealer-hold-off": DENIED,
  "sealer-delete-evidence-version": DENIED,
  "sealer-put-landed": DENIED,
  "sealer-put-routing": DENIED,
  "case-export-put-routing": ALLOWED,
  "case-export-read-routing": ALLOWED,
  "case-export-encrypt-routing": ALLOWED,
  "case-export-put-record": ALLOWED,
  "case-export-sign-digest": ALLOWED,
  "case-export-read-secret": ALLOWED,
  "case-export-put-landed": DENIED,
  "case-export-read-landed": DENIED,
  "case-export-hold-off": DENIED,
};

describe("the export access proof of the prod stack on the bulk path's readers", () => {
  it("has every sealer and case-export row, each proved with its expected verdict (must-deny ones also as the all-powerful twin)", async () => {
    const [proof] = await proveExportAccess(toPolicyResources(prod), GENESYS_ACCOUNTS);
    expect(proof?.gaps).toEqual([]);
    const bulkReaders = (proof?.results ?? []).filter((r) => /^(sealer|case-export)-/.test(r.check.id));
    const verdicts = Object.fromEntries(
      bulkReaders.map((r) => [r.check.id, { expect: r.check.expect, passed: r.passed, outcome: r.verdict.outcome }]),
    );
    expect(Object.keys(verdicts)).toEqual(Object.keys(BULK_READER_ROWS));
    for (const [id, expected] of Object.entries(BULK_READER_ROWS)) {
      expect(verdicts[id]).toMatchObject({ expect: expected, passed: true });
      expect(verdicts[id]?.outcome === "Allowed").toBe(expected === ALLOWED);
    }
    for (const result of bulkReaders.filter((r) => r.check.expect === DENIED))
      expect(result.evaluations.map((e) => e.as)).toEqual(["real principal", "all-powerful twin"]);
  });

  it("fails the gate naming the sealer's read rows when its landing read grant is removed", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(find(s, "-sealer-sealer-policy"), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "ReadLandedRecordingsAndRouting");
      }),
    );
    expect(rowsOf(violations)).toEqual(["sealer-read-landed", "sealer-read-routing"]);
    expect(violations[0]?.message).toMatch(
      /^Expected allowed: \[sealer-read-landed\] the landing sealer s3:GetObject on a landed recording was ImplicitlyDenied/,
    );
  });

  it("fails the gate naming the case export's read row when it may read landed recordings and the landing bucket policy allows it", async () => {
    const violations = await proofViolations((s) => {
      editPolicy(find(s, "-case-export-policy", "aws:iam/rolePolicy:RolePolicy"), (d) => {
        d.Statement.push({ Sid: "ReadEverything", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] });
      });
      const landingPolicy = s.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && String(r.outputs.policy).includes(READ_DENY));
      editPolicy(landingPolicy as AnalyzableResource, (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== READ_DENY);
      });
    });
    // Without the Deny, Genesys' writer, as a role holding *, could read them too.
    expect(rowsOf(violations)).toEqual(["bulk-writer-read-landing", "case-export-read-landed"]);
    expect(violations[1]?.message).toMatch(/\[case-export-read-landed\] the case export s3:GetObject on a landed recording was Allowed/);
  });

  it("reports a gap, naming the sealer, when bulk mode is on and no function is driven by the landing sealer queue", async () => {
    const stack = cloneStack(prod).filter((r) => !r.name.endsWith("-sealer-sealer-events"));
    const violations = (await evaluatePack(stack)).filter((v) => v.policy === PROOF);
    expect(violations.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        expect.stringMatching(
          /is incomplete: no function driven by the landing sealer queue names both the landing bucket and bucket ".*" \(the sealer\)\.$/,
        ),
      ],
    ]);
  });
});
