// The proof's fast simulator (documents validated once, resource policies narrowed to the request's action,
// requests keyed by document identity) must give exactly the verdicts of simulating every request from
// scratch: outcome, reasons and deciding Sids, request by request, on the prod stack, on a stack of three
// archives, on the prod stack with every Sid removed (reasons then name statements by position, which the
// narrowed documents must map back), and on the corpus cases that change a policy document.
import { beforeAll, describe, expect, it } from "vitest";
import { iamStackRequireExportAccessProof } from "../../policies/iam/stackRequireExportAccessProof";
import { proofRows, rowRequests, twinVerdictFollowing } from "../../policies/lib/iamProof/exportAccessProof";
import { type SimulatedRequest, simulateFromScratch, simulator } from "../../policies/lib/iamProof/simulator";
import { statementsForAction } from "../../policies/lib/iamProof/statementsForAction";
import { stackOfCopies } from "../../tools/bench/stackCopies";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated, toPolicyResources } from "../../tools/engine/policyAnalysis";
import { misconfigure, PROD_MISCONFIGURATIONS } from "../support/prodMisconfigurations";
import { cloneStack, editPolicy } from "../support/stackEdits";

const GENESYS_ACCOUNTS = iamStackRequireExportAccessProof.configSchema?.properties.genesysAccountIds?.default as string[];
/** Policies whose corpus cases change a policy document (identity, bucket, key or queue policy). */
const DOCUMENT_CASES = /^(iam-|s3-bucketpolicy-|sqs-queuepolicy-|kms-key-(require-bucket-arn|missing-writer))/;
const POLICY_DOCUMENT_TYPES = [
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:kms/key:Key",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/policy:Policy",
];

let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

/**
 * Every request of every row, through the fast simulator and from scratch: the pairs of verdicts. An
 * all-powerful twin whose verdict follows from its real principal's is paired as derived, and again as
 * simulated by the fast simulator, so both shortcuts are checked against simulating from scratch.
 */
async function bothWays(stack: AnalyzableResource[]) {
  const fast = simulator();
  const pairs = [];
  for (const { rows } of proofRows(toPolicyResources(stack), GENESYS_ACCOUNTS))
    for (const row of rows) {
      const [[, realRequest], twin] = rowRequests(row) as [[string, SimulatedRequest], [string, SimulatedRequest]?];
      const real = await fast(realRequest);
      pairs.push({ request: `${row.id} as real principal`, fast: real, fromScratch: await simulateFromScratch(realRequest) });
      if (!twin) continue;
      const fromScratch = await simulateFromScratch(twin[1]);
      pairs.push({ request: `${row.id} as twin`, fast: await fast(twin[1]), fromScratch });
      const derived = twinVerdictFollowing(row, real);
      if (derived) pairs.push({ request: `${row.id} as twin, derived`, fast: derived, fromScratch });
    }
  return pairs;
}

function withoutSids(stack: AnalyzableResource[]): AnalyzableResource[] {
  const copy = cloneStack(stack);
  for (const r of copy.filter((r) => POLICY_DOCUMENT_TYPES.includes(r.type) && typeof r.inputs.policy === "string"))
    editPolicy(r, (d) => {
      for (const statement of d.Statement) delete statement.Sid;
    });
  return copy;
}

