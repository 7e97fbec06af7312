import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { custodyRecordKeyFor, recordingKey } from "../../lambda/worker/exportConversation";
import { main as produce } from "../../tools/commands/caseProduce";
import { partialPathFor } from "../../tools/commands/caseProduction/download";
import { MANIFEST_FILE, type PackageManifest, SUMS_FILE } from "../../tools/commands/caseProduction/packageLayout";
import { main as verify } from "../../tools/commands/verify";
import { WIRE_BUCKET, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { storeLegacyRecording } from "../support/wire/legacyRecord";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * End to end: the real worker archives a case through the wire (fake Genesys,
 * S3 behind the Object Lock proxy, fake KMS), `case:produce` produces it as a
 * package with the public key from KMS GetPublicKey, and `verify --package`
 * checks the package with no AWS at all; a changed byte in any file of the
 * package is detected and the file named.
 */

const TIMEOUT_MS = 240_000;
const CASE = "MATTER-PRODUCE";
/** From outside: the report must show it as text, never as markup. */
const REQUESTED_BY = `Counsel <b>O'Brien</b> & "Partners"`;
const first = exportJob({ caseId: CASE, requestedBy: REQUESTED_BY });
const second = exportJob({ caseId: CASE });
const other = exportJob({ caseId: "MATTER-OTHER" });
/** Archived by an earlier release: a manifest and a signature file instead of an envelope. */
const legacy = exportJob({ caseId: CASE });
const LEGACY_SECONDS = 1.5;

let wire: WireEnvironment;
let handler: WorkerHandler;
let root: string;
let packageDir: string;
let produced: { code: number; stdout: string; stderr: string };
/** What the production asked S3 and KMS for. */
let productionCalls: { s3: { method: string; operation: string }[]; kmsSigns: number };

async function run(command: typeof verify, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => ({ write: (text: string) => into.push(text) });
  const code = await command(args, sink(out), sink(err));
  return { code, stdout: out.join(""), stderr: err.join("") };
}

function packageFiles(folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else files.push(relative(folder, join(dir, entry.name)).split(sep).join("/"));
    }
  };
  walk(folder);
  return files.sort();
}

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
  wire.genesys.addConversation({
    id: first.conversationId,
    recordings: [
      { id: "rec-a", bytes: 90_000 },
      { id: "rec-b", bytes: 700_000 },
    ],
  });
  wire.genesys.addConversation({ id: second.conversationId, recordings: [{ id: "rec-c", bytes: 40_000 }] });
  wire.genesys.addConversation({ id: other.conversationId, recordings: [{ id: "rec-z", bytes: 10_000 }] });
  const outcome = await invokeWorker(handler, [sqsRecord(first, "msg-1"), sqsRecord(second, "msg-2"), sqsRecord(other, "msg-3")]);
  expect(outcome.response).toEqual({ batchItemFailures: [] });
  await storeLegacyRecording(wire, legacy, "rec-old", wavBytes());
  root = mkdtempSync(join(tmpdir(), "case-production-"));
  packageDir = join(root, "package");
  const s3Before = wire.s3.proxy.requests.length;
  const signsBefore = wire.kms.requests.length;
  produced = await run(produce, "--bucket", WIRE_BUCKET, "--case", CASE, "--out", packageDir, "--produced-by", "Jane Reviewer", "--pdf");
  productionCalls = { s3: wire.s3.proxy.requests.slice(s3Before), kmsSigns: wire.kms.requests.length - signsBefore };
}, TIMEOUT_MS);

