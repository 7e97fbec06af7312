import { createHash, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJsonBytes } from "../../lambda/custody/canonicalJson";
import { main } from "../../tools/commands/verify";
import { crc64nvme, crc64ToBase64 } from "../../tools/testkit/wire/crc64nvme";
import { type LocalS3, S3RVER_CREDENTIALS, startLocalS3 } from "../../tools/testkit/wire/s3";
import { buildManifest, type CustodyManifest } from "../support/legacyCustodyManifest";
import { runTool, TOOL_TIMEOUT_MS } from "../support/runTool";

const BUCKET = "legal-hold-archive";
const CASE = "CASE-2024-017";
const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/0f7c2d4e-1111-2222-3333-444455556666";
const RUNS = 50;

interface Recording {
  mediaKey: string;
  media: Buffer;
  manifestBytes: Buffer;
  signatureBytes: Buffer;
}

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A manifest as the worker builds it, with the real buildManifest. */
function manifestFor(key: string, media: Buffer, versionId: string, bucket = BUCKET): CustodyManifest {
  const [, caseId, , conversationId, , file] = key.split("/") as [string, string, string, string, string, string];
  const recordingId = file.replace(/\.[^.]+$/u, "");
  return buildManifest({
    job: { jobId: randomUUID(), caseId, conversationId, requestedAt: "2024-05-01T10:00:00.000Z", requestedBy: "counsel@example.com" },
    recordingId,
    source: { host: "api.mypurecloud.ie", path: `/recordings/${recordingId}/media` },
    formatId: "OPUS",
    contentType: "audio/ogg",
    bucket,
    key,
    stored: {
      versionId,
      sha256: sha256Hex(media),
      bytes: media.length,
      checksumCRC64NVME: crc64ToBase64(crc64nvme(media)),
      legalHold: "ON",
    },
    downloadStartedAt: new Date("2024-05-01T10:00:05.000Z"),
    storedAt: new Date("2024-05-01T10:00:09.000Z"),
    functionArn: "arn:aws:lambda:eu-west-1:111122223333:function:archive-worker",
    awsRequestId: randomUUID(),
    deletionProtection: { status: "applied" },
  });
}

/** The signature file: what KMS Sign (ECDSA_SHA_256, DIGEST) returns is the DER ECDSA node makes over the manifest bytes. */
function signatureFor(manifestKey: string, manifestBytes: Buffer, privateKey: KeyObject): Buffer {
  return canonicalJsonBytes({
    schemaVersion: 1,
    manifestKey,
    manifestSha256: sha256Hex(manifestBytes),
    algorithm: "ECDSA_SHA_256",
    messageType: "DIGEST",
    signingKeyArn: KEY_ARN,
    signature: sign("sha256", manifestBytes, privateKey).toString("base64"),
    signedAt: "2024-05-01T10:00:10.000Z",
  });
}

function makeRecording(key: string, media: Buffer, privateKey: KeyObject, versionId = randomBytes(24).toString("base64url")): Recording {
  const manifestBytes = canonicalJsonBytes(manifestFor(key, media, versionId));
  return { mediaKey: key, media, manifestBytes, signatureBytes: signatureFor(`${key}.custody.json`, manifestBytes, privateKey) };
}

