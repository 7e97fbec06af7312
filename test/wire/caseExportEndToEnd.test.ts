import { createHash, verify } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseRoutingKey, parseCaseRouting } from "../../lambda/bulk/caseRouting";
import type { CaseStatusAnswer } from "../../lambda/caseExport/caseStatus";
import type { CaseExportAnswer } from "../../lambda/caseExport/exportCase";
import { canonicalJson } from "../../lambda/custody/canonicalJson";
import { parseEnvelope, preAuthEncoding } from "../../lambda/custody/dsse";
import { WIRE_BUCKET, WIRE_SIGNING_KEY_ARN, type WireEnvironment } from "../../tools/testkit/wire/environment";
import type { FakeRecordingJobs } from "../../tools/testkit/wire/fakeRecordingJobs";
import { BULK_INTEGRATION_ID, type BulkExportWorld, startBulkExportWorld } from "../support/wire/bulkExportWorld";
import { LANDING_BUCKET, ORG_ID } from "../support/wire/sealer";

/**
 * The real case-export handler (env read at import, real S3, KMS, Secrets
 * Manager and Genesys clients; the world of bulkExportWorld.ts) against s3rver (archive behind the Object
 * Lock proxy, plus a landing bucket) and the fake Genesys with its query and
 * recording jobs: 210 conversations over three query pages, three jobs of
 * which Genesys runs two at a time, a re-run, a job failing part-way, and
 * the status naming every gap.
 */

const CASE = "MATTER-BULK-1";
const COUNT = 210;
const conversationId = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ALL = Array.from({ length: COUNT }, (_, index) => conversationId(index + 1));
const UNPROTECTABLE = conversationId(7);
const request = { operation: "export", caseId: CASE, from: "2026-03-01T00:00:00Z", to: "2026-03-08T00:00:00Z", requestedBy: "Counsel A" };

type Handler = (event: unknown) => Promise<CaseExportAnswer | CaseStatusAnswer>;
let world: BulkExportWorld;
let wire: WireEnvironment;
let jobs: FakeRecordingJobs;
let handler: Handler;
let first: CaseExportAnswer;
let second: CaseExportAnswer;
let third: CaseExportAnswer;

