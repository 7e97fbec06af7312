import type { RecordingReport } from "./checks";

export interface VerifyReport {
  source: string;
  prefix: string;
  recordings: RecordingReport[];
}

export function summaryLine(report: VerifyReport): string {
  const failed = report.recordings.filter((r) => !r.ok);
  const head = `${report.recordings.length} recording(s) in ${report.source}/${report.prefix}: ${report.recordings.length - failed.length} verified, ${failed.length} FAILED`;
  if (failed.length === 0) return head;
  const which = failed.map((r) => {
    const names = r.checks.filter((c) => c.status === "FAILED" || c.status === "UNKNOWN").map((c) => c.name);
    return `${r.mediaKey} (${names.join(", ")})`;
  });
  return `${head}: ${which.join("; ")}`;
}

export function renderText(report: VerifyReport): string {
  const width = Math.max(...report.recordings.flatMap((r) => r.checks.map((c) => c.name.length)), 5);
  const lines: string[] = [];
  for (const recording of report.recordings) {
    lines.push(`${recording.ok ? "ok    " : "FAILED"}  ${recording.mediaKey}`);
    for (const check of recording.checks) {
      const result = check.status === "n/a" ? check.detail : `${check.status.padEnd(7)}${check.detail && `  ${check.detail}`}`;
      lines.push(`    ${check.name.padEnd(width)}  ${result}`.trimEnd());
    }
    lines.push("");
  }
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: VerifyReport): string {
  const failed = report.recordings.filter((r) => !r.ok).length;
  return `${JSON.stringify(
    {
      source: report.source,
      prefix: report.prefix,
      ok: failed === 0,
      summary: { recordings: report.recordings.length, verified: report.recordings.length - failed, failed },
      recordings: report.recordings,
    },
    null,
    2,
  )}\n`;
}
