import { verify as verifySignature } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { custodyRecordKeyFor } from "../../lambda/archive/sealRecording";
import { caseRoutingKey, parseCaseRouting } from "../../lambda/bulk/caseRouting";
import { parseEnvelope, preAuthEncoding } from "../../lambda/custody/dsse";
import { WIRE_BUCKET, WIRE_SIGNING_KEY_ARN } from "../../tools/testkit/wire/environment";
import type { FakeJobOptions } from "../../tools/testkit/wire/fakeRecordingJobs";
import { type BulkExportWorld, CASE_EXPORT_FUNCTION, deliverLanding, startBulkExportWorld } from "../support/wire/bulkExportWorld";
import { startBundledWorker } from "../support/wire/bundledWorker";
import { buildSealerBundle, LANDING_BUCKET, landingEvent, landingKeys, landRecording, mediaBytes } from "../support/wire/sealer";

/**
 * Issue #15's acceptance, end to end on one loopback world: `case:export`
 * (spawned, through Lambda Invoke) queries, protects, records and starts the
 * Genesys jobs; the fake Genesys lands recordings and metadata; their S3
 * notifications drive the real sealer; `verify` and `case:status` (spawned)
 * judge the result. Then each fault of the issue, each in its own case.
 */

let world: BulkExportWorld;

beforeAll(async () => {
  world = await startBulkExportWorld();
}, 60_000);

afterAll(() => world?.close());

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

interface CaseFixture {
  caseId: string;
  from: string;
  to: string;
  conversations: Array<{ id: string; recordings: string[] }>;
}

/** Conversations of a case, one minute apart from `from`, each with its recordings, known to the fake Genesys. */
function addCase(caseId: string, from: string, to: string, first: number, count: number, recordingsEach = 1): CaseFixture {
  const conversations = Array.from({ length: count }, (_, index) => {
    const n = first + index;
    return { id: uuid("c", n), recordings: Array.from({ length: recordingsEach }, (_, k) => uuid("e", n * 10 + k)) };
  });
  for (const [index, conversation] of conversations.entries()) {
    world.jobs.addConversation({
      id: conversation.id,
      start: new Date(Date.parse(from) + index * 60_000).toISOString(),
      recordings: conversation.recordings.map((id) => ({ id, bytes: 2048 + index })),
    });
  }
  return { caseId, from, to, conversations };
}

const exportArgs = (fixture: CaseFixture) => [
  ...["--case", fixture.caseId, "--from", fixture.from, "--to", fixture.to],
  ...["--requested-by", "Counsel A", "--function", CASE_EXPORT_FUNCTION],
];
const caseStatus = (fixture: CaseFixture) => world.run("case:status", ["--case", fixture.caseId, "--function", CASE_EXPORT_FUNCTION]);

/** case:export, then Genesys' jobs run to their end; answers the run and the landing keys they wrote. */
async function exportAndLand(fixture: CaseFixture, script?: FakeJobOptions) {
  if (script) world.jobs.scriptNextJob(script);
  const mark = world.jobs.landed.length;
  const exported = await world.run("case:export", exportArgs(fixture));
  await world.jobs.settled();
  return { exported, landed: world.jobs.landed.slice(mark) };
}

const archiveKey = (caseId: string, conversationId: string, recordingId: string) =>
  `cases/${caseId}/conversations/${conversationId}/recordings/${recordingId}.wav`;
const landingKeyOf = (landed: readonly string[], recordingId: string) => landed.find((key) => key.endsWith(`/${recordingId}.wav`)) ?? "";
const folderOf = (key: string) => key.slice(0, key.lastIndexOf("/") + 1);

/** One version of the recording and one of its record, both under legal hold. */
function expectSealedOnce(caseId: string, conversationId: string, recordingId: string) {
  const key = archiveKey(caseId, conversationId, recordingId);
  const copies = world.wire.s3.proxy.versions(WIRE_BUCKET, key);
  const records = world.wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key));
  expect(
    copies.map((v) => v.legalHold),
    `versions of ${key}`,
  ).toEqual(["ON"]);
  expect(
    records.map((v) => v.legalHold),
    `versions of ${custodyRecordKeyFor(key)}`,
  ).toEqual(["ON"]);
}

function expectNotSealed(caseId: string, conversationId: string, recordingId: string) {
  const key = archiveKey(caseId, conversationId, recordingId);
  expect(world.wire.s3.proxy.versions(WIRE_BUCKET, key), key).toEqual([]);
  expect(world.wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key)), key).toEqual([]);
}

