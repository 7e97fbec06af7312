import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PART_SIZE_BYTES } from "../../lambda/archive/recordingWriter";
import { parseEnvelope } from "../../lambda/custody/dsse";
import type { ExportJob } from "../../lambda/intake/exportRequest";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { main as verify } from "../../tools/commands/verify";
import { createCountingGate } from "../../tools/testkit/wire/callGate";
import { startWireEnvironment, WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { conversationPrefix, expectEveryObjectPaired, readObject, sha256Hex } from "../support/wire/assertions";
import { buildWorkerBundle, startBundledWorker } from "../support/wire/bundledWorker";
import { exportJob } from "../support/wire/worker";

/**
 * Crash safety of the shipped worker: it runs as its bundle in a child
 * process against the wire fakes, which share one call counter. For every N,
 * a fresh job is delivered and the child is killed (SIGKILL, as Lambda stops
 * a container) when its Nth call to S3, KMS, Secrets Manager or Genesys
 * arrives, before that call is served; then the message is delivered again to
 * a new process. Whatever N was, each recording must end with exactly one
 * stored version and one custody record, `npm run verify` must pass, and no
 * multipart upload may be left open. Then the same for two deliveries of one
 * message running at the same time.
 */

const TEST_TIMEOUT_MS = 900_000;
const CASE_ID = "MATTER-KILL";
/** One recording stored with a single PUT, one just large enough for a two-part multipart upload. */
const RECORDINGS = [
  { id: "rec-small", bytes: 96 * 1024 },
  { id: "rec-large", bytes: PART_SIZE_BYTES + 64 * 1024 },
];

const gate = createCountingGate();
let wire: WireEnvironment;
let bundle: string;
let publicKeyFile: string;

beforeAll(async () => {
  wire = await startWireEnvironment({ gate });
  // npm run verify runs in this process and finds the fake S3 the way the worker does.
  for (const [name, value] of Object.entries(wire.workerEnv)) vi.stubEnv(name, value);
  bundle = buildWorkerBundle();
  publicKeyFile = join(mkdtempSync(join(tmpdir(), "kill-key-")), "signing.pem");
  writeFileSync(publicKeyFile, wire.kms.publicKeyPem);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await wire?.close();
});

function newJob(): ExportJob {
  const job = exportJob({ caseId: CASE_ID });
  wire.genesys.addConversation({ id: job.conversationId, recordings: RECORDINGS.map((r) => ({ id: r.id, bytes: r.bytes })) });
  return job;
}

async function runVerify(job: ExportJob): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const sink = { write: (text: string) => out.push(text) > 0 } as never;
  const code = await verify(
    ["--bucket", WIRE_BUCKET, "--case", job.caseId, "--conversation", job.conversationId, "--public-key", publicKeyFile],
    sink,
    sink,
  );
  return { code, stdout: out.join("") };
}

/** The end state every scenario must reach. */
async function expectArchivedOnce(job: ExportJob, scenario: string): Promise<void> {
  for (const recording of RECORDINGS) {
    const key = recordingKey(job.caseId, job.conversationId, recording.id, "WAV");
    expect(wire.s3.proxy.versions(WIRE_BUCKET, key), `${scenario}: versions of ${recording.id}`).toHaveLength(1);
    expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key)), `${scenario}: records of ${recording.id}`).toHaveLength(1);
    const envelope = parseEnvelope((await readObject(wire.client, custodyRecordKeyFor(key))).toString("utf8"));
    const statement = JSON.parse(envelope.payloadBytes.toString("utf8"));
    expect(statement.subject[0].digest.sha256, scenario).toBe(sha256Hex(await readObject(wire.client, key)));
  }
  await expectEveryObjectPaired(wire.client, conversationPrefix(job.caseId, job.conversationId));
  const open = (await wire.s3.proxy.pendingUploads(WIRE_BUCKET)).filter((u) => (u.key ?? "").includes(job.conversationId));
  expect(open, `${scenario}: open uploads`).toEqual([]);
  const verified = await runVerify(job);
  expect(verified.code, `${scenario}: verify\n${verified.stdout}`).toBe(0);
}

describe("the bundled worker killed between any two calls, then redelivered", () => {
  it(
    "ends every recording with one version and one custody record, verify passing and no upload open, wherever it was killed",
    async () => {
      // An undisturbed run counts the calls a delivery makes.
      const baselineJob = newJob();
      gate.arm();
      const baseline = await startBundledWorker(bundle, wire.workerEnv, [{ job: baselineJob, messageId: "m-baseline", receiveCount: 1 }])
        .done;
      expect(baseline.answer, baseline.stderr).toEqual({ batchItemFailures: [] });
      const totalCalls = gate.calls.length;
      expect(totalCalls).toBeGreaterThan(20);
      await expectArchivedOnce(baselineJob, "baseline");

      const adopted: number[] = [];
      for (let stopAt = 1; stopAt <= totalCalls; stopAt++) {
        const job = newJob();
        const messageId = `m-kill-${stopAt}`;
        const first = startBundledWorker(bundle, wire.workerEnv, [{ job, messageId, receiveCount: 1 }]);
        gate.arm(stopAt, () => first.child.kill("SIGKILL"));
        const killed = await first.done;
        const killedAt = gate.calls[stopAt - 1];
        expect(killed.signal, `kill at call ${stopAt} (${killedAt}) — ${killed.stderr}`).toBe("SIGKILL");

        gate.arm();
        const again = await startBundledWorker(bundle, wire.workerEnv, [{ job, messageId, receiveCount: 2 }]).done;
        const scenario = `killed at call ${stopAt} of ${totalCalls} (${killedAt})`;
        expect(
          again.answer,
          `${scenario}: redelivery\n${again.stderr}\n${JSON.stringify(again.logs.filter((l) => l.level !== "INFO"))}`,
        ).toEqual({
          batchItemFailures: [],
        });
        const finished = again.logs.find((line) => line.message === "export finished")?.recordings as Array<{ status: string }>;
        if (finished?.some((r) => r.status === "adopted")) adopted.push(stopAt);
        await expectArchivedOnce(job, scenario);
      }
      // Some kills fall after a recording was stored and before its record: those redeliveries adopt, never re-upload.
      expect(adopted.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("two deliveries of one message at the same time", () => {
  it(
    "store one version and one record per recording; a delivery that lost the race finishes or returns the message",
    async () => {
      for (let round = 1; round <= 3; round++) {
        const job = newJob();
        gate.arm();
        const both = await Promise.all(
          ["a", "b"].map(() => startBundledWorker(bundle, wire.workerEnv, [{ job, messageId: `m-twice-${round}`, receiveCount: 1 }]).done),
        );
        const failed = both.filter((run) => (run.answer?.batchItemFailures.length ?? 1) > 0);
        for (const run of failed) {
          const line = run.logs.find((l) => l.message === "export failed");
          expect(line?.retryable, `round ${round}: ${JSON.stringify(line)} ${run.stderr}`).toBe(true);
        }
        if (failed.length > 0) {
          // SQS would redeliver the returned message.
          const again = await startBundledWorker(bundle, wire.workerEnv, [{ job, messageId: `m-twice-${round}`, receiveCount: 2 }]).done;
          expect(again.answer, again.stderr).toEqual({ batchItemFailures: [] });
        }
        await expectArchivedOnce(job, `concurrent round ${round}`);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
