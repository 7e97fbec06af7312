// The export access proof on a stack holding several copies of the prod stack (the shape bench:policies
// measures): each archive's model must be built from its own copy's resources, found by the stack's links,
// never from the first access-log bucket, release role or Genesys credential of the stack.
import { beforeAll, describe, expect, it } from "vitest";
import { buildExportAccessModel } from "../../policies/lib/iamProof/exportAccessModel";
import { stackOfCopies } from "../../tools/bench/stackCopies";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated, toPolicyResources, type Violation } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { cloneStack, editPolicy, find, statementBySid } from "../support/stackEdits";

const PROOF = "iam-stack-require-export-access-proof";
const COPIES = 3;
/** Copies g0, g1 and g2 of the prod stack under one root stack resource. */
let copies: AnalyzableResource[];

beforeAll(async () => {
  copies = stackOfCopies((await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated), COPIES);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

async function proofViolations(change: (stack: AnalyzableResource[]) => void): Promise<Violation[]> {
  const stack = cloneStack(copies);
  change(stack);
  return (await evaluatePack(stack)).filter((v) => v.policy === PROOF);
}

const rowsOf = (violations: Violation[]) => violations.map((v) => /^Expected (?:allowed|denied): \[([a-z0-9-]+)\]/.exec(v.message)?.[1]);

/** Copy `copy`'s resource whose prod name ends with `name` (copies append "-g<copy>"). */
const inCopy = (stack: AnalyzableResource[], copy: number, name: string, type?: string) => find(stack, `${name}-g${copy}`, type);

describe("the export access proof model on a stack of several archives", () => {
  it("links every archive to its own copy's bucket policy, keys, logs, worker, queue, secret, release and invoker roles", () => {
    const models = buildExportAccessModel(toPolicyResources(copies));
    expect(models).toHaveLength(COPIES);
    models.forEach((model, copy) => {
      const linked = {
        archive: model.archive.bucket.name,
        key: model.key?.resource.name,
        accessLogs: model.accessLogs?.bucket.name,
        releaseRole: model.releaseRole?.resource.name,
        worker: model.worker?.fn.name,
        workerRole: model.worker?.role?.resource.name,
        queuePolicy: model.worker?.queuePolicy?.resource.name,
        secretPolicy: model.worker?.secretPolicy?.resource.name,
        secretKey: model.worker?.secretKey?.resource.name,
        signingKey: model.worker?.signingKey?.resource.name,
        invokerRole: model.invoker?.role.resource.name,
        intakeRole: model.invoker?.intakeRole?.resource.name,
      };
      const g = `-g${copy}`;
      expect(linked).toEqual({
        archive: `legal-hold-archive-bucket${g}`,
        key: `legal-hold-archive-key${g}`,
        accessLogs: `legal-hold-archive-access-logs${g}`,
        releaseRole: `legal-hold-hold-release-role${g}`,
        worker: `legal-hold-export-worker${g}`,
        workerRole: `legal-hold-export-worker-role${g}`,
        queuePolicy: `legal-hold-export-jobs-policy${g}`,
        secretPolicy: `legal-hold-export-genesys-client-policy${g}`,
        secretKey: `legal-hold-export-secret-key${g}`,
        signingKey: `legal-hold-archive-signing-key${g}`,
        invokerRole: `legal-hold-genesys-invoker${g}`,
        intakeRole: `legal-hold-export-intake${g}`,
      });
      expect(model.invoker?.intakeArn).toBe(inCopy(copies, copy, "legal-hold-export-intake", "aws:lambda/function:Function").outputs.arn);
      expect(model.gaps).toEqual([]);
    });
  });

  it("proves every request of every copy and reports nothing, not even an advisory gap", async () => {
    expect(await proofViolations(() => undefined)).toEqual([]);
  });
});

describe("the export access proof on a mistake in the second of several archives", () => {
  const cases: { mistake: string; change: (s: AnalyzableResource[]) => void; rows: string[] }[] = [
    {
      mistake: "the writer grant without s3:PutObjectLegalHold (cause 1)",
      change: (s) =>
        editPolicy(inCopy(s, 1, "archive-writer-0"), (d) => {
          statementBySid(d, "WriteLegalHoldObjects").Action = ["s3:PutObject", "s3:PutObjectRetention"];
        }),
      rows: ["worker-hold-on"],
    },
    {
      mistake: "the access-log bucket no longer lets log delivery write",
      change: (s) =>
        editPolicy(inCopy(s, 1, "archive-access-logs-policy"), (d) => {
          d.Statement = d.Statement.filter((st) => st.Sid !== "AllowArchiveAccessLogDelivery");
        }),
      rows: ["log-delivery-writes"],
    },
    {
      mistake: "the hold-release role trusts its principals without MFA",
      change: (s) =>
        editPolicy(
          inCopy(s, 1, "hold-release-role", "aws:iam/role:Role"),
          (d) => {
            const trust = statementBySid(d, "NamedPrincipalsWithMfaAssumeRole");
            trust.Condition = { StringEquals: (trust.Condition as { StringEquals: object }).StringEquals };
          },
          "assumeRolePolicy",
        ),
      rows: ["release-principal-assume-no-mfa"],
    },
    {
      mistake: "the job queue's send Deny no longer exempts the intake",
      change: (s) =>
        editPolicy(inCopy(s, 1, "export-jobs-policy"), (d) => {
          const deny = statementBySid(d, "DenyJobSendsExceptIntake");
          const except = (deny.Condition as { ArnNotEquals: { "aws:PrincipalArn": string[] } }).ArnNotEquals;
          except["aws:PrincipalArn"] = except["aws:PrincipalArn"].filter((arn) => !arn.includes("export-intake"));
        }),
      rows: ["intake-send-job"],
    },
  ];

  it.each(cases)("$mistake: reported once, against the second copy's resources only", async ({ change, rows }) => {
    const violations = await proofViolations(change);
    expect(rowsOf(violations)).toEqual(rows);
    const secondCopy = new Set(copies.filter((r) => r.name.endsWith("-g1")).map((r) => r.urn));
    for (const v of violations) {
      expect(secondCopy.has(v.urn), `${v.urn} is a resource of the second copy`).toBe(true);
      expect(v.message).not.toMatch(/-g[02]\b/);
    }
  });
});
