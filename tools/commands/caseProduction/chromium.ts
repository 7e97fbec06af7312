import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Headless Chromium (Debian's `chromium` package) renders the custody report
 * to PDF. Each run gets a fresh profile folder and no network services, so
 * rendering is offline and leaves nothing behind.
 */

const NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];
/** Generous: a saturated 2-core machine starts Chromium slowly. */
export const CHROMIUM_TIMEOUT_MS = 120_000;

/** CHROMIUM_PATH, else the first Chromium on PATH; undefined when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH
    ? [env.CHROMIUM_PATH]
    : (env.PATH ?? "").split(delimiter).flatMap((dir) => NAMES.map((name) => join(dir, name)));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const headlessFlags = (profile: string) => [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--user-data-dir=${profile}`,
];

export interface ChromiumRun {
  stdout: string;
  stderr: string;
}

/** Runs Chromium headless on `file` with extra flags; rejects with Chromium's stderr when it fails. */
export async function runChromium(chromium: string, file: string, flags: string[]): Promise<ChromiumRun> {
  const profile = mkdtempSync(join(tmpdir(), "custody-report-chromium-"));
  try {
    return await new Promise((resolve, reject) => {
      execFile(
        chromium,
        [...headlessFlags(profile), ...flags, pathToFileURL(file).href],
        { timeout: CHROMIUM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (error)
            reject(
              new Error(
                `${chromium} failed: ${error.message.split("\n")[0]}${stderr ? `; ${stderr.trim().split("\n").slice(-3).join(" ")}` : ""}`,
              ),
            );
          else resolve({ stdout, stderr });
        },
      );
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Prints the HTML report to PDF (A4 landscape from its @page rule, without the browser's header and footer). */
export async function renderPdf(chromium: string, htmlFile: string, pdfFile: string): Promise<void> {
  await runChromium(chromium, htmlFile, [`--print-to-pdf=${pdfFile}`, "--no-pdf-header-footer"]);
}
