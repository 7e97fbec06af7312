import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseCaseRouting } from "../../lambda/bulk/caseRouting";
import { InvalidCaseExportRequestError, parseCaseExportEvent } from "../../lambda/caseExport/caseExportRequest";
import { caseExportId } from "../../lambda/caseExport/caseRecords";
import { caseStatus } from "../../lambda/caseExport/caseStatus";
import { type ExportCaseDeps, exportCase } from "../../lambda/caseExport/exportCase";
import type { CustodySigner } from "../../lambda/custody/custodySigner";
import type { GenesysBulkClient, NewRecordingJob, RecordingJobStatus } from "../../lambda/genesys/bulkExportClient";
import { GenesysError, GenesysPermissionError } from "../../lambda/genesys/errors";

/** The case export's rules with S3 mocked as a small conditional-write store and Genesys as a scripted client. */

const ARCHIVE = "archive";
const LANDING = "landing";
const CASE = "MATTER-UNIT";
const id = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ids = (count: number, from = 1) => Array.from({ length: count }, (_, index) => id(from + index));
const REQUEST = parseCaseExportEvent({ operation: "export", caseId: CASE, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" });
if (REQUEST.operation !== "export") throw new Error("unreachable");

const s3Mock = mockClient(S3Client);
let store: Map<string, string>;

function installStore(): void {
  installStoreKeeping(new Map());
}

/** Resets the mock's scripted failures, keeping what is stored. */
function installStoreKeeping(kept: Map<string, string>): void {
  store = kept;
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const key = `${input.Bucket}/${input.Key}`;
    if (input.IfNoneMatch === "*" && store.has(key))
      throw Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
        name: "PreconditionFailed",
        $metadata: { httpStatusCode: 412 },
      });
    store.set(key, Buffer.from(input.Body as Uint8Array).toString("utf8"));
    return {};
  });
  s3Mock.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const text = store.get(`${input.Bucket}/${input.Key}`);
    if (text === undefined)
      throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
    return { Body: { transformToString: async () => text } as unknown as GetObjectCommandOutput["Body"] };
  });
  s3Mock.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix?: string }) => ({
    Contents: [...store.keys()]
      .filter((key) => key.startsWith(`${input.Bucket}/${input.Prefix ?? ""}`))
      .map((key) => ({ Key: key.slice(input.Bucket.length + 1) })),
  }));
}

const signer: CustodySigner = {
  keyId: "arn:aws:kms:eu-west-2:111122223333:key/unit",
  signEnvelope: async (_key, payloadType, payload) => ({
    payload: Buffer.from(payload).toString("base64"),
    payloadType,
    signatures: [{ keyid: "k", sig: "c2ln" }],
  }),
};

const job = (jobId: string, state: string, extra: Partial<RecordingJobStatus> = {}): RecordingJobStatus => ({
  jobId,
  state,
  totalConversations: undefined,
  totalRecordings: undefined,
  totalProcessedRecordings: undefined,
  totalFailedRecordings: undefined,
  totalSkippedRecordings: undefined,
  percentProgress: undefined,
  errorMessage: undefined,
  ...extra,
});

function fakeGenesys(conversationIds: string[]) {
  let created = 0;
  const states = new Map<string, string>();
  const genesys = {
    queryConversationIds: vi.fn(async () => conversationIds),
    protectConversations: vi.fn(async (_batch: string[]): Promise<string[]> => []),
    createRecordingJob: vi.fn(async (_job: NewRecordingJob) => {
      const jobId = `job-${++created}`;
      states.set(jobId, "READY");
      return job(jobId, "READY");
    }),
    startRecordingJob: vi.fn(async (jobId: string) => {
      states.set(jobId, "PROCESSING");
      return job(jobId, "PROCESSING");
    }),
    getRecordingJob: vi.fn(async (jobId: string) => job(jobId, states.get(jobId) ?? "FULFILLED")),
    failedRecordings: vi.fn(async () => []),
  } satisfies GenesysBulkClient;
  return { genesys, states };
}

