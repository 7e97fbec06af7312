import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as verify } from "../../tools/commands/verify";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * End to end: the real worker archives a case through the wire (fake Genesys,
 * S3 behind the Object Lock proxy, fake KMS signing with a P-256 key), then
 * `npm run verify` checks it in S3 with the signing key's public key.
 */

let wire: WireEnvironment;
let handler: WorkerHandler;
let publicKeyFile: string;
const job = exportJob({ caseId: "MATTER-VERIFY" });

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    ({
      write(text: string) {
        into.push(text);
        return true;
      },
    }) as never;
  const code = await verify(args, sink(out), sink(err));
  return { code, stdout: out.join(""), stderr: err.join("") };
}

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
  wire.genesys.addConversation({
    id: job.conversationId,
    recordings: [
      { id: "rec-a", bytes: 120_000 },
      { id: "rec-b", bytes: 9 * 1024 * 1024 },
    ],
  });
  const outcome = await invokeWorker(handler, [sqsRecord(job, "msg-verify")]);
  expect(outcome.response).toEqual({ batchItemFailures: [] });
  publicKeyFile = join(mkdtempSync(join(tmpdir(), "custody-key-")), "signing.pem");
  writeFileSync(publicKeyFile, wire.kms.publicKeyPem);
});

afterAll(() => stopWorkerOnWire(wire));

describe("npm run verify on what the worker archived", () => {
  it("verifies every recording: hash, size, signature, S3 version, checksum, legal hold and retention", async () => {
    const { code, stdout } = await run("--bucket", WIRE_BUCKET, "--case", job.caseId, "--public-key", publicKeyFile, "--json");
    const report = JSON.parse(stdout) as { recordings: { mediaKey: string; checks: { name: string; status: string }[] }[] };
    expect(report.recordings).toHaveLength(2);
    for (const recording of report.recordings) {
      expect(
        recording.checks.filter((c) => c.status !== "ok"),
        recording.mediaKey,
      ).toEqual([]);
    }
    expect(code).toBe(0);
  });

  it("fails when checked against another key's public key", async () => {
    const other = join(mkdtempSync(join(tmpdir(), "custody-key-")), "other.pem");
    const { generateKeyPairSync } = await import("node:crypto");
    writeFileSync(
      other,
      generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "pem", type: "spki" }).toString(),
    );
    const { code, stdout } = await run("--bucket", WIRE_BUCKET, "--case", job.caseId, "--public-key", other);
    expect(code).toBe(1);
    expect(stdout).toMatch(/signature\s+FAILED/);
  });
});
