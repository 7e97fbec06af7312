import type { CheckStatus } from "./checks";

/**
 * What verify says about one signed case record (not a recording's custody
 * record): a release record, a case-export record or an export job record.
 */

export type CaseRecordKind = "release" | "export" | "job";

export interface RecordCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface RecordReport {
  key: string;
  kind: CaseRecordKind;
  ok: boolean;
  checks: RecordCheck[];
}

export const recordReport = (key: string, kind: CaseRecordKind, checks: RecordCheck[]): RecordReport => ({
  key,
  kind,
  ok: checks.every((c) => c.status === "ok" || c.status === "n/a"),
  checks,
});
