import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCaseExportEvent } from "../../lambda/caseExport/caseExportRequest";
import type { CaseStatusAnswer } from "../../lambda/caseExport/caseStatus";
import type { CaseExportAnswer } from "../../lambda/caseExport/exportCase";
import { main as caseExport } from "../../tools/commands/caseExport";
import { main as caseStatus } from "../../tools/commands/caseStatus";
import { type FakeLambda, startFakeLambda } from "../../tools/testkit/wire/fakeLambda";

/** case:export and case:status: flags validated before anything is invoked, summaries, exit codes, and the real Lambda Invoke. */

const FN = "lha-case-export";
const base = ["--case", "MATTER-1", "--from", "2026-03-01T00:00:00Z", "--to", "2026-03-08T00:00:00Z", "--function", FN];

const exported = (overrides: Partial<CaseExportAnswer> = {}): CaseExportAnswer => ({
  operation: "export",
  caseId: "MATTER-1",
  exportId: "0b6f7d3e-1111-8222-9333-444455556666",
  status: "started",
  resumed: false,
  exportRecordKey: "cases/MATTER-1/exports/0b6f7d3e-1111-8222-9333-444455556666.export.dsse.json",
  conversations: 3,
  excluded: [],
  deletionProtection: { protected: 3, failed: [] },
  routing: { written: 3, existing: 0 },
  jobs: [{ jobNumber: 1, genesysJobId: "job-1", state: "PROCESSING", conversations: 3, recordKey: "k" }],
  queuedJobNumbers: [],
  message: "1 job(s) created; follow them with case:status",
  ...overrides,
});

async function run(
  command: typeof caseExport,
  args: string[],
  invoke?: (name: string, event: Record<string, unknown>) => Promise<unknown>,
) {
  let stdout = "";
  let stderr = "";
  const code = await command(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) }, invoke);
  return { code, stdout, stderr };
}

describe("npm run case:export flags", () => {
  it.each([
    [["--from", "2026-03-01T00:00:00Z", "--to", "2026-03-02T00:00:00Z", "--function", FN], "--case is required"],
    [["--case", "M", "--to", "2026-03-02T00:00:00Z", "--function", FN], "--from is required"],
    [
      ["--case", "M", "--from", "2026-03-01", "--to", "2026-03-02T00:00:00Z", "--function", FN],
      "--from: must be an ISO 8601 instant with a zone",
    ],
    [["--case", "M", "--from", "2026-03-02T00:00:00Z", "--to", "2026-03-01T00:00:00Z", "--function", FN], "--to: must be after from"],
    [
      ["--case", "M", "--from", "2026-01-01T00:00:00Z", "--to", "2026-03-01T00:00:00Z", "--function", FN],
      "--to: the interval may span at most 31 days",
    ],
    [[...base, "--queue", "not-a-uuid"], "--queue: must be a list of at most 50 queue UUIDs"],
    [["--case", "../x", "--from", "2026-03-01T00:00:00Z", "--to", "2026-03-02T00:00:00Z", "--function", FN], "--case: must be 1-64"],
    [base.slice(0, 6), "--function is required"],
    [[...base, "--bogus"], "unknown option --bogus"],
  ])("%j exits 2 naming the flag, invoking nothing", async (args, message) => {
    const invoke = vi.fn();
    const { code, stdout, stderr } = await run(caseExport, args, invoke);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).toContain("npm run case:export -- --help");
    expect(invoke).not.toHaveBeenCalled();
  });

  it("sends the event the function validates, with the filters as lists", async () => {
    const invoke = vi.fn(async () => exported());
    const { code } = await run(
      caseExport,
      [...base, "--queue", "a0000000-0000-4000-8000-000000000001, a0000000-0000-4000-8000-000000000002", "--requested-by", "Counsel A"],
      invoke,
    );
    expect(code).toBe(0);
    const [name, event] = invoke.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(name).toBe(FN);
    expect(event).toEqual({
      operation: "export",
      caseId: "MATTER-1",
      from: "2026-03-01T00:00:00Z",
      to: "2026-03-08T00:00:00Z",
      queueIds: ["a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002"],
      requestedBy: "Counsel A",
    });
    expect(() => parseCaseExportEvent(event)).not.toThrow();
  });

  it("exits 1 and says to run again when jobs wait for a Genesys slot, naming protection failures", async () => {
    const answer = exported({
      status: "queued",
      queuedJobNumbers: [3],
      deletionProtection: { protected: 2, failed: [{ conversationId: "c-1", failures: ["limit reached"] }] },
      message: "1 of 3 job(s) wait for a free Genesys job slot: run the same case:export again once running jobs finish",
    });
    const { code, stdout } = await run(caseExport, base, async () => answer);
    expect(code).toBe(1);
    expect(stdout).toContain("queued: job(s) 3");
    expect(stdout).toContain("c-1: limit reached");
    expect(stdout).toContain("run the same case:export again");
  });

  it("--json prints the function's answer", async () => {
    const { code, stdout } = await run(caseExport, [...base, "--json"], async () => exported());
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(exported());
  });
});

