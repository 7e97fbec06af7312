import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { custodyRecordKeyFor } from "../../lambda/archive/sealRecording";
import { main as verify } from "../../tools/commands/verify";
import { createCountingGate } from "../../tools/testkit/wire/callGate";
import { startWireEnvironment, WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { expectEveryObjectPaired, readObject, sha256Hex } from "../support/wire/assertions";
import { startBundledWorker } from "../support/wire/bundledWorker";
import {
  buildSealerBundle,
  LANDING_BUCKET,
  type LandedRecording,
  landingEvent,
  landingKeys,
  landRecording,
  mediaBytes,
  routeConversation,
  sealerEnvFor,
} from "../support/wire/sealer";

/**
 * Crash safety of the shipped sealer: its bundle runs in a child process
 * against the wire fakes, which share one call counter. For every N, a fresh
 * recording lands and the child is killed (SIGKILL) when its Nth call to S3
 * or KMS arrives — between the archive copy and its record, between the
 * record and the landing delete, between the two deletes — then the message
 * is delivered again. Whatever N was: one archive version, one record, the
 * landing recording and its metadata gone, no upload open, verify passing.
 */

const CASE_ID = "MATTER-SEALER-KILL";
const gate = createCountingGate();
let wire: WireEnvironment;
let env: Record<string, string>;
let bundle: string;
let publicKeyFile: string;

beforeAll(async () => {
  wire = await startWireEnvironment({ gate, plainBuckets: [LANDING_BUCKET] });
  env = sealerEnvFor(wire);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  bundle = buildSealerBundle();
  publicKeyFile = join(mkdtempSync(join(tmpdir(), "sealer-kill-key-")), "signing.pem");
  writeFileSync(publicKeyFile, wire.kms.publicKeyPem);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await wire?.close();
});

async function landRouted(): Promise<LandedRecording> {
  const conversationId = randomUUID();
  await routeConversation(wire.client, conversationId, CASE_ID);
  return landRecording(wire.client, { conversationId, bytes: mediaBytes(64 * 1024, conversationId.charCodeAt(0)) });
}

function deliver(landed: LandedRecording, messageId: string, receiveCount: number) {
  return startBundledWorker(bundle, env, [{ job: landingEvent([landed.key], messageId).body, messageId, receiveCount }]);
}

async function expectSealedAndCleaned(landed: LandedRecording, scenario: string) {
  const key = `cases/${CASE_ID}/conversations/${landed.conversationId}/recordings/${landed.fileName}`;
  expect(wire.s3.proxy.versions(WIRE_BUCKET, key), `${scenario}: versions`).toHaveLength(1);
  expect(wire.s3.proxy.versions(WIRE_BUCKET, custodyRecordKeyFor(key)), `${scenario}: records`).toHaveLength(1);
  expect(sha256Hex(await readObject(wire.client, key)), scenario).toBe(sha256Hex(landed.bytes));
  await expectEveryObjectPaired(wire.client, `cases/${CASE_ID}/conversations/${landed.conversationId}/`);
  expect(await landingKeys(wire.client, landed.key.slice(0, landed.key.lastIndexOf("/") + 1)), `${scenario}: landing`).toEqual([]);
  const open = (await wire.s3.proxy.pendingUploads(WIRE_BUCKET)).filter((u) => (u.key ?? "").includes(landed.conversationId));
  expect(open, `${scenario}: open uploads`).toEqual([]);
  const out: string[] = [];
  const sink = { write: (text: string) => out.push(text) > 0 } as never;
  const code = await verify(
    ["--bucket", WIRE_BUCKET, "--case", CASE_ID, "--conversation", landed.conversationId, "--public-key", publicKeyFile],
    sink,
    sink,
  );
  expect(code, `${scenario}: verify\n${out.join("")}`).toBe(0);
}

describe("the bundled sealer killed between any two calls, then redelivered", () => {
  it("ends with one version, one record, the landing copy removed and verify passing, wherever it was killed", async () => {
    const baselineLanded = await landRouted();
    gate.arm();
    const baseline = await deliver(baselineLanded, "m-baseline", 1).done;
    expect(baseline.answer, baseline.stderr).toEqual({ batchItemFailures: [] });
    const totalCalls = gate.calls.length;
    // HEAD landing … PUT recording … Sign … PUT record … DELETE recording, DELETE metadata.
    expect(gate.calls.filter((call) => call.includes("DELETE"))).toHaveLength(2);
    await expectSealedAndCleaned(baselineLanded, "baseline");

    const adopted: number[] = [];
    for (let stopAt = 1; stopAt <= totalCalls; stopAt++) {
      const landed = await landRouted();
      const messageId = `m-kill-${stopAt}`;
      const first = deliver(landed, messageId, 1);
      gate.arm(stopAt, () => first.child.kill("SIGKILL"));
      const killed = await first.done;
      const killedAt = gate.calls[stopAt - 1];
      expect(killed.signal, `kill at call ${stopAt} (${killedAt}) — ${killed.stderr}`).toBe("SIGKILL");

      gate.arm();
      const again = await deliver(landed, messageId, 2).done;
      const scenario = `killed at call ${stopAt} of ${totalCalls} (${killedAt})`;
      expect(again.answer, `${scenario}: redelivery\n${again.stderr}`).toEqual({ batchItemFailures: [] });
      if (again.logs.some((line) => line.message === "recording adopted")) adopted.push(stopAt);
      await expectSealedAndCleaned(landed, scenario);
    }
    // A kill after the archive copy and before its record makes the redelivery adopt, never upload again.
    expect(adopted.length).toBeGreaterThan(0);
  }, 120_000);
});

describe("two deliveries of one landing event at the same time", () => {
  it("seal once; a delivery that lost the race finishes or returns the message, and a redelivery cleans up", async () => {
    for (let round = 1; round <= 2; round++) {
      const landed = await landRouted();
      gate.arm();
      const both = await Promise.all(["a", "b"].map(() => deliver(landed, `m-twice-${round}`, 1).done));
      const failed = both.filter((run) => (run.answer?.batchItemFailures.length ?? 1) > 0);
      for (const run of failed) {
        const line = run.logs.find((l) => l.message === "sealing failed");
        expect(line?.retryable, `round ${round}: ${JSON.stringify(line)} ${run.stderr}`).toBe(true);
      }
      if (failed.length > 0) {
        const again = await deliver(landed, `m-twice-${round}`, 2).done;
        expect(again.answer, again.stderr).toEqual({ batchItemFailures: [] });
      }
      await expectSealedAndCleaned(landed, `concurrent round ${round}`);
    }
  }, 60_000);
});
