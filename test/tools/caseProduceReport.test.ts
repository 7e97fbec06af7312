import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM_TIMEOUT_MS, findChromium, renderPdf, runChromium } from "../../tools/commands/caseProduction/chromium";
import { type ReportData, type ReportRow, renderReport } from "../../tools/commands/caseProduction/report";

/**
 * The custody report in a real browser (Debian's chromium, which .ci/run
 * installs): it renders, its table has one row per recording, the browser
 * logs no console error, and it prints to PDF.
 */

const folder = mkdtempSync(join(tmpdir(), "custody-report-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const HOSTILE = `</td><script>console.error("injected")</script><img src="x.png" onerror="console.error(1)">`;

function row(index: number, overrides: Partial<ReportRow> = {}): ReportRow {
  return {
    conversationId: `3f2a${index}c1e-8b4d-4e2a-9c1f-7d6e5b4a3c20`,
    recordingId: `rec-${index}`,
    mediaKey: `cases/MATTER-1/conversations/3f2a${index}c1e-8b4d-4e2a-9c1f-7d6e5b4a3c20/recordings/rec-${index}.wav`,
    durationSeconds: 61.5 * (index + 1),
    bytes: 1_000_000 + index,
    sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    collectedAt: "2026-11-28T14:03:22.118Z",
    requestedBy: "Legal Ops",
    versionId: `v-${index}`,
    legalHold: "ON",
    retainUntil: "2033-11-28T14:03:22.000Z",
    signature: "ok",
    recordFormat: "DSSE envelope",
    ok: true,
    ...overrides,
  };
}

function data(rows: ReportRow[], overrides: Partial<ReportData> = {}): ReportData {
  return {
    caseId: "MATTER-1",
    conversations: null,
    producedAt: "2026-12-01T20:15:00.000Z",
    producedBy: "Jane Reviewer",
    tool: "genesys-legal-hold-archive 0.1.0, npm run case:produce",
    bucket: "legal-hold-archive-prod",
    keyIds: ["arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f"],
    keySource: "AWS KMS GetPublicKey",
    spkiSha256: "5d0c1b6e0b7e8cdb7f6e1e7b9e3f8a2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a",
    rows,
    problems: [],
    fileCount: 2 * rows.length + 6,
    totalBytes: rows.reduce((sum, r) => sum + (r.bytes ?? 0), 0),
    ...overrides,
  };
}

function chromium(): string {
  const found = findChromium();
  if (!found)
    throw new Error("Chromium is needed for the report test: apt-get install -y chromium (.ci/run installs it), or set CHROMIUM_PATH");
  return found;
}

/** The page as Chromium built it, and the console messages it logged at error level. */
async function render(html: string, name: string) {
  const file = join(folder, `${name}.html`);
  writeFileSync(file, html);
  const { stdout, stderr } = await runChromium(chromium(), file, ["--dump-dom", "--enable-logging=stderr", "--v=0"]);
  // Chromium logs the page's console as `[…:INFO:CONSOLE:1] "message", source: …` (older releases: `CONSOLE(1)`).
  const consoleLines = stderr.split("\n").filter((line) => /:CONSOLE[:(]\d+\)?\]/u.test(line));
  return { dom: stdout, consoleLines };
}

const rowsIn = (dom: string) =>
  (dom.match(/<table class="recordings">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/u)?.[1] ?? "").match(/<tr[\s>]/gu)?.length ?? 0;

describe("the custody report in headless Chromium", () => {
  it(
    "renders with one table row per recording, every problem listed, and no console error",
    async () => {
      const rows = [row(0), row(1, { requestedBy: HOSTILE }), row(2, { ok: false, signature: "FAILED", durationSeconds: undefined })];
      const problems = [{ where: rows[2]?.mediaKey ?? "", check: "signature", status: "FAILED", detail: "no signature verifies" }];
      const { dom, consoleLines } = await render(renderReport(data(rows, { problems, caseId: "MATTER-1" })), "three");

      expect(consoleLines).toEqual([]);
      expect(rowsIn(dom)).toBe(3);
      expect(dom).toContain("<h1>Chain-of-custody report</h1>");
      expect(dom).toContain("1 problem(s) found, 1 recording(s) not verified");
      expect(dom).toMatch(
        /<li><code>cases\/MATTER-1\/[^<]*rec-2\.wav<\/code>: <strong>signature<\/strong> FAILED \(no signature verifies\)<\/li>/u,
      );
      // The hostile value is text in the page, not elements.
      expect(dom).not.toContain("<script>");
      expect(dom).not.toMatch(/<img/u);
      // Chromium serializes text escaping only & < >.
      expect(dom).toContain(HOSTILE.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;"));
      // Durations as m:ss; an unknown one says so.
      expect(dom).toContain(">1:02<");
      expect(dom).toContain(">2:03<");
      expect(dom).toContain('<span class="muted">unknown</span>');
    },
    CHROMIUM_TIMEOUT_MS,
  );

  it(
    "would see a console error: the same check catches one on a page that logs it",
    async () => {
      const html = renderReport(data([row(0)])).replace("</body>", '<script>console.error("control")</script></body>');
      const { consoleLines } = await render(html, "broken");
      expect(consoleLines.length).toBeGreaterThan(0);
    },
    CHROMIUM_TIMEOUT_MS,
  );

  it(
    "prints to PDF",
    async () => {
      const html = join(folder, "print.html");
      writeFileSync(html, renderReport(data([row(0), row(1)])));
      const pdf = join(folder, "report.pdf");
      await renderPdf(chromium(), html, pdf);
      expect(existsSync(pdf)).toBe(true);
      const bytes = readFileSync(pdf);
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(bytes.length).toBeGreaterThan(5_000);
    },
    CHROMIUM_TIMEOUT_MS,
  );

  it("is self-contained: inline style only, no script, link, image or external URL", () => {
    const html = renderReport(data([row(0)]));
    expect(html).toMatch(/<style>[\s\S]+<\/style>/u);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/u);
    expect(html.match(/https?:\/\/[^\s"<]+/gu) ?? []).toEqual([]);
  });
});