function writeFile(dir: string, key: string, bytes: Buffer) {
  const path = join(dir, ...key.split("/"));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

function writeRecording(dir: string, recording: Recording) {
  writeFile(dir, recording.mediaKey, recording.media);
  writeFile(dir, `${recording.mediaKey}.custody.json`, recording.manifestBytes);
  writeFile(dir, `${recording.mediaKey}.custody.sig.json`, recording.signatureBytes);
}

const path = (dir: string, key: string) => join(dir, ...key.split("/"));

async function verify(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
  return { code, stdout, stderr };
}

const cli = (...args: string[]) => runTool("verify", args);

interface JsonReport {
  ok: boolean;
  recordings: Array<{ mediaKey: string; ok: boolean; checks: Array<{ name: string; status: string; detail: string }> }>;
}

const root = mkdtempSync(join(tmpdir(), "verify-test-"));
const fixture = join(root, "fixture");
const publicKeyFile = join(root, "signing-key.pub.pem");
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
let recordings: Recording[] = [];
let trial = 0;

beforeAll(() => {
  writeFileSync(publicKeyFile, publicKey.export({ type: "spki", format: "pem" }));
  recordings = [
    `cases/${CASE}/conversations/conv-aaaa-0001/recordings/rec-0001.opus`,
    `cases/${CASE}/conversations/conv-aaaa-0001/recordings/rec-0002.opus`,
    `cases/${CASE}/conversations/conv-bbbb-0002/recordings/rec-0003.opus`,
  ].map((key, index) => makeRecording(key, randomBytes(2000 + index * 777), privateKey));
  for (const recording of recordings) writeRecording(fixture, recording);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh copy of the fixture for one tamper trial. */
function copyOfFixture(): string {
  const dir = join(root, `trial-${trial++}`);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** Runs verify on a tampered copy and asserts exit 1 with the recording and the check named. */
async function expectDetected(dir: string, mediaKey: string, check: string) {
  try {
    const text = await verify("--local", dir, "--case", CASE, "--public-key", publicKeyFile);
    expect(text.code).toBe(1);
    const summary = text.stdout.trimEnd().split("\n").at(-1) ?? "";
    expect(summary).toMatch(/FAILED/u);
    expect(summary).toContain(mediaKey);
    expect(summary).toContain(check);
    const json = await verify("--local", dir, "--case", CASE, "--public-key", publicKeyFile, "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    const failed = report.recordings.find((r) => r.mediaKey === mediaKey);
    expect(failed?.ok).toBe(false);
    expect(failed?.checks.find((c) => c.name === check)?.status).toBe("FAILED");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every leaf of a JSON object, as a path of keys. */
function leaves(value: unknown, at: string[] = []): string[][] {
  if (typeof value !== "object" || value === null) return [at];
  return Object.keys(value).flatMap((key) => leaves((value as Record<string, unknown>)[key], [...at, key]));
}

function changed(value: unknown): unknown {
  if (typeof value === "string") return `${value}x`;
  if (typeof value === "number") return value + 1;
  if (typeof value === "boolean") return !value;
  return "x";
}

describe("npm run verify --local", () => {
  it("passes an intact case, every check green, S3-only checks n/a", async () => {
    const { code, stdout } = await verify("--local", fixture, "--case", CASE, "--public-key", publicKeyFile);
    expect(code).toBe(0);
    expect(stdout).toContain(`3 recording(s) in ${fixture}/cases/${CASE}/: 3 verified, 0 FAILED`);
    expect(stdout).not.toMatch(/FAILED {2}|UNKNOWN/u);
    expect(stdout).toContain("n/a (local copy)");
    const json = JSON.parse((await verify("--local", fixture, "--public-key", publicKeyFile, "--json")).stdout) as JsonReport;
    expect(json.ok).toBe(true);
    for (const recording of json.recordings) {
      for (const check of recording.checks) expect(["ok", "n/a"]).toContain(check.status);
    }
  });

  it(
    "runs as a CLI: exit 0 on the intact case, --conversation narrows it",
    () => {
      const result = cli("--local", fixture, "--case", CASE, "--conversation", "conv-bbbb-0002", "--public-key", publicKeyFile);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("1 recording(s)");
      expect(result.stdout).toContain("rec-0003.opus");
    },
    TOOL_TIMEOUT_MS,
  );

  it("detects a flipped media byte", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, offset, mask) => {
        const recording = recordings[which] as Recording;
        const dir = copyOfFixture();
        const media = Buffer.from(recording.media);
        const at = offset % media.length;
        media[at] = (media[at] as number) ^ mask;
        writeFile(dir, recording.mediaKey, media);
        await expectDetected(dir, recording.mediaKey, "media sha256");
      }),
      { numRuns: RUNS },
    );
  });

  it("detects any one manifest field changed (re-serialized canonically)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), async (which, pick) => {
        const recording = recordings[which] as Recording;
        const manifest = JSON.parse(recording.manifestBytes.toString("utf8")) as Record<string, unknown>;
        const paths = leaves(manifest);
        const field = paths[pick % paths.length] as string[];
        let parent = manifest;
        for (const key of field.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
        const last = field.at(-1) as string;
        parent[last] = changed(parent[last]);
        const dir = copyOfFixture();
        writeFile(dir, `${recording.mediaKey}.custody.json`, canonicalJsonBytes(manifest));
        await expectDetected(dir, recording.mediaKey, "signature");
      }),
      { numRuns: RUNS },
    );
  });

  it("detects a flipped signature byte", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, offset, mask) => {
        const recording = recordings[which] as Recording;
        const file = JSON.parse(recording.signatureBytes.toString("utf8")) as { signature: string };
        const der = Buffer.from(file.signature, "base64");
        const at = offset % der.length;
        der[at] = (der[at] as number) ^ mask;
        file.signature = der.toString("base64");
        const dir = copyOfFixture();
        writeFile(dir, `${recording.mediaKey}.custody.sig.json`, canonicalJsonBytes(file));
        await expectDetected(dir, recording.mediaKey, "signature");
      }),
      { numRuns: RUNS },
    );
  });

  it("detects two recordings' manifests and signatures swapped", async () => {
    const pairs = fc.tuple(fc.nat(2), fc.nat(2)).filter(([a, b]) => a !== b);
    await fc.assert(
      fc.asyncProperty(pairs, fc.boolean(), async ([a, b], withSignatures) => {
        const first = recordings[a] as Recording;
        const second = recordings[b] as Recording;
        const dir = copyOfFixture();
        writeFile(dir, `${first.mediaKey}.custody.json`, second.manifestBytes);
        writeFile(dir, `${second.mediaKey}.custody.json`, first.manifestBytes);
        if (withSignatures) {
          writeFile(dir, `${first.mediaKey}.custody.sig.json`, second.signatureBytes);
          writeFile(dir, `${second.mediaKey}.custody.sig.json`, first.signatureBytes);
        }
        // Both recordings are named, whichever check catches each first.
        const json = JSON.parse((await verify("--local", dir, "--public-key", publicKeyFile, "--json")).stdout) as JsonReport;
        for (const key of [first.mediaKey, second.mediaKey]) {
          const report = json.recordings.find((r) => r.mediaKey === key);
          expect(report?.checks.find((c) => c.name === "location")?.status).toBe("FAILED");
          expect(report?.checks.find((c) => c.name === (withSignatures ? "signature file" : "manifest digest"))?.status).toBe("FAILED");
        }
        await expectDetected(dir, first.mediaKey, "location");
      }),
      { numRuns: RUNS },
    );
  });

  it("detects an older manifest replayed with its own valid signature", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (which, olderMedia) => {
        const recording = recordings[which] as Recording;
        const older = makeRecording(recording.mediaKey, Buffer.from(olderMedia), privateKey);
        fc.pre(sha256Hex(older.media) !== sha256Hex(recording.media));
        const dir = copyOfFixture();
        writeFile(dir, `${recording.mediaKey}.custody.json`, older.manifestBytes);
        writeFile(dir, `${recording.mediaKey}.custody.sig.json`, older.signatureBytes);
        // The replayed pair is self-consistent and correctly signed: only the media betrays it.
        const json = JSON.parse((await verify("--local", dir, "--public-key", publicKeyFile, "--json")).stdout) as JsonReport;
        const report = json.recordings.find((r) => r.mediaKey === recording.mediaKey);
        expect(report?.checks.find((c) => c.name === "signature")?.status).toBe("ok");
        await expectDetected(dir, recording.mediaKey, "media sha256");
      }),
      { numRuns: RUNS },
    );
  });

  it("fails a recording whose manifest or signature is missing", async () => {
    const recording = recordings[1] as Recording;
    let dir = copyOfFixture();
    unlinkSync(path(dir, `${recording.mediaKey}.custody.json`));
    await expectDetected(dir, recording.mediaKey, "manifest");
    dir = copyOfFixture();
    unlinkSync(path(dir, `${recording.mediaKey}.custody.sig.json`));
    await expectDetected(dir, recording.mediaKey, "signature file");
    dir = copyOfFixture();
    unlinkSync(path(dir, recording.mediaKey));
    await expectDetected(dir, recording.mediaKey, "media present");
  });

  it("fails a signature made with another key", async () => {
    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
    const recording = recordings[2] as Recording;
    const dir = copyOfFixture();
    writeFile(
      dir,
      `${recording.mediaKey}.custody.sig.json`,
      signatureFor(`${recording.mediaKey}.custody.json`, recording.manifestBytes, other),
    );
    await expectDetected(dir, recording.mediaKey, "signature");
  });

  it("hints that the key may be the wrong one when no signature verifies", async () => {
    const otherKey = join(root, "other-signing-key.pub.pem");
    writeFileSync(otherKey, generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }));
    const wrong = await verify("--local", fixture, "--public-key", otherKey);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`no signature verified: --public-key ${otherKey} may not be the key these manifests were signed with`);

    const recording = recordings[2] as Recording;
    const dir = copyOfFixture();
    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
    writeFile(
      dir,
      `${recording.mediaKey}.custody.sig.json`,
      signatureFor(`${recording.mediaKey}.custody.json`, recording.manifestBytes, other),
    );
    const oneBad = await verify("--local", dir, "--public-key", publicKeyFile);
    expect(oneBad.code).toBe(1);
    expect(oneBad.stderr).not.toContain("may not be the key");
  });

  it("writes progress to stderr when there are many recordings", async () => {
    const dir = join(root, "many");
    for (let i = 0; i < 12; i++) {
      writeRecording(dir, makeRecording(`cases/${CASE}/conversations/conv-many/recordings/r${i}.opus`, randomBytes(64), privateKey));
    }
    const { code, stderr } = await verify("--local", dir, "--case", CASE, "--public-key", publicKeyFile);
    expect(code).toBe(0);
    expect(stderr).toContain("verified 10/12");
    expect(stderr).toContain("verified 12/12");
  });
});

