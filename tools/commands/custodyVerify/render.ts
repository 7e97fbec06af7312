import type { RecordingReport } from "./checks";
import type { RecordReport } from "./recordReport";

export interface VerifyReport {
  source: string;
  prefix: string;
  recordings: RecordingReport[];
  /** The case's signed release, case-export and job records; absent where none are checked (a package). */
  records?: RecordReport[];
}

type Item = { key: string; label: string; ok: boolean; checks: { name: string; status: string; detail: string }[] };

const items = (report: VerifyReport): Item[] => [
  ...report.recordings.map((r) => ({ key: r.mediaKey, label: r.mediaKey, ok: r.ok, checks: r.checks })),
  ...(report.records ?? []).map((r) => ({ key: r.key, label: `${r.key} (${r.kind} record)`, ok: r.ok, checks: r.checks })),
];

const failedNames = (item: Item) =>
  `${item.key} (${item.checks
    .filter((c) => c.status === "FAILED" || c.status === "UNKNOWN")
    .map((c) => c.name)
    .join(", ")})`;

export function summaryLine(report: VerifyReport): string {
  const failed = report.recordings.filter((r) => !r.ok);
  let head = `${report.recordings.length} recording(s) in ${report.source}/${report.prefix}: ${report.recordings.length - failed.length} verified, ${failed.length} FAILED`;
  const records = report.records ?? [];
  const failedRecords = records.filter((r) => !r.ok);
  if (records.length > 0)
    head += `; ${records.length} case record(s): ${records.length - failedRecords.length} verified, ${failedRecords.length} FAILED`;
  const which = items(report)
    .filter((i) => !i.ok)
    .map(failedNames);
  return which.length === 0 ? head : `${head}: ${which.join("; ")}`;
}

export function renderText(report: VerifyReport): string {
  const all = items(report);
  const width = Math.max(...all.flatMap((r) => r.checks.map((c) => c.name.length)), 5);
  const lines: string[] = [];
  for (const item of all) {
    lines.push(`${item.ok ? "ok    " : "FAILED"}  ${item.label}`);
    for (const check of item.checks) {
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
  const records = report.records;
  const failedRecords = (records ?? []).filter((r) => !r.ok).length;
  return `${JSON.stringify(
    {
      source: report.source,
      prefix: report.prefix,
      ok: failed === 0 && failedRecords === 0,
      summary: {
        recordings: report.recordings.length,
        verified: report.recordings.length - failed,
        failed,
        ...(records ? { records: records.length, recordsVerified: records.length - failedRecords, recordsFailed: failedRecords } : {}),
      },
      recordings: report.recordings,
      ...(records ? { records } : {}),
    },
    null,
    2,
  )}\n`;
}