/** A 16-bit mono PCM WAV of LEGACY_SECONDS at 4 kHz, so the report can show its duration. */
function wavBytes(): Buffer {
  const rate = 4000;
  const data = Buffer.alloc(LEGACY_SECONDS * rate * 2, 7);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

afterAll(async () => {
  await stopWorkerOnWire(wire);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("npm run case:produce on what the worker archived", () => {
  it("downloads every recording and custody record of the case, the key from KMS, and verifies them all", () => {
    expect(produced.stderr).not.toMatch(/FAILED|UNKNOWN/);
    expect(produced.code).toBe(0);
    expect(produced.stdout).toContain("4 recording(s)");
    expect(produced.stdout).toContain("4 verified, 0 with problems");
    const files = packageFiles(packageDir);
    for (const [job, id] of [
      [first, "rec-a"],
      [first, "rec-b"],
      [second, "rec-c"],
    ] as const) {
      const key = recordingKey(CASE, job.conversationId, id, "WAV");
      expect(files).toContain(`archive/${key}`);
      expect(files).toContain(`archive/${custodyRecordKeyFor(key)}`);
    }
    const old = recordingKey(CASE, legacy.conversationId, "rec-old", "WAV");
    expect(files).toEqual(expect.arrayContaining([`archive/${old}`, `archive/${old}.custody.json`, `archive/${old}.custody.sig.json`]));
    expect(files.some((file) => file.includes("MATTER-OTHER"))).toBe(false);
    expect(files).toEqual(
      expect.arrayContaining(["signing-key.pem", "verification.json", "report.html", "report.pdf", MANIFEST_FILE, SUMS_FILE]),
    );
    expect(readFileSync(join(packageDir, "signing-key.pem"), "utf8")).toBe(wire.kms.publicKeyPem);
    expect(readFileSync(join(packageDir, "report.pdf")).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("only reads: every S3 request is a GET or HEAD, and nothing is signed", () => {
    expect(productionCalls.s3.length).toBeGreaterThan(0);
    expect(productionCalls.s3.filter((r) => r.method !== "GET" && r.method !== "HEAD")).toEqual([]);
    // The proxy files the bucket listing under "Other"; the method check above already rules out any write.
    expect(new Set(productionCalls.s3.map((r) => r.operation))).toEqual(
      new Set(["Other", "HeadObject", "GetObject", "GetObjectLegalHold", "GetObjectRetention"]),
    );
    expect(productionCalls.kmsSigns).toBe(0);
  });

  it("writes a manifest of every other file (size, SHA-256) and SHA256SUMS of all of them, which sha256sum -c accepts", () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, MANIFEST_FILE), "utf8")) as PackageManifest;
    const files = packageFiles(packageDir);
    expect(manifest.files.map((f) => f.path)).toEqual(files.filter((f) => f !== MANIFEST_FILE && f !== SUMS_FILE));
    for (const file of manifest.files) {
      const bytes = readFileSync(join(packageDir, ...file.path.split("/")));
      expect(file).toEqual({ path: file.path, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    }
    expect(manifest).toMatchObject({ caseId: CASE, bucket: WIRE_BUCKET, producedBy: "Jane Reviewer", conversations: null });
    expect(manifest.signingKey.keyIds).toEqual([wire.kms.keyArn]);
    const check = spawnSync("sha256sum", ["-c", SUMS_FILE], { cwd: packageDir, encoding: "utf8", timeout: TIMEOUT_MS });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout.trim().split("\n")).toHaveLength(files.length - 1);
  });

  it("reports each recording with what its custody record and S3 say, every value escaped", () => {
    const html = readFileSync(join(packageDir, "report.html"), "utf8");
    expect(html.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr/g)).toHaveLength(4);
    // The older record's row, with the duration read from its WAV header.
    expect(html).toMatch(
      /<code>rec-old<\/code><br><span class="muted">manifest \+ signature file<\/span><\/td>\s*<td class="num">0:02<\/td>/,
    );
    expect(html).toContain("Counsel &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; &quot;Partners&quot;");
    expect(html).not.toContain("<b>O'Brien</b>");
    for (const id of ["rec-a", "rec-b", "rec-c"]) expect(html).toContain(`<code>${id}</code>`);
    const [version] = wire.s3.proxy.versions(WIRE_BUCKET, recordingKey(CASE, first.conversationId, "rec-a", "WAV"));
    expect(html).toContain(version?.versionId);
    expect(html).toContain("All recordings verified");
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/[^"<\s]*\.(css|js|png)/);
  });

  it(
    "the report's own re-verification steps pass on the package with standard tools: sha256sum, openssl over the DSSE PAE, securesystemslib",
    () => {
      const html = readFileSync(join(packageDir, "report.html"), "utf8");
      const unescapeHtml = (text: string) =>
        text
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&");
      const blocks = [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((m) => unescapeHtml(m[1] as string));
      const sums = blocks.find((b) => b.includes("sha256sum -c"));
      const openssl = blocks.find((b) => b.includes("openssl dgst") && b.includes("pae.bin"));
      const python = blocks.find((b) => b.includes("securesystemslib"));
      const older = blocks.find((b) => b.includes(".custody.sig.json"));
      const fingerprint = blocks.find((b) => b.includes("openssl pkey"));
      expect([sums, openssl, python, fingerprint, older].every(Boolean)).toBe(true);
      const shell = (script: string, env: Record<string, string> = {}) =>
        spawnSync("bash", ["-c", `set -euo pipefail\n${script}`], {
          cwd: packageDir,
          encoding: "utf8",
          timeout: TIMEOUT_MS,
          env: { ...process.env, PATH: `/usr/bin:${process.env.PATH}`, ...env },
        });

      const checked = shell((sums as string).replace("cd <package folder>\n", ""));
      expect(checked.status, checked.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(packageDir, MANIFEST_FILE), "utf8")) as PackageManifest;
      expect(shell(fingerprint as string).stdout).toContain(manifest.signingKey.spkiSha256);

      const scratch = mkdtempSync(join(root, "recipe-"));
      for (const { mediaKey } of manifest.recordings) {
        if (mediaKey.includes("/rec-old.")) {
          const recipe = (older as string).replaceAll(" signing-key.pem", ` ${join(packageDir, "signing-key.pem")}`);
          const run = spawnSync("bash", ["-c", `set -euo pipefail\n${recipe}`], {
            cwd: scratch,
            encoding: "utf8",
            timeout: TIMEOUT_MS,
            env: { ...process.env, REC: join(packageDir, "archive", mediaKey) },
          });
          expect(run.stdout, run.stderr).toContain("Verified OK");
          continue;
        }
        // The recipe names one recording; run it on each, from a scratch folder so the package stays as produced.
        const recipe = (openssl as string)
          .replace(/^REC=.*$/m, `REC='${join(packageDir, "archive", mediaKey)}'`)
          .replaceAll(" signing-key.pem", ` ${join(packageDir, "signing-key.pem")}`);
        const run = spawnSync("bash", ["-c", `set -euo pipefail\n${recipe}`], { cwd: scratch, encoding: "utf8", timeout: TIMEOUT_MS });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toContain("Verified OK");
        const [signed, computed] = run.stdout
          .split("\n")
          .filter((line) => /^[0-9a-f]{64}\b/.test(line))
          .map((line) => line.slice(0, 64));
        expect(signed).toBe(computed);

        const py = spawnSync("bash", ["-c", (python as string).replace(/^python3 /, "/usr/bin/python3 ")], {
          cwd: packageDir,
          encoding: "utf8",
          timeout: TIMEOUT_MS,
          env: { ...process.env, REC: join("archive", mediaKey) },
        });
        expect(py.status, py.stderr).toBe(0);
        expect(py.stdout).toContain(`'name': '${mediaKey}'`);
      }
    },
    TIMEOUT_MS,
  );

  it("verify --package checks the package offline: every file, then every recording", async () => {
    const result = await run(verify, "--package", packageDir);
    expect(result.stdout).toContain("every file matches manifest.json and SHA256SUMS");
    expect(result.stdout).toContain("4 verified, 0 FAILED");
    expect(result.code).toBe(0);
  });

  it(
    "names the file when any single byte of any file in the package is changed",
    async () => {
      for (const file of packageFiles(packageDir)) {
        const path = join(packageDir, ...file.split("/"));
        const size = statSync(path).size;
        for (const offset of new Set([0, Math.floor(size / 2), size - 1])) {
          const original = readFileSync(path);
          const changed = Buffer.from(original);
          changed[offset] = (changed[offset] as number) ^ 0x01;
          writeFileSync(path, changed);
          try {
            const result = await run(verify, "--package", packageDir);
            expect(result.code, `${file} byte ${offset}`).toBe(1);
            expect(result.stdout, `${file} byte ${offset}`).toMatch(
              new RegExp(`FILE FAILED  ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:|: its (line|entry) for ${file}`),
            );
          } finally {
            writeFileSync(path, original);
          }
        }
      }
      expect((await run(verify, "--package", packageDir)).code).toBe(0);
    },
    TIMEOUT_MS,
  );

  it("names a file added to or removed from the package", async () => {
    const extra = join(packageDir, "archive", "note.txt");
    writeFileSync(extra, "added later");
    let result = await run(verify, "--package", packageDir);
    rmSync(extra);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FILE FAILED  archive/note.txt: not part of the package");

    const key = recordingKey(CASE, second.conversationId, "rec-c", "WAV");
    const record = join(packageDir, "archive", ...custodyRecordKeyFor(key).split("/"));
    const bytes = readFileSync(record);
    rmSync(record);
    result = await run(verify, "--package", packageDir);
    writeFileSync(record, bytes);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FILE FAILED  archive/${custodyRecordKeyFor(key)}: missing`);
  });

  it(
    "re-running keeps what is complete and verified, re-downloads a damaged file and resumes a partial one with a Range request",
    async () => {
      const keyA = recordingKey(CASE, first.conversationId, "rec-a", "WAV");
      const keyB = recordingKey(CASE, first.conversationId, "rec-b", "WAV");
      const fileA = join(packageDir, "archive", ...keyA.split("/"));
      const fileB = join(packageDir, "archive", ...keyB.split("/"));
      const damaged = readFileSync(fileA);
      damaged[10] = (damaged[10] as number) ^ 0xff;
      writeFileSync(fileA, damaged);
      const whole = readFileSync(fileB);
      const [versionB] = wire.s3.proxy.versions(WIRE_BUCKET, keyB);
      rmSync(fileB);
      writeFileSync(partialPathFor(fileB, versionB?.versionId ?? null), whole.subarray(0, 300_000));
      const before = wire.s3.proxy.requests.length;

      const again = await run(produce, "--bucket", WIRE_BUCKET, "--case", CASE, "--out", packageDir, "--produced-by", "Jane Reviewer");

      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("(2 downloaded, 7 kept from an earlier run)");
      const gets = wire.s3.proxy.requests.slice(before).filter((r) => r.operation === "GetObject");
      expect(gets.map((r) => r.key).sort()).toEqual([keyA, keyB].sort());
      expect(gets.find((r) => r.key === keyB)?.headers.range).toBe("bytes=300000-");
      expect(readFileSync(fileB).equals(whole)).toBe(true);
      expect(existsSync(join(packageDir, "report.pdf"))).toBe(false);
      expect((await run(verify, "--package", packageDir)).code).toBe(0);
    },
    TIMEOUT_MS,
  );

  it("refuses to overwrite a different package, or a folder that holds other files, with exit 2", async () => {
    const result = await run(produce, "--bucket", WIRE_BUCKET, "--case", "MATTER-OTHER", "--out", packageDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`holds the package of case ${CASE} from s3://${WIRE_BUCKET}, not of case MATTER-OTHER`);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);

    const partial = await run(
      produce,
      "--bucket",
      WIRE_BUCKET,
      "--case",
      CASE,
      "--conversation",
      second.conversationId,
      "--out",
      packageDir,
    );
    expect(partial.code).toBe(2);

    const elsewhere = join(root, "not-a-package");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "thesis.docx"), "mine");
    const refused = await run(produce, "--bucket", WIRE_BUCKET, "--case", CASE, "--out", elsewhere);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already holds files that are not a case package (thesis.docx)");
    expect(readdirSync(elsewhere)).toEqual(["thesis.docx"]);
  });

  it("still produces a package with problems, exits 1, and lists every problem in the report and offline", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const otherKey = join(root, "other.pem");
    writeFileSync(otherKey, generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "pem", type: "spki" }));
    const out = join(root, "wrong-key");
    const result = await run(produce, "--bucket", WIRE_BUCKET, "--case", CASE, "--out", out, "--public-key", otherKey);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("0 verified, 4 with problems");
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("4 problem(s) found, 4 recording(s) not verified");
    expect(html.match(/<strong>signature<\/strong> FAILED/g)).toHaveLength(4);

    const offline = await run(verify, "--package", out, "--json");
    expect(offline.code).toBe(1);
    const report = JSON.parse(offline.stdout) as { ok: boolean; fileProblems: unknown[]; summary: { failed: number } };
    expect(report).toMatchObject({ ok: false, fileProblems: [], summary: { failed: 4 } });
  });

  it("verify --package --json names a changed file", async () => {
    const path = join(packageDir, "verification.json");
    const original = readFileSync(path);
    writeFileSync(path, Buffer.concat([original, Buffer.from(" ")]));
    try {
      const result = await run(verify, "--package", packageDir, "--json");
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, fileProblems: [{ file: "verification.json" }] });
    } finally {
      writeFileSync(path, original);
    }
  });

  it("produces only the conversations asked for", async () => {
    const out = join(root, "one-conversation");
    const result = await run(produce, "--bucket", WIRE_BUCKET, "--case", CASE, "--conversation", second.conversationId, "--out", out);
    expect(result.code, result.stderr).toBe(0);
    expect(packageFiles(out).filter((file) => file.startsWith("archive/"))).toEqual([
      `archive/${recordingKey(CASE, second.conversationId, "rec-c", "WAV")}`,
      `archive/${custodyRecordKeyFor(recordingKey(CASE, second.conversationId, "rec-c", "WAV"))}`,
    ]);
    expect((await run(verify, "--package", out)).code).toBe(0);
  });
});