describe("bad usage and unreadable input exit 2", () => {
  it.each([
    [[], "give exactly one of --bucket, --local or --package"],
    [["--bucket", BUCKET, "--local", "x", "--case", CASE], "give exactly one of --bucket, --local or --package"],
    [["--package", "x", "--local", "y"], "give exactly one of --bucket, --local or --package"],
    [["--package", "x", "--case", CASE], "--package takes no --case"],
    [["--bucket", BUCKET], "--bucket needs --case"],
    [["--local", "x", "--conversation", "c"], "--conversation needs --case"],
    [["--local", "x", "--case", "../etc"], "is not an id"],
    [["--local", "x", "--frobnicate"], "frobnicate"],
  ])("%j", async (args, message) => {
    const { code, stderr } = await verify(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain("(see `npm run verify -- --help`)");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("names the missing folder, public key or case", async () => {
    let result = await verify("--local", join(root, "nope"), "--public-key", publicKeyFile);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read --local ${join(root, "nope")}`);
    result = await verify("--local", fixture);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--local needs --public-key");
    result = await verify("--local", fixture, "--public-key", join(root, "nope.pem"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read --public-key");
    const notAKey = join(root, "not-a-key.pem");
    writeFileSync(notAKey, "hello");
    result = await verify("--local", fixture, "--public-key", notAKey);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("not a usable PEM public key");
    expect(result.stderr).toContain("needs the signing key's EC P-256 public key");
    result = await verify("--local", fixture, "--case", "NO-SUCH-CASE", "--public-key", publicKeyFile);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no recordings under");
  });

  it.each([
    [
      "an EC P-384 public key",
      () => generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "pem" }),
    ],
    [
      "an RSA 2048-bit public key",
      () => generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }),
    ],
    ["a private key", () => privateKey.export({ type: "pkcs8", format: "pem" })],
    ["a private key", () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "sec1", format: "pem" })],
  ])("refuses a --public-key that is %s, saying what is needed", async (given, pem) => {
    const file = join(root, `wrong-key-${trial++}.pem`);
    writeFileSync(file, pem());
    const { code, stdout, stderr } = await verify("--local", fixture, "--public-key", file);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `--public-key ${file} is ${given}; verify needs the signing key's EC P-256 public key in PEM (\`aws kms get-public-key\`, or the key handed to reviewers)${given === "a private key" ? ", never the private key" : ""}\n`,
    );
  });

  it(
    "exits 2 from the CLI",
    () => {
      const result = cli("--bucket", BUCKET);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--bucket needs --case");
    },
    TOOL_TIMEOUT_MS,
  );
});

describe("npm run verify --bucket (s3rver behind the Object Lock proxy)", () => {
  let s3: LocalS3;
  const saved = { ...process.env };
  const held = `cases/${CASE}/conversations/conv-s3-0001/recordings/rec-held.opus`;
  const unheld = `cases/${CASE}/conversations/conv-s3-0001/recordings/rec-unheld.opus`;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: [{ name: BUCKET, objectLock: true }], parentDirectory: root });
    const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: "us-east-1", credentials: S3RVER_CREDENTIALS });
    for (const [key, hold] of [
      [held, "ON"],
      [unheld, undefined],
    ] as const) {
      const media = randomBytes(5000);
      const put = await client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: media, ChecksumAlgorithm: "CRC64NVME", ObjectLockLegalHoldStatus: hold }),
      );
      const manifestBytes = canonicalJsonBytes(manifestFor(key, media, put.VersionId as string));
      for (const [suffix, body] of [
        [".custody.json", manifestBytes],
        [".custody.sig.json", signatureFor(`${key}.custody.json`, manifestBytes, privateKey)],
      ] as const) {
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key + suffix, Body: body, ChecksumAlgorithm: "CRC64NVME" }));
      }
    }
    client.destroy();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: "us-east-1",
    });
  });

  afterAll(async () => {
    process.env = saved;
    await s3?.close();
  });

  it("checks version, CRC64NVME, legal hold and retention against S3", async () => {
    const { code, stdout } = await verify("--bucket", BUCKET, "--case", CASE, "--public-key", publicKeyFile, "--json");
    const report = JSON.parse(stdout) as JsonReport;
    const status = (key: string, check: string) => report.recordings.find((r) => r.mediaKey === key)?.checks.find((c) => c.name === check);
    for (const check of [
      "media present",
      "manifest",
      "location",
      "media bytes",
      "media sha256",
      "signature file",
      "manifest digest",
      "signature",
    ]) {
      expect(status(held, check)?.status, check).toBe("ok");
    }
    expect(status(held, "S3 version")?.status).toBe("ok");
    expect(status(held, "S3 checksum")?.status).toBe("ok");
    expect(status(held, "legal hold")?.status).toBe("ok");
    expect(status(held, "retention")?.status).toBe("ok");
    expect(status(unheld, "legal hold")?.status).toBe("FAILED");
    expect(code).toBe(1);
  });

  it("names an unreadable bucket", async () => {
    const { code, stderr } = await verify("--bucket", "no-such-bucket", "--case", CASE, "--public-key", publicKeyFile);
    expect(code).toBe(2);
    expect(stderr).toContain("cannot list s3://no-such-bucket/");
  });
});
