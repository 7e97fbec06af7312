import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnvelope } from "../../lambda/custody/dsse";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { main as verify } from "../../tools/commands/verify";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { readObject } from "../support/wire/assertions";
import { startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { storeLegacyRecording } from "../support/wire/legacyRecord";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * End to end: the real worker archives a case through the wire (fake Genesys,
 * S3 behind the Object Lock proxy, fake KMS signing with a P-256 key), then
 * `npm run verify` checks it in S3 with the signing key's public key, beside
 * a recording archived the way earlier releases did (manifest + signature
 * file), and verifiers nobody here wrote (securesystemslib, openssl) check
 * the custody records the worker signed.
 */

const INDEPENDENT_TIMEOUT_MS = 120_000;
/** Debian's python3-securesystemslib installs for the system interpreter, not for a pyenv or venv one on PATH. */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const SECURESYSTEMSLIB_SCRIPT = join(__dirname, "..", "support", "wire", "verify_dsse_securesystemslib.py");
const legacyJob = exportJob({ caseId: "MATTER-VERIFY" });

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
  await storeLegacyRecording(wire, legacyJob, "rec-old", Buffer.from("RIFF-an-older-recording-WAVE"));
}, 120_000);

/** The worker's custody record for a recording of the archived job, written to a file for the outside tools. */
async function recordFile(recordingId: string): Promise<string> {
  const key = recordingKey(job.caseId, job.conversationId, recordingId, "WAV");
  const file = join(mkdtempSync(join(tmpdir(), "custody-record-")), `${recordingId}.custody.dsse.json`);
  writeFileSync(file, await readObject(wire.client, custodyRecordKeyFor(key)));
  return file;
}

afterAll(() => stopWorkerOnWire(wire));

describe("npm run verify on what the worker archived", () => {
  it("verifies every recording, new custody records and old two-file records alike: hash, size, signature, S3 facts", async () => {
    const { code, stdout } = await run("--bucket", WIRE_BUCKET, "--case", job.caseId, "--public-key", publicKeyFile, "--json");
    const report = JSON.parse(stdout) as { recordings: { mediaKey: string; checks: { name: string; status: string }[] }[] };
    expect(report.recordings).toHaveLength(3);
    const checkNames = (id: string) => report.recordings.find((r) => r.mediaKey.endsWith(`/${id}.wav`))?.checks.map((c) => c.name);
    expect(checkNames("rec-a")).toEqual(expect.arrayContaining(["custody record", "subject", "signature", "media sha256", "S3 version"]));
    expect(checkNames("rec-old")).toEqual(expect.arrayContaining(["manifest", "signature file", "manifest digest", "signature"]));
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

  it("fails a custody record whose statement was changed after signing", async () => {
    const key = recordingKey(job.caseId, job.conversationId, "rec-a", "WAV");
    const dir = mkdtempSync(join(tmpdir(), "custody-copy-"));
    const envelope = parseEnvelope((await readObject(wire.client, custodyRecordKeyFor(key))).toString("utf8"));
    const statement = JSON.parse(envelope.payloadBytes.toString("utf8"));
    statement.predicate.requestedBy = "someone else";
    const forged = { ...envelope, payloadBytes: undefined, payload: Buffer.from(JSON.stringify(statement)).toString("base64") };
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, ...key.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, ...key.split("/")), await readObject(wire.client, key));
    writeFileSync(join(dir, ...custodyRecordKeyFor(key).split("/")), JSON.stringify(forged));

    const { code, stdout } = await run("--local", dir, "--public-key", publicKeyFile);

    expect(code).toBe(1);
    expect(stdout).toMatch(/signature\s+FAILED/);
    expect(stdout).toMatch(/media sha256\s+ok/);
  });
});

describe("custody records checked by verifiers nobody here wrote", () => {
  it(
    "securesystemslib (python3-securesystemslib) verifies each record's DSSE signature with the public key, and rejects a changed payload",
    async () => {
      for (const recordingId of ["rec-a", "rec-b"]) {
        const file = await recordFile(recordingId);
        const run = spawnSync(PYTHON, [SECURESYSTEMSLIB_SCRIPT, file, publicKeyFile], {
          encoding: "utf8",
          timeout: INDEPENDENT_TIMEOUT_MS,
        });
        expect(run.stderr, "python3-securesystemslib is needed: apt-get install -y python3-securesystemslib").not.toMatch(
          /ModuleNotFoundError/,
        );
        expect(run.status, run.stderr).toBe(0);
        const answer = JSON.parse(run.stdout);
        expect(answer).toMatchObject({ verified: true, payloadType: "application/vnd.in-toto+json" });
        expect(answer.statement.subject[0].name).toBe(recordingKey(job.caseId, job.conversationId, recordingId, "WAV"));

        const envelope = JSON.parse(
          (await readObject(wire.client, custodyRecordKeyFor(answer.statement.subject[0].name))).toString("utf8"),
        );
        const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
        statement.predicate.requestedBy = "someone else";
        writeFileSync(file, JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString("base64") }));
        const tampered = spawnSync(PYTHON, [SECURESYSTEMSLIB_SCRIPT, file, publicKeyFile], {
          encoding: "utf8",
          timeout: INDEPENDENT_TIMEOUT_MS,
        });
        expect(tampered.status, tampered.stderr).toBe(1);
        expect(JSON.parse(tampered.stdout).verified).toBe(false);
      }
    },
    INDEPENDENT_TIMEOUT_MS,
  );

  it(
    "the README's openssl recipe verifies a record: PAE rebuilt with printf, signature checked with openssl dgst",
    async () => {
      const file = await recordFile("rec-a");
      const dir = mkdtempSync(join(tmpdir(), "custody-openssl-"));
      // The recipe from the README, with node standing in for jq so the test needs nothing more than openssl.
      const script = [
        "set -eu",
        `node -e 'const e=require(process.argv[1]);process.stdout.write(Buffer.from(e.payload,"base64"))' "$RECORD" > statement.json`,
        `node -e 'const e=require(process.argv[1]);process.stdout.write(Buffer.from(e.signatures[0].sig,"base64"))' "$RECORD" > sig.der`,
        `TYPE=application/vnd.in-toto+json`,
        `printf 'DSSEv1 %d %s %d ' "\${#TYPE}" "$TYPE" "$(wc -c < statement.json)" > pae.bin`,
        "cat statement.json >> pae.bin",
        `openssl dgst -sha256 -verify "$KEY" -signature sig.der pae.bin`,
      ].join("\n");
      const run = spawnSync("bash", ["-c", script], {
        cwd: dir,
        encoding: "utf8",
        timeout: INDEPENDENT_TIMEOUT_MS,
        env: { ...process.env, RECORD: file, KEY: publicKeyFile },
      });
      expect(run.stderr).toBe("");
      expect(run.stdout.trim()).toBe("Verified OK");
    },
    INDEPENDENT_TIMEOUT_MS,
  );
});