describe("the export access proof's fast simulator", () => {
  it("gives every request of the prod stack the verdict simulating it from scratch gives", async () => {
    const pairs = await bothWays(prod);
    expect(pairs.length).toBeGreaterThan(100);
    expect(pairs.map((p) => ({ request: p.request, verdict: p.fast }))).toEqual(
      pairs.map((p) => ({ request: p.request, verdict: p.fromScratch })),
    );
    // Not vacuous: explicit denials by Sid are among them, and twins whose verdict was derived.
    expect(pairs.some((p) => p.fromScratch.outcome === "ExplicitlyDenied" && p.fromScratch.deniedBy.length > 0)).toBe(true);
    expect(pairs.filter((p) => p.request.endsWith("as twin, derived")).length).toBeGreaterThan(10);
  }, 240_000);

  it("names a Sid-less statement by its position in the document as written", async () => {
    const pairs = await bothWays(withoutSids(prod));
    expect(pairs.map((p) => ({ request: p.request, verdict: p.fast }))).toEqual(
      pairs.map((p) => ({ request: p.request, verdict: p.fromScratch })),
    );
    expect(pairs.some((p) => p.fromScratch.reasons.some((r) => /^statement #\d+ of the resource policy/.test(r)))).toBe(true);
    expect(pairs.some((p) => p.request.endsWith("as twin, derived") && p.fromScratch.deniedBy.length === 0)).toBe(true);
  }, 240_000);

  it("numbers a Sid-less statement from 1, as written, in identity and resource policies alike", async () => {
    const request: SimulatedRequest = {
      principal: "arn:aws:iam::111111111111:role/reader",
      action: "s3:GetObject",
      resource: "arn:aws:s3:::evidence/cases/CASE-1/file.wav",
      accountId: "111111111111",
      context: {},
      identityPolicies: [
        {
          name: "reader-policy",
          policy: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
              { Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
              { Effect: "Allow", Action: "*", Resource: "*" },
            ],
          },
        },
      ],
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "*" },
          { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*" },
          { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "*" },
        ],
      },
    };
    const fast = await simulator()(request);
    expect(fast.reasons).toEqual([
      "statement #2 of the identity policies reader-policy denies it explicitly",
      "statement #1 of the resource policy denies it explicitly",
      "statement #3 of the resource policy denies it explicitly",
    ]);
    expect(fast).toEqual(await simulateFromScratch(request));
  });

  it("gives the same verdicts on a stack of three archives", async () => {
    const pairs = await bothWays(stackOfCopies(prod, 3));
    expect(pairs.length).toBeGreaterThan(300);
    expect(pairs.map((p) => ({ request: p.request, verdict: p.fast }))).toEqual(
      pairs.map((p) => ({ request: p.request, verdict: p.fromScratch })),
    );
  }, 240_000);

  const cases = PROD_MISCONFIGURATIONS.filter((m) => DOCUMENT_CASES.test(m.policy));
  it.each(cases.map((m) => [m.case, m] as const))(
    "gives the same verdicts when %s",
    async (_, m) => {
      const pairs = await bothWays(misconfigure(prod, m.change));
      expect(pairs.map((p) => ({ request: p.request, verdict: p.fast }))).toEqual(
        pairs.map((p) => ({ request: p.request, verdict: p.fromScratch })),
      );
    },
    240_000,
  );
});

describe("statementsForAction", () => {
  const document = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Other", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
      { Sid: "Wildcard", Effect: "Allow", Action: "s3:Put*", Resource: "*" },
      { Sid: "Mixed", Effect: "Deny", Action: ["kms:Decrypt", "S3:PUTOBJECT"], Resource: "*" },
      { Sid: "NotAction", Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" },
      { Sid: "All", Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "Question", Effect: "Allow", Action: "s3:PutObjec?", Resource: "*" },
      { Sid: "Unusual", Effect: "Allow", Action: "s3:Put.bject", Resource: "*" },
      { Sid: "OtherService", Effect: "Allow", Action: ["kms:*", "sqs:SendMessage"], Resource: "*" },
    ],
  };

  it("keeps every statement that could match, with its position, and drops only plain Actions that cannot", () => {
    const narrowed = statementsForAction(document, "s3:PutObject");
    expect(narrowed?.positions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(((narrowed?.document.Statement ?? []) as { Sid: string }[]).map((s) => s.Sid)).toEqual([
      "Wildcard",
      "Mixed",
      "NotAction",
      "All",
      "Question",
      "Unusual",
    ]);
    expect(narrowed?.document.Version).toBe("2012-10-17");
  });

  it("leaves a document it cannot read as a list of statements alone", () => {
    expect(statementsForAction({ Statement: document.Statement[0] }, "s3:PutObject")).toBeUndefined();
    expect(statementsForAction(undefined, "s3:PutObject")).toBeUndefined();
    expect(statementsForAction(document, "PutObject")).toBeUndefined();
  });
});
