// Bulk mode alone (exportModes: ["bulk"]): the landing path end to end, and the Genesys side the case export
// needs (OAuth client, its secret, the case-export data action) without the intake, the worker or the export action.
import { beforeAll, describe, expect, it } from "vitest";
import type { StackRun } from "../../tools/engine/mockRuntime";
import { fromSimulated } from "../../tools/engine/policyAnalysis";
import { runProdWithExportModes } from "../support/exportModesStack";
import { evaluatePack } from "../support/policyHarness";
import { ofType, policyOf, single, statement } from "../support/resources";

let run: StackRun;

beforeAll(async () => {
  run = await runProdWithExportModes(["bulk"]);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

describe("the prod stack with exportModes [bulk]", () => {
  it("builds the landing path and the sealer, and nothing of the Lambda path", () => {
    const types = run.resources.map((r) => r.type);
    expect(types).not.toContain("legal-hold-archive:index:ExportPipeline");
    expect(types).not.toContain("legal-hold-archive:index:ExportWorkerRole");
    expect(types).toEqual(
      expect.arrayContaining([
        "legal-hold-archive:bulk:LandingBucket",
        "legal-hold-archive:index:LandingSealer",
        "legal-hold-archive:bulk:CaseExportFunction",
      ]),
    );
    expect(run.outputs).toMatchObject({
      exportModes: ["bulk"],
      exportWorkerRoleArn: "",
      intakeFunctionArn: "",
      exportQueueUrl: "",
      genesysExportActionId: "",
      caseExportFunctionName: "legal-hold-case-export",
    });
    expect(run.outputs.sealerQueueUrl).toMatch(/^https:/);
  });

  it("keeps the Genesys OAuth client, its secret under a customer key, and only the case-export data action", () => {
    expect(ofType(run, "genesyscloud:index/integrationAction:IntegrationAction").map((a) => a.inputs.name)).toEqual([
      "Export legal case by query",
    ]);
    const action = single(run, "genesyscloud:index/integrationAction:IntegrationAction");
    expect((action.inputs.configRequest as { requestUrlTemplate: string }).requestUrlTemplate).toBe(run.outputs.caseExportFunctionArn);
    const secret = single(run, "aws:secretsmanager/secret:Secret");
    expect(run.outputs.genesysCredentialsSecretArn).toBe(secret.state.arn);
    expect(single(run, "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretId).toBe(secret.state.arn);
    const caseExportRole = single(run, "aws:iam/role:Role", "-case-export-role").state.arn;
    const keyPolicy = policyOf(single(run, "aws:kms/key:Key", "export-secret-key"));
    expect(statement(keyPolicy, "WorkerReadsTheSecretThroughSecretsManager").Principal).toEqual({ AWS: [caseExportRole] });
    const invoke = policyOf(single(run, "aws:iam/rolePolicy:RolePolicy", "genesys-invoker-policy"));
    expect(invoke.Statement.flatMap((s) => s.Resource)).toEqual([run.outputs.caseExportFunctionArn]);
  });

  it("passes the pack with no violation at all, the export access proof included", async () => {
    expect(await evaluatePack(run.resources.map(fromSimulated))).toEqual([]);
  });
});
