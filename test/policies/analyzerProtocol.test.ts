// Parity between `npm run check` and the Pulumi engine: the pack is started exactly as the
// pulumi-analyzer-policy plugin starts it (Pulumi's run-policy-pack, type-checking with ts-node,
// working directory policies/), and this test plays the engine's side of the analyzer gRPC protocol
// with the same requests `check` hands to the analyzer handlers in process.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { type AnalyzeResponse, type AnalyzerInfo, EnforcementLevel } from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPolicies, PACK_NAME, PACK_VERSION } from "../../policies/pack";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import {
  type AnalyzableResource,
  analyzeRequest,
  analyzeStackRequest,
  fromSimulated,
  type Violation,
  violationsOf,
} from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { misconfigurationCase, misconfigure } from "../support/prodMisconfigurations";

// ts-node type-checks the whole pack before it serves: tens of seconds on a busy two-core machine.
const START_TIMEOUT_MS = 180_000;
const PROOF = "iam-stack-require-export-access-proof";

// A sample of the corpus that exercises what could differ between the two paths: resource options
// (protect), removed resources, property links, ip-cidr and Object.hasOwn under ts-node, and a
// stack policy (cause 1 also fails the export access proof).
const SAMPLE = [
  "cause 1: the writer may PutObject but not PutObjectLegalHold",
  "cause 5: writes denied outside a CIDR list, with no principal exemption",
  "the evidence bucket not protected",
  "no versioning resource for the evidence bucket",
  "access logs written into the evidence bucket itself",
  "a reviewer CIDR broader than /16",
  "a data action contract without caseId",
].map(misconfigurationCase);

let analyzer: ChildProcess;
let client: AnalyzerClient;
let prod: AnalyzableResource[];

/** Starts the pack as the plugin does and resolves with the port it prints on stdout. */
function startPack(): Promise<number> {
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  // The first argument is the engine's address; run-policy-pack discards it (the pack never calls the
  // engine), so an address nothing listens on is enough.
  analyzer = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", "."], {
    cwd: join(PROJECT_DIR, "policies"),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    analyzer.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    analyzer.on("exit", (code) => reject(new Error(`the pack exited ${code} before serving: ${stderr || stdout}`)));
    analyzer.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const port = stdout.match(/^(\d+)\s*$/m)?.[1];
      if (port) resolve(Number(port));
    });
  });
}

type Callback<Response> = (error: grpc.ServiceError | null, response: Response) => void;

/** One unary call as a promise. */
function unary<Response>(send: (callback: Callback<Response>) => unknown): Promise<Response> {
  return new Promise((resolve, reject) => send((error, response) => (error ? reject(error) : resolve(response))));
}

/** What the engine does during a preview: Analyze for every resource, then AnalyzeStack once. */
async function analyzeOverGrpc(resources: AnalyzableResource[]): Promise<Violation[]> {
  const perResource = await Promise.all(
    resources.map(async (r) => violationsOf(await unary<AnalyzeResponse>((done) => client.analyze(analyzeRequest(r), done)), r.urn)),
  );
  const stack = violationsOf(await unary<AnalyzeResponse>((done) => client.analyzeStack(analyzeStackRequest(resources), done)), "");
  return [...perResource.flat(), ...stack];
}

const ordered = (violations: Violation[]) =>
  [...violations].sort((a, b) => `${a.policy} ${a.urn} ${a.message}`.localeCompare(`${b.policy} ${b.urn} ${b.message}`));

beforeAll(async () => {
  const [port, run] = await Promise.all([startPack(), runStackUnderMocks(PROJECT_DIR, "prod")]);
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  prod = run.resources.map(fromSimulated);
}, START_TIMEOUT_MS);

afterAll(() => {
  client?.close();
  if (analyzer && analyzer.exitCode === null) {
    analyzer.removeAllListeners("exit");
    analyzer.kill();
  }
});

// Each test makes tens of gRPC calls to the subprocess and evaluates the pack in process too.
describe("the pack in Pulumi's analyzer host", { timeout: 120_000 }, () => {
  it("describes itself over GetAnalyzerInfo as the pack `check` evaluates, policy for policy", async () => {
    const info = await unary<AnalyzerInfo>((done) => client.getAnalyzerInfo(new Empty(), done));
    expect(info.getName()).toBe(PACK_NAME);
    expect(info.getVersion()).toBe(PACK_VERSION);
    const served = info.getPoliciesList();
    expect(served.map((p) => p.getName()).sort()).toEqual(allPolicies.map((p) => p.name).sort());
    // Mandatory from the pack, except the recommendations, which are advisory.
    const levels = Object.fromEntries(served.map((p) => [p.getName(), p.getEnforcementlevel()]));
    const expected = Object.fromEntries(
      allPolicies.map((p) => [p.name, p.enforcementLevel === "advisory" ? EnforcementLevel.ADVISORY : EnforcementLevel.MANDATORY]),
    );
    expect(levels).toEqual(expected);
    expect(Object.values(levels)).toContain(EnforcementLevel.ADVISORY);
  });

  it("finds nothing on the shipped prod stack, as `check` does", async () => {
    expect(prod.length).toBeGreaterThan(20);
    const overGrpc = await analyzeOverGrpc(prod);
    expect(overGrpc).toEqual([]);
    expect(await evaluatePack(prod)).toEqual(overGrpc);
  });

  it.each(SAMPLE.map((m) => [m.case, m.policy, m] as const))(
    "%s: reports %s with the same verdicts as `check`",
    async (_case, policy, { change }) => {
      const changed = misconfigure(prod, change);
      const overGrpc = await analyzeOverGrpc(changed);
      expect(overGrpc.map((v) => v.policy)).toContain(policy);
      expect(ordered(overGrpc)).toEqual(ordered(await evaluatePack(changed)));
    },
  );

  it("reports a stack policy's verdict, the export access proof, over AnalyzeStack", async () => {
    const { change } = SAMPLE[0] as (typeof SAMPLE)[number];
    const proof = (await analyzeOverGrpc(misconfigure(prod, change))).filter((v) => v.policy === PROOF);
    expect(proof).toHaveLength(1);
    expect(proof[0]).toMatchObject({
      pack: PACK_NAME,
      enforcementLevel: "mandatory",
      message: expect.stringMatching(/PutObjectLegalHold/),
    });
  });
});