async function readText(bucket: string, key: string): Promise<string> {
  const answer = await world.wire.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await answer.Body?.transformToString("utf8")) ?? "";
}

async function allKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await world.wire.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function statementOf(key: string) {
  const envelope = parseEnvelope(await readText(WIRE_BUCKET, key));
  return { envelope, statement: JSON.parse(envelope.payloadBytes.toString("utf8")) };
}

describe("a case of 201 conversations: three query pages, three jobs of which Genesys runs two at a time", () => {
  const CASE = "MATTER-E2E";
  let fixture: CaseFixture;
  let all: string[];
  let landed: string[];
  let exportId: string;

  beforeAll(() => {
    fixture = addCase(CASE, "2026-03-02T00:00:00Z", "2026-03-08T00:00:00Z", 1, 201);
    all = fixture.conversations.map((c) => c.id);
    // Outside the interval: never part of the case, never protected.
    world.jobs.addConversation({ id: uuid("c", 999), start: "2026-02-01T00:00:00Z", recordings: [{ id: uuid("e", 9990), bytes: 10 }] });
  });

  it("case:export protects, records and routes exactly the case's conversations and starts every job over two runs", async () => {
    const first = await world.run("case:export", exportArgs(fixture));
    await world.jobs.settled();
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain("queued: job(s) 3");
    const second = await world.run("case:export", exportArgs(fixture));
    await world.jobs.settled();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/\(continued\): started/);

    const queries = world.wire.genesys.requests.filter((r) => r.path === "/api/v2/analytics/conversations/details/query");
    // Three pages of 100, 100 and 1; the re-run adopts the stored export record and queries nothing.
    expect(queries.length).toBe(3);
    expect([...world.wire.genesys.protectedConversations].sort()).toEqual(all);

    const records = await allKeys(WIRE_BUCKET, `cases/${CASE}/exports/`);
    exportId = /exports\/([^.]+)\.export\.dsse\.json$/u.exec(records.find((k) => k.endsWith(".export.dsse.json")) ?? "")?.[1] ?? "";
    expect(records).toEqual([".export", ".job-1", ".job-2", ".job-3"].map((n) => `cases/${CASE}/exports/${exportId}${n}.dsse.json`));
    const { envelope, statement } = await statementOf(records[0]);
    expect(envelope.signatures[0].keyid).toBe(WIRE_SIGNING_KEY_ARN);
    const signature = Buffer.from(envelope.signatures[0].sig, "base64");
    const signed = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
    expect(verifySignature("sha256", signed, world.wire.kms.publicKeyPem, signature)).toBe(true);
    expect(statement.predicate.conversationIds).toEqual(all);

    const routing = await allKeys(LANDING_BUCKET, "routing/");
    expect(routing).toEqual(all.map((id) => caseRoutingKey(id, CASE)).sort());
    const sample = parseCaseRouting(await readText(LANDING_BUCKET, routing[0]), routing[0]);
    expect(sample).toMatchObject({ caseId: CASE, exportId, requestedBy: "Counsel A", deletionProtection: { status: "applied" } });

    expect(world.jobs.jobs.map((job) => [job.state, job.conversationIds.length, job.body.action])).toEqual([
      ["FULFILLED", 100, "EXPORT"],
      ["FULFILLED", 100, "EXPORT"],
      ["FULFILLED", 1, "EXPORT"],
    ]);
    landed = [...world.jobs.landed];
    expect(landed).toHaveLength(201 * 2);
  }, 120_000);

  it("the sealer takes every landed recording into the case under legal hold, names its origin, and empties the landing bucket", async () => {
    const delivery = await deliverLanding(world.sealer, landed, "happy");
    expect(delivery.failedKeys, JSON.stringify(delivery.failedKeys.map((key) => delivery.failureOf(key)))).toEqual([]);
    for (const conversation of fixture.conversations) expectSealedOnce(CASE, conversation.id, conversation.recordings[0]);
    const archived = await allKeys(WIRE_BUCKET, `cases/${CASE}/conversations/`);
    expect(archived).toHaveLength(201 * 2);

    const last = fixture.conversations[200];
    const key = archiveKey(CASE, last.id, last.recordings[0]);
    const { statement } = await statementOf(custodyRecordKeyFor(key));
    expect(statement.predicate).toMatchObject({
      caseId: CASE,
      conversationId: last.id,
      recordingId: last.recordings[0],
      jobId: exportId,
      bulkExport: {
        landing: { bucket: LANDING_BUCKET, key: landingKeyOf(landed, last.recordings[0]), bytes: 2048 + 200 },
        genesysMetadata: { summary: { conversationId: last.id, recordingId: last.recordings[0] } },
        routing: { key: caseRoutingKey(last.id, CASE), exportId, caseRecordKey: `cases/${CASE}/exports/${exportId}.export.dsse.json` },
      },
    });
    expect(await landingKeys(world.wire.client)).toEqual([]);
  }, 120_000);

  it("npm run verify passes on the case, checking each record's bulk-export origin", async () => {
    const verified = await world.run("verify", ["--bucket", WIRE_BUCKET, "--case", CASE]);
    expect(verified.code, `${verified.stdout}\n${verified.stderr}`).toBe(0);
    expect(verified.stdout.split("landing object, Genesys metadata and case routing agree").length - 1).toBe(201);
  }, 120_000);

  it("case:status reports the case complete", async () => {
    const status = await caseStatus(fixture);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(`case ${CASE}: complete`);
    expect(status.stdout).toContain("conversations expected: 201, sealed: 201 (201 recording(s))");
  }, 120_000);
});

