// Lambda mode alone (exportModes: ["lambda"], the default): the stack the project shipped before bulk mode,
// with nothing of the landing path, and the pack still has nothing to say about it.
import { beforeAll, describe, expect, it } from "vitest";
import type { StackRun } from "../../tools/engine/mockRuntime";
import { fromSimulated } from "../../tools/engine/policyAnalysis";
import { runProdWithExportModes } from "../support/exportModesStack";
import { evaluatePack } from "../support/policyHarness";

let run: StackRun;

beforeAll(async () => {
  run = await runProdWithExportModes(["lambda"]);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

describe("the prod stack with exportModes [lambda]", () => {
  it("builds the Lambda path and nothing of the bulk path", () => {
    expect(run.resources.filter((r) => r.type.startsWith("legal-hold-archive:bulk:"))).toEqual([]);
    expect(
      run.resources.filter((r) => (r.inputs.tags as Record<string, string> | undefined)?.["legal-hold:purpose"] === "landing"),
    ).toEqual([]);
    expect(run.resources.map((r) => r.type)).toContain("legal-hold-archive:index:ExportPipeline");
    expect(run.outputs).toMatchObject({ exportModes: ["lambda"], landingBucketName: "", bulkIntegrationId: "", bulkWriterRoleArn: "" });
    expect(run.outputs.intakeFunctionArn).toMatch(/^arn:aws:lambda:/);
  });

  it("passes the pack with no violation at all, the export access proof included", async () => {
    expect(await evaluatePack(run.resources.map(fromSimulated))).toEqual([]);
  });
});