describe("npm run case:status", () => {
  const status = (gaps: CaseStatusAnswer["gaps"]): CaseStatusAnswer => ({
    operation: "status",
    caseId: "MATTER-1",
    complete: gaps.length === 0,
    exports: ["e"],
    expectedConversations: 2,
    sealedConversations: 1,
    sealedRecordings: 1,
    genesys: { jobs: 1, totalRecordings: 2, processedRecordings: 1, failedRecordings: 1, skippedRecordings: 0 },
    gaps,
  });

  it("exits 2 without --case or --function", async () => {
    expect((await run(caseStatus, ["--function", FN])).stderr).toContain("--case is required");
    const { code, stderr } = await run(caseStatus, ["--case", "M"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--function is required");
  });

  it("exits 1 naming each gap in words", async () => {
    const { code, stdout } = await run(caseStatus, ["--case", "MATTER-1", "--function", FN], async () =>
      status([
        { kind: "failed-recording", genesysJobId: "job-1", conversationId: "c-2", recordingId: "r-9" },
        { kind: "routing-missing", conversationId: "c-3", key: "routing/conversation_id=c-3/case_id=MATTER-1.json" },
        { kind: "job-queued", exportId: "e", jobNumber: 2, conversations: 5 },
        { kind: "job-running", exportId: "e", jobNumber: 3, genesysJobId: "job-3", state: "READY", percentProgress: null },
      ]),
    );
    expect(code).toBe(1);
    expect(stdout).toContain("4 gap(s)");
    expect(stdout).toContain("Genesys job job-3 was created but not started (no free Genesys job slot): run case:export again");
    expect(stdout).toContain("Genesys failed to export recording r-9 of conversation c-2 (job job-1)");
    expect(stdout).toContain("conversation c-3 has no routing object");
    expect(stdout).toContain("run case:export again with the same flags");
  });

  it("exits 0 when complete", async () => {
    const { code, stdout } = await run(caseStatus, ["--case", "MATTER-1", "--function", FN], async () => status([]));
    expect(code).toBe(0);
    expect(stdout).toContain("case MATTER-1: complete");
  });
});

describe("through the real Lambda Invoke", () => {
  let lambda: FakeLambda;
  beforeAll(async () => {
    lambda = await startFakeLambda({
      [FN]: async (event) => {
        if ((event as { operation?: string }).operation === "status")
          throw Object.assign(new Error("Genesys refused reading recording job j (403)"), { name: "GenesysPermissionError" });
        return exported();
      },
    });
    vi.stubEnv("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint);
    vi.stubEnv("AWS_REGION", "eu-west-2");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await lambda.close();
  });

  it("invokes the named function with the event and prints its answer", async () => {
    const { code, stdout } = await run(caseExport, base);
    expect(code).toBe(0);
    expect(lambda.invocations).toEqual([{ functionName: FN, event: expect.objectContaining({ operation: "export", caseId: "MATTER-1" }) }]);
    expect(stdout).toContain("job 1: Genesys job job-1 PROCESSING");
  });

  it("a function error exits 2 with the function's message", async () => {
    const { code, stderr } = await run(caseStatus, ["--case", "MATTER-1", "--function", FN]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${FN} refused the request: GenesysPermissionError: Genesys refused reading recording job j (403)`);
  });

  it("an unknown function exits 2 naming it", async () => {
    const { code, stderr } = await run(caseStatus, ["--case", "MATTER-1", "--function", "nope"]);
    expect(code).toBe(2);
    expect(stderr).toContain("cannot invoke nope");
  });
});