const listKeys = async (bucket: string, prefix: string) => {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await wire.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
};
const readText = async (bucket: string, key: string) =>
  (await (await wire.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString("utf8")) ?? "";

/** Plays the sealer for some conversations of a case: a custody record in the archive, the landing objects gone. */
async function seal(caseId: string, ids: string[]): Promise<void> {
  const wanted = new Set(ids);
  for (const key of await listKeys(LANDING_BUCKET, `${ORG_ID}/`)) {
    const id = /\/conversation_id=([^/]+)\//u.exec(key)?.[1];
    if (!id || !wanted.has(id)) continue;
    await wire.client.send(new DeleteObjectCommand({ Bucket: LANDING_BUCKET, Key: key }));
    if (!key.endsWith(".wav")) continue;
    const file = key.slice(key.lastIndexOf("/") + 1);
    await wire.client.send(
      new PutObjectCommand({
        Bucket: WIRE_BUCKET,
        Key: `cases/${caseId}/conversations/${id}/recordings/${file}.custody.dsse.json`,
        Body: "{}",
        ObjectLockLegalHoldStatus: "ON",
        ChecksumAlgorithm: "CRC32",
      }),
    );
  }
}

beforeAll(async () => {
  world = await startBulkExportWorld();
  ({ wire, jobs } = world);
  handler = world.caseExport;
  for (const [index, id] of ALL.entries()) {
    jobs.addConversation({
      id,
      start: new Date(Date.parse("2026-03-02T00:00:00Z") + index * 60_000).toISOString(),
      recordings: [{ id: `r${String(index + 1).padStart(4, "0")}`, bytes: 512 }],
      ...(id === UNPROTECTABLE ? { protect: [{ status: 404 as const }] } : {}),
    });
  }
  // A conversation outside the interval is never part of the case.
  jobs.addConversation({ id: conversationId(999), start: "2026-02-01T00:00:00Z", recordings: [{ id: "outside", bytes: 10 }] });
  first = (await handler(request)) as CaseExportAnswer;
  await jobs.settled();
  second = (await handler(request)) as CaseExportAnswer;
  await jobs.settled();
  third = (await handler(request)) as CaseExportAnswer;
}, 120_000);

afterAll(() => world?.close());

describe("case export over the wire", () => {
  it("queries every page, records the case, and starts two of three jobs, queuing the third", () => {
    const queries = wire.genesys.requests.filter((r) => r.path === "/api/v2/analytics/conversations/details/query");
    expect(queries.length).toBe(3);
    expect(first).toMatchObject({ status: "queued", resumed: false, conversations: COUNT, queuedJobNumbers: [3] });
    expect(first.jobs.map((job) => [job.jobNumber, job.state, job.conversations])).toEqual([
      [1, "PROCESSING", 100],
      [2, "PROCESSING", 100],
    ]);
    expect(first.message).toMatch(/wait for a free Genesys job slot.*run the same case:export again/);
  });

  it("restricts each job to exactly its conversations, with action EXPORT and the bulk integration", () => {
    const job = jobs.jobs[0];
    expect(job.body).toMatchObject({ action: "EXPORT", integrationId: BULK_INTEGRATION_ID, includeScreenRecordings: true });
    expect(job.conversationIds).toEqual(ALL.slice(0, 100));
    expect(jobs.jobs.flatMap((j) => j.conversationIds).sort()).toEqual(ALL);
  });

  it("reports the conversation Genesys could not protect, and routes it as failed", async () => {
    expect(first.deletionProtection.protected).toBe(COUNT - 1);
    expect(first.deletionProtection.failed.map((f) => f.conversationId)).toEqual([UNPROTECTABLE]);
    const routing = parseCaseRouting(
      await readText(LANDING_BUCKET, caseRoutingKey(UNPROTECTABLE, CASE)),
      caseRoutingKey(UNPROTECTABLE, CASE),
    );
    expect(routing.deletionProtection.status).toBe("failed");
    expect(routing).toMatchObject({ caseId: CASE, exportId: first.exportId, requestedBy: "Counsel A" });
  });

  it("writes one routing object per conversation and a KMS-signed export record over the conversation list", async () => {
    expect((await listKeys(LANDING_BUCKET, "routing/")).length).toBe(COUNT);
    const envelope = parseEnvelope(await readText(WIRE_BUCKET, first.exportRecordKey ?? ""));
    expect(envelope.signatures[0].keyid).toBe(WIRE_SIGNING_KEY_ARN);
    expect(
      verify(
        "sha256",
        preAuthEncoding(envelope.payloadType, envelope.payloadBytes),
        wire.kms.publicKeyPem,
        Buffer.from(envelope.signatures[0].sig, "base64"),
      ),
    ).toBe(true);
    const statement = JSON.parse(envelope.payloadBytes.toString("utf8"));
    expect(statement.predicateType).toBe("https://legal-hold-archive.example/case-export/v1");
    expect(statement.predicate.conversationIds).toEqual(ALL);
    expect(statement.subject[0].digest.sha256).toBe(createHash("sha256").update(canonicalJson(ALL)).digest("hex"));
    expect(first.exportRecordKey).toBe(`cases/${CASE}/exports/${first.exportId}.export.dsse.json`);
  });

  it("re-run: resumes the stored export, creates only the queued job, and writes no second record or routing", async () => {
    expect(second).toMatchObject({ status: "started", resumed: true, routing: { written: 0, existing: COUNT } });
    expect(second.jobs.map((job) => job.jobNumber)).toEqual([1, 2, 3]);
    expect(jobs.jobs).toHaveLength(3);
    expect(third.jobs).toHaveLength(3);
    const records = await listKeys(WIRE_BUCKET, `cases/${CASE}/exports/`);
    expect(records.sort()).toEqual(
      [
        `${first.exportId}.export.dsse.json`,
        `${first.exportId}.job-1.dsse.json`,
        `${first.exportId}.job-2.dsse.json`,
        `${first.exportId}.job-3.dsse.json`,
      ].map((name) => `cases/${CASE}/exports/${name}`),
    );
    const recordPuts = wire.s3.proxy.requests.filter((r) => r.operation === "PutObject" && r.key === first.exportRecordKey);
    expect(recordPuts).toHaveLength(1);
  });

  it("Genesys wrote each recording and its _metadata.json into the landing bucket in its key layout", async () => {
    const landed = await listKeys(LANDING_BUCKET, `${ORG_ID}/`);
    expect(landed).toHaveLength(COUNT * 2);
    expect(landed).toContain(`${ORG_ID}/year=2026/month=3/day=2/hour=0/conversation_id=${ALL[0]}/r0001.wav`);
    expect(landed).toContain(`${ORG_ID}/year=2026/month=3/day=2/hour=0/conversation_id=${ALL[0]}/r0001_metadata.json`);
  });
});

describe("case status over the wire", () => {
  it("names the waiting landing objects before the sealer ran, and is not complete", async () => {
    const status = (await handler({ operation: "status", caseId: CASE })) as CaseStatusAnswer;
    expect(status.complete).toBe(false);
    expect(status.expectedConversations).toBe(COUNT);
    expect(status.genesys).toMatchObject({ jobs: 3, totalRecordings: COUNT, processedRecordings: COUNT, failedRecordings: 0 });
    expect(status.gaps.filter((gap) => gap.kind === "landing-waiting")).toHaveLength(COUNT * 2);
  });

  it("reports complete once every conversation is sealed and nothing waits", async () => {
    await seal(CASE, ALL);
    const status = (await handler({ operation: "status", caseId: CASE })) as CaseStatusAnswer;
    expect(status.gaps).toEqual([]);
    expect(status).toMatchObject({ complete: true, sealedConversations: COUNT, sealedRecordings: COUNT });
  }, 60_000);
});

describe("a second case whose job fails part-way", () => {
  const CASE_B = "MATTER-BULK-2";
  const ids = [1, 2, 3, 4].map((n) => conversationId(500 + n));
  let status: CaseStatusAnswer;

  beforeAll(async () => {
    for (const [index, id] of ids.entries()) {
      jobs.addConversation({
        id,
        start: new Date(Date.parse("2026-04-02T00:00:00Z") + index * 60_000).toISOString(),
        recordings: [
          { id: `b${index}a`, bytes: 64 },
          { id: `b${index}b`, bytes: 64 },
        ],
      });
    }
    jobs.scriptNextJob({ failAfterRecordings: 3 });
    const answer = (await handler({
      ...request,
      caseId: CASE_B,
      from: "2026-04-01T00:00:00Z",
      to: "2026-04-05T00:00:00Z",
    })) as CaseExportAnswer;
    expect(answer.status).toBe("started");
    await jobs.settled();
    // The sealer took the first conversation; the routing of the last was lost.
    await seal(CASE_B, [ids[0]]);
    await wire.client.send(new DeleteObjectCommand({ Bucket: LANDING_BUCKET, Key: caseRoutingKey(ids[3], CASE_B) }));
    status = (await handler({ operation: "status", caseId: CASE_B })) as CaseStatusAnswer;
  }, 60_000);

  it("names the failed job and every recording it failed", () => {
    expect(status.complete).toBe(false);
    const failedJob = status.gaps.find((gap) => gap.kind === "job-failed");
    expect(failedJob).toMatchObject({ state: "FAILED", errorMessage: expect.stringMatching(/stopped after 3/) });
    const failed = status.gaps
      .filter((gap) => gap.kind === "failed-recording")
      .map((gap) => gap.kind === "failed-recording" && `${gap.conversationId}/${gap.recordingId}`);
    expect(failed).toEqual([`${ids[1]}/b1b`, `${ids[2]}/b2a`, `${ids[2]}/b2b`, `${ids[3]}/b3a`, `${ids[3]}/b3b`]);
  });

  it("names the missing routing, the landing objects waiting and the unsealed conversations", () => {
    expect(status.gaps).toContainEqual({ kind: "routing-missing", conversationId: ids[3], key: caseRoutingKey(ids[3], CASE_B) });
    const waiting = status.gaps
      .filter((gap) => gap.kind === "landing-waiting")
      .map((gap) => gap.kind === "landing-waiting" && gap.conversationId);
    expect(new Set(waiting)).toEqual(new Set([ids[1]]));
    expect(status.genesys).toMatchObject({ jobs: 1, totalRecordings: 8, processedRecordings: 3, failedRecordings: 5 });
    expect(status.sealedConversations).toBe(1);
  });
});