function deps(genesys: GenesysBulkClient): ExportCaseDeps {
  const s3 = new S3Client({ region: "eu-west-2" });
  return {
    archive: { s3, bucket: ARCHIVE, kmsKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/archive", signer },
    landing: { s3, bucket: LANDING },
    genesys,
    integrationId: "99999999-8888-4777-8666-555555555555",
    functionArn: "arn:aws:lambda:eu-west-2:111122223333:function:x-case-export",
    awsRequestId: "req",
    now: () => new Date("2026-03-03T00:00:00Z"),
    sleep: async () => {},
    jobReadyPollAttempts: 2,
    jobReadyPollIntervalMs: 0,
    includeScreenRecordings: true,
    log: () => {},
  };
}

const puts = () => s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
const routingOf = (conversationId: string) =>
  parseCaseRouting(store.get(`${LANDING}/routing/conversation_id=${conversationId}/case_id=${CASE}.json`) ?? "");

beforeEach(installStore);

describe("case export request", () => {
  it.each([
    [{ operation: "export", caseId: CASE, from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" }, "to: must be after from"],
    [
      { operation: "export", caseId: CASE, from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z" },
      "to: the interval may span at most 31 days",
    ],
    [{ operation: "export", caseId: CASE, from: "yesterday", to: "2026-03-01T00:00:00Z" }, "from: must be an ISO 8601 instant"],
    [{ operation: "export", caseId: ".hidden", from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }, "caseId: must be 1-64"],
    [
      { operation: "export", caseId: CASE, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", queueIds: ["q"] },
      "queueIds: must be a list",
    ],
    [{ operation: "export", caseId: CASE, to: "2026-03-02T00:00:00Z" }, "from: is required"],
    [{ operation: "status", caseId: CASE, extra: 1 }, '"extra": is not an accepted field'],
    [null, "event: must be a JSON object"],
  ])("rejects %j naming the field and the fix", (event, problem) => {
    expect(() => parseCaseExportEvent(event)).toThrow(InvalidCaseExportRequestError);
    expect(() => parseCaseExportEvent(event)).toThrow(problem);
  });

  it("names the same export for the same case and query, whatever the filter order or zone, and another for other filters", () => {
    const parse = (event: object) => {
      const request = parseCaseExportEvent({ operation: "export", caseId: CASE, ...event });
      if (request.operation !== "export") throw new Error("unreachable");
      return caseExportId(request);
    };
    const a = parse({ from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", queueIds: [id(2), id(1)] });
    const b = parse({ from: "2026-03-01T01:00:00+01:00", to: "2026-03-02T00:00:00.000Z", queueIds: [id(1), id(2)] });
    const c = parse({ from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z", queueIds: [id(1)] });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("export", () => {
  it("writes nothing when the query fails", async () => {
    const { genesys } = fakeGenesys([]);
    genesys.queryConversationIds.mockRejectedValue(
      new GenesysPermissionError("querying conversations", "analytics:conversationDetail:view"),
    );
    await expect(exportCase(deps(genesys), REQUEST)).rejects.toThrow("analytics:conversationDetail:view");
    expect(puts()).toEqual([]);
  });

  it("records and exports nothing when no conversation matches", async () => {
    const { genesys } = fakeGenesys([]);
    const answer = await exportCase(deps(genesys), REQUEST);
    expect(answer).toMatchObject({ status: "empty", exportRecordKey: null });
    expect(puts()).toEqual([]);
    expect(genesys.createRecordingJob).not.toHaveBeenCalled();
  });

  it("attributes protection failures to the conversations they name, or to the whole batch when they name none", async () => {
    const { genesys } = fakeGenesys(ids(150));
    genesys.protectConversations
      .mockResolvedValueOnce([JSON.stringify({ conversationId: id(3), message: "not found" })])
      .mockResolvedValueOnce([JSON.stringify({ message: "internal error" })]);
    const answer = await exportCase(deps(genesys), REQUEST);
    expect(genesys.protectConversations.mock.calls.map(([batch]) => batch.length)).toEqual([100, 50]);
    expect(answer.deletionProtection.failed.map((f) => f.conversationId)).toEqual([id(3), ...ids(50, 101)]);
    expect(answer.deletionProtection.protected).toBe(99);
    expect(routingOf(id(3)).deletionProtection).toEqual({ status: "failed", failures: [expect.stringContaining("not found")] });
    expect(routingOf(id(4)).deletionProtection).toEqual({ status: "applied" });
  });

  it("stops protecting at the organization's limit: a refused batch and every later one are reported, not sent", async () => {
    const { genesys } = fakeGenesys(ids(1100));
    genesys.protectConversations
      .mockResolvedValueOnce([])
      .mockRejectedValueOnce(new GenesysError("Genesys refused protecting (400: Deletion protection limit exceeded)", { status: 400 }));
    const answer = await exportCase(deps(genesys), REQUEST);
    expect(genesys.protectConversations).toHaveBeenCalledTimes(2);
    const failed = new Map(answer.deletionProtection.failed.map((f) => [f.conversationId, f.failures[0]]));
    expect(failed.size).toBe(1000);
    expect(failed.get(id(101))).toMatch(/limit is reached/);
    expect(failed.get(id(999))).toMatch(/^not sent: the organization's deletion-protection limit/);
    expect(failed.get(id(1001))).toMatch(/at most 1000 conversations per organization/);
    expect(answer.jobs.length + answer.queuedJobNumbers.length).toBe(11);
  });

  it("queues the batches Genesys refuses for lack of a job slot instead of failing", async () => {
    const { genesys } = fakeGenesys(ids(150));
    genesys.createRecordingJob.mockResolvedValueOnce(job("job-1", "READY")).mockRejectedValueOnce(
      new GenesysError("Genesys refused creating a job (400: Each organization can run up to a maximum of two concurrent jobs)", {
        status: 400,
      }),
    );
    const answer = await exportCase(deps(genesys), REQUEST);
    expect(answer).toMatchObject({ status: "queued", queuedJobNumbers: [2] });
    expect(answer.jobs.map((j) => j.jobNumber)).toEqual([1]);
    expect([...store.keys()].filter((key) => key.includes(".job-"))).toHaveLength(1);
  });

  it("does not swallow other Genesys refusals of a job", async () => {
    const { genesys } = fakeGenesys(ids(2));
    genesys.createRecordingJob.mockRejectedValue(new GenesysPermissionError("creating a recording export job", "recording:job:add"));
    await expect(exportCase(deps(genesys), REQUEST)).rejects.toThrow("recording:job:add");
  });

  it("leaves out conversations already sealed for the case or in another export's running job", async () => {
    const { genesys, states } = fakeGenesys(ids(4));
    store.set(`${ARCHIVE}/cases/${CASE}/conversations/${id(1)}/recordings/r1.wav.custody.dsse.json`, "{}");
    const otherRequest = parseCaseExportEvent({ ...REQUEST, to: "2026-03-01T12:00:00Z" });
    if (otherRequest.operation !== "export") throw new Error("unreachable");
    genesys.queryConversationIds.mockResolvedValueOnce([id(2)]);
    await exportCase(deps(genesys), otherRequest);
    expect(states.get("job-1")).toBe("PROCESSING");
    const answer = await exportCase(deps(genesys), REQUEST);
    expect(answer.excluded).toEqual([
      { conversationId: id(1), reason: "sealed", detail: "1 recording(s) sealed" },
      { conversationId: id(2), reason: "in-running-job", detail: expect.stringContaining("job-1 (PROCESSING)") },
    ]);
    expect(genesys.createRecordingJob.mock.calls[1]?.[0].conversationIds).toEqual([id(3), id(4)]);
  });

  it("re-run after a crash between the export record and the job: creates the missing job, once", async () => {
    const { genesys } = fakeGenesys(ids(3));
    genesys.createRecordingJob.mockRejectedValueOnce(new Error("Lambda timed out"));
    await expect(exportCase(deps(genesys), REQUEST)).rejects.toThrow("timed out");
    const again = await exportCase(deps(genesys), REQUEST);
    expect(again).toMatchObject({ resumed: true, status: "started" });
    expect(genesys.queryConversationIds).toHaveBeenCalledTimes(1);
    expect(genesys.protectConversations).toHaveBeenCalledTimes(1);
    await exportCase(deps(genesys), REQUEST);
    expect(genesys.createRecordingJob).toHaveBeenCalledTimes(2);
    expect(genesys.startRecordingJob).toHaveBeenCalledTimes(1);
  });

  it("re-run after a crash between Genesys creating a job and its record: that job is never started, a new one is", async () => {
    const { genesys } = fakeGenesys(ids(3));
    s3Mock
      .on(PutObjectCommand, { Key: `cases/${CASE}/exports/${caseExportId(REQUEST)}.job-1.dsse.json` })
      .rejectsOnce(new Error("socket hang up"));
    await expect(exportCase(deps(genesys), REQUEST)).rejects.toThrow("could not be stored");
    installStoreKeeping(store);
    const again = await exportCase(deps(genesys), REQUEST);
    expect(again.jobs).toEqual([expect.objectContaining({ jobNumber: 1, genesysJobId: "job-2", state: "PROCESSING" })]);
    expect(genesys.startRecordingJob.mock.calls).toEqual([["job-2"]]);
  });

  it("re-run after a crash between the job record and the start: starts the recorded READY job without creating another", async () => {
    const { genesys } = fakeGenesys(ids(3));
    genesys.startRecordingJob.mockRejectedValueOnce(new Error("Lambda timed out"));
    await expect(exportCase(deps(genesys), REQUEST)).rejects.toThrow("timed out");
    const again = await exportCase(deps(genesys), REQUEST);
    expect(again.jobs).toEqual([expect.objectContaining({ jobNumber: 1, genesysJobId: "job-1", state: "PROCESSING" })]);
    expect(genesys.createRecordingJob).toHaveBeenCalledTimes(1);
  });
});

describe("status", () => {
  it("names queued and running jobs, and conversations that are neither sealed nor explained", async () => {
    const { genesys, states } = fakeGenesys(ids(150));
    genesys.createRecordingJob
      .mockResolvedValueOnce(job("job-1", "READY"))
      .mockRejectedValueOnce(new GenesysError("maximum of two concurrent jobs", { status: 400 }));
    const exported = await exportCase(deps(genesys), REQUEST);
    const s3 = new S3Client({ region: "eu-west-2" });
    const running = await caseStatus({ archive: { s3, bucket: ARCHIVE }, landing: { s3, bucket: LANDING }, genesys }, CASE);
    expect(running.gaps).toEqual([
      { kind: "job-running", exportId: exported.exportId, jobNumber: 1, genesysJobId: "job-1", state: "PROCESSING", percentProgress: null },
      { kind: "job-queued", exportId: exported.exportId, jobNumber: 2, conversations: 50 },
    ]);
    states.set("job-1", "FULFILLED");
    const done = await caseStatus({ archive: { s3, bucket: ARCHIVE }, landing: { s3, bucket: LANDING }, genesys }, CASE);
    expect(done.gaps.filter((gap) => gap.kind === "not-sealed")).toHaveLength(100);
    expect(done.complete).toBe(false);
  });

  it("names a fulfilled job whose exported recordings outnumber the sealed ones", async () => {
    const { genesys } = fakeGenesys(ids(2));
    await exportCase(deps(genesys), REQUEST);
    store.set(`${ARCHIVE}/cases/${CASE}/conversations/${id(1)}/recordings/r1.wav.custody.dsse.json`, "{}");
    genesys.getRecordingJob.mockResolvedValue(job("job-1", "FULFILLED", { totalRecordings: 3, totalProcessedRecordings: 3 }));
    const s3 = new S3Client({ region: "eu-west-2" });
    const answer = await caseStatus({ archive: { s3, bucket: ARCHIVE }, landing: { s3, bucket: LANDING }, genesys }, CASE);
    expect(answer.gaps).toEqual([
      { kind: "recordings-missing", genesysJobId: "job-1", expected: 3, sealed: 1 },
      { kind: "not-sealed", conversationId: id(2) },
    ]);
  });

  it("says there is no export for a case the archive knows nothing about", async () => {
    const { genesys } = fakeGenesys([]);
    const s3 = new S3Client({ region: "eu-west-2" });
    const answer = await caseStatus({ archive: { s3, bucket: ARCHIVE }, landing: { s3, bucket: LANDING }, genesys }, "OTHER");
    expect(answer).toMatchObject({ complete: false, gaps: [{ kind: "no-export" }] });
  });
});
