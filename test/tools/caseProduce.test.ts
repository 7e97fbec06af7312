import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main as produce } from "../../tools/commands/caseProduce";
import { wavDurationSeconds } from "../../tools/commands/caseProduction/wavDuration";

/** case:produce's command line, and the parts that need no archive; the production itself is in test/wire/caseProductionEndToEnd.test.ts. */

const root = mkdtempSync(join(tmpdir(), "case-produce-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string | undefined> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  let stdout = "";
  let stderr = "";
  try {
    const code = await produce(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe("npm run case:produce usage", () => {
  it.each([
    [["--case", "C", "--out", "x"], "--bucket is required"],
    [["--bucket", "b", "--out", "x"], "--case is required"],
    [["--bucket", "b", "--case", "C"], "--out is required"],
    [["--bucket", "b", "--case", "../etc", "--out", "x"], '--case "../etc" is not an id'],
    [["--bucket", "b", "--case", "C", "--out", "x", "--conversation", "a,b/c"], '--conversation "b/c" is not an id'],
    [["--bucket", "b", "--case", "C", "--out", "x", "--produced-by", " "], "--produced-by is empty"],
  ])("%j exits 2 naming the flag", async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
    expect(stderr).toContain("(see `npm run case:produce -- --help`)");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("refuses --pdf without a Chromium before touching the archive or the folder", async () => {
    const out = join(root, "no-chromium");
    const { code, stderr } = await run(["--bucket", "b", "--case", "C", "--out", out, "--pdf"], {
      CHROMIUM_PATH: join(root, "no-such-chromium"),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("--pdf needs Chromium (Debian: apt-get install -y chromium, or set CHROMIUM_PATH)");
    expect(() => rmSync(out)).toThrow(/ENOENT/);
  });

  it("refuses a folder that holds other files before asking the archive anything", async () => {
    const out = join(root, "busy");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "mine");
    // An endpoint nobody listens on: reaching S3 would fail differently.
    const { code, stderr } = await run(["--bucket", "b", "--case", "C", "--out", out], { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9" });
    expect(code).toBe(2);
    expect(stderr).toBe(`--out ${out} already holds files that are not a case package (notes.txt); give an empty or new folder\n`);
  });
});

describe("WAV duration for the report", () => {
  function wav(seconds: number, byteRate = 16_000, declared?: number): Buffer {
    const data = Buffer.alloc(Math.round(seconds * byteRate));
    const fmt = Buffer.alloc(24);
    fmt.write("fmt ", 0, "latin1");
    fmt.writeUInt32LE(16, 4);
    fmt.writeUInt16LE(1, 8); // PCM
    fmt.writeUInt16LE(1, 10); // mono
    fmt.writeUInt32LE(byteRate / 2, 12); // sample rate
    fmt.writeUInt32LE(byteRate, 16);
    fmt.writeUInt16LE(2, 20);
    fmt.writeUInt16LE(16, 22);
    const list = Buffer.concat([Buffer.from("LIST\x05\x00\x00\x00abcde\x00", "latin1")]);
    const dataHeader = Buffer.alloc(8);
    dataHeader.write("data", 0, "latin1");
    dataHeader.writeUInt32LE(declared ?? data.length, 4);
    const body = Buffer.concat([Buffer.from("WAVE", "latin1"), fmt, list, dataHeader, data]);
    const riff = Buffer.alloc(8);
    riff.write("RIFF", 0, "latin1");
    riff.writeUInt32LE(body.length, 4);
    return Buffer.concat([riff, body]);
  }

  it("reads the byte rate and data size, across other chunks (odd sizes padded)", () => {
    const file = wav(2.5);
    expect(wavDurationSeconds(file, file.length)).toBe(2.5);
  });

  it("bounds a streamed WAV's placeholder data size by the bytes present", () => {
    const file = wav(3, 8_000, 0xffffffff);
    expect(wavDurationSeconds(file, file.length)).toBe(3);
  });

  it("answers undefined for anything else, so the report says unknown", () => {
    expect(wavDurationSeconds(Buffer.from("ID3\x04 an mp3"), 12)).toBeUndefined();
    const noFmt = wav(1);
    noFmt.write("fmX ", 12, "latin1");
    expect(wavDurationSeconds(noFmt, noFmt.length)).toBeUndefined();
  });
});