describe("faults, each in its own case", () => {
  it("a job that fails part-way: what landed is sealed, case:status exits 1 naming the job and every failed recording", async () => {
    const fixture = addCase("MATTER-JOB-FAILED", "2026-04-01T00:00:00Z", "2026-04-02T00:00:00Z", 1001, 3, 2);
    const { exported, landed } = await exportAndLand(fixture, { failAfterRecordings: 2 });
    expect(exported.code, exported.stderr).toBe(0);
    expect(landed).toHaveLength(4);
    expect((await deliverLanding(world.sealer, landed, "job-failed")).failedKeys).toEqual([]);
    const [done, ...failed] = fixture.conversations;
    for (const recording of done.recordings) expectSealedOnce(fixture.caseId, done.id, recording);

    const status = await caseStatus(fixture);
    expect(status.code).toBe(1);
    const job = world.jobs.jobs.at(-1);
    expect(status.stdout).toContain(`Genesys job ${job?.id} ended FAILED: Export stopped after 2 recording(s)`);
    const named = status.stdout.split("\n").filter((line) => line.includes("Genesys failed to export recording"));
    expect(named).toEqual(
      failed.flatMap((c) =>
        c.recordings.map((r) => `  - Genesys failed to export recording ${r} of conversation ${c.id} (job ${job?.id})`),
      ),
    );
  }, 120_000);

  it("a recording that lands twice with the same bytes is sealed once and both landings are cleaned", async () => {
    const fixture = addCase("MATTER-TWICE", "2026-04-03T00:00:00Z", "2026-04-04T00:00:00Z", 1101, 1);
    const [{ id, recordings }] = fixture.conversations;
    const { landed } = await exportAndLand(fixture);
    expect((await deliverLanding(world.sealer, landed, "twice-1")).failedKeys).toEqual([]);

    const again = await world.jobs.landAgain(id, recordings[0]);
    expect(again).toEqual(landed);
    // SQS delivers at least once: the second landing's notification arrives twice.
    const second = await deliverLanding(world.sealer, [...again, ...again], "twice-2");

    expect(second.failedKeys).toEqual([]);
    expect(second.logs.filter((line) => line.message === "recording already archived")).toHaveLength(1);
    expect(second.logs.filter((line) => line.message?.startsWith("the landing recording is gone"))).toHaveLength(1);
    expectSealedOnce(fixture.caseId, id, recordings[0]);
    expect(await landingKeys(world.wire.client, folderOf(landed[0]))).toEqual([]);
    expect((await caseStatus(fixture)).code).toBe(0);
  }, 120_000);

  it("the shipped sealer killed between the archive copy and the landing delete: the redelivery completes with one version and one record", async () => {
    const fixture = addCase("MATTER-KILLED", "2026-04-05T00:00:00Z", "2026-04-06T00:00:00Z", 1201, 1);
    const [{ id, recordings }] = fixture.conversations;
    const { landed } = await exportAndLand(fixture);
    const bundle = buildSealerBundle();
    const recordingKey = landingKeyOf(landed, recordings[0]);
    const deliver = (receiveCount: number) =>
      startBundledWorker(bundle, world.env, [{ job: landingEvent([recordingKey], "m-killed").body, messageId: "m-killed", receiveCount }]);

    const first = deliver(1);
    world.gate.arm(
      (call) => call.startsWith(`s3 DELETE /${LANDING_BUCKET}/`),
      () => first.child.kill("SIGKILL"),
    );
    const killed = await first.done;
    world.gate.arm();
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    // Killed with the copy and its record stored and nothing deleted yet.
    expectSealedOnce(fixture.caseId, id, recordings[0]);
    expect(await landingKeys(world.wire.client, folderOf(recordingKey))).toEqual([...landed].sort());
    const meanwhile = await caseStatus(fixture);
    expect(meanwhile.code).toBe(1);
    expect(meanwhile.stdout).toContain(`landing object not sealed yet: ${recordingKey}`);

    const again = await deliver(2).done;
    expect(again.answer, again.stderr).toEqual({ batchItemFailures: [] });
    expectSealedOnce(fixture.caseId, id, recordings[0]);
    expect(await landingKeys(world.wire.client, folderOf(recordingKey))).toEqual([]);
    const status = await caseStatus(fixture);
    expect(status.code, status.stdout).toBe(0);
  }, 120_000);

  it("a recording whose _metadata.json names another recording is not sealed: the reason is logged and case:status names the gap", async () => {
    const fixture = addCase("MATTER-MISMATCH", "2026-04-07T00:00:00Z", "2026-04-08T00:00:00Z", 1301, 1, 2);
    const [{ id, recordings }] = fixture.conversations;
    const [good, bad] = recordings;
    const { landed } = await exportAndLand(fixture, { metadataOverrides: { [bad]: { recordingId: uuid("e", 77_777) } } });
    const badKey = landingKeyOf(landed, bad);

    const delivery = await deliverLanding(world.sealer, landed, "mismatch");

    expect(delivery.failedKeys).toEqual([badKey]);
    expect(delivery.failureOf(badKey)).toMatchObject({ reason: "landing-metadata-mismatch", retryable: false, level: "ERROR" });
    expectSealedOnce(fixture.caseId, id, good);
    expectNotSealed(fixture.caseId, id, bad);
    expect(await landingKeys(world.wire.client, folderOf(badKey))).toEqual([badKey, badKey.replace(/\.wav$/u, "_metadata.json")].sort());
    const status = await caseStatus(fixture);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`landing object not sealed yet: ${badKey}`);
    expect(status.stdout).toContain("exported 2 recording(s), the archive sealed 1");
  }, 120_000);

  it("a conversation without a routing object stays in the landing bucket and case:status names it; an unrouted stranger is left alone", async () => {
    const fixture = addCase("MATTER-UNROUTED", "2026-04-09T00:00:00Z", "2026-04-10T00:00:00Z", 1401, 2);
    const [routed, lost] = fixture.conversations;
    const { landed } = await exportAndLand(fixture);
    const lostRouting = caseRoutingKey(lost.id, fixture.caseId);
    await world.wire.client.send(new DeleteObjectCommand({ Bucket: LANDING_BUCKET, Key: lostRouting }));
    // A recording Genesys exported for no case (another job, a policy): no routing anywhere.
    const stranger = await landRecording(world.wire.client, {
      conversationId: uuid("c", 1499),
      recordingId: uuid("e", 14990),
      bytes: mediaBytes(512, 3),
    });

    const delivery = await deliverLanding(world.sealer, [...landed, stranger.key, stranger.metadataKey], "unrouted");

    expect(delivery.failedKeys).toEqual([]);
    const unrouted = delivery.logs.filter((line) => line.message?.startsWith("no case routes this conversation"));
    expect(unrouted.map((line) => [line.level, line.conversationId])).toEqual([
      ["WARN", lost.id],
      ["WARN", stranger.conversationId],
    ]);
    expectSealedOnce(fixture.caseId, routed.id, routed.recordings[0]);
    expectNotSealed(fixture.caseId, lost.id, lost.recordings[0]);
    const lostKey = landingKeyOf(landed, lost.recordings[0]);
    expect(await landingKeys(world.wire.client, folderOf(lostKey))).toHaveLength(2);
    expect(await landingKeys(world.wire.client, folderOf(stranger.key))).toEqual([stranger.key, stranger.metadataKey].sort());

    const status = await caseStatus(fixture);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`conversation ${lost.id} has no routing object (${lostRouting})`);
    expect(status.stdout).toContain(`landing object not sealed yet: ${lostKey}`);
    expect(status.stdout).not.toContain(stranger.conversationId);
  }, 120_000);
});
