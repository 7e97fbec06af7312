// `npm run case:status`: reconciles a case exported with case:export: the
// conversations its export records expect, the recordings the archive sealed,
// Genesys' job counts and failed recordings, and what still waits in the
// landing bucket; every gap is named. Reads only.
// Exit 0: complete; 1: gaps (listed); 2: bad usage or the function refused.

import type { CaseGap, CaseStatusAnswer } from "../../lambda/caseExport/caseStatus";
import { type CaseExportInvoker, FUNCTION_OPTION, invokeCaseExportFunction, invokeCaseOperation } from "./caseExportInvoker";
import { type CommandSpec, UsageError } from "./cliArgs";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const CASE_STATUS: CommandSpec = {
  name: "case:status",
  summary:
    "Reconciles a case exported with case:export: expected conversations vs sealed recordings vs Genesys' job counts vs landing objects not yet sealed, naming every gap. Reads only.",
  options: {
    case: { type: "string", value: "CASE", description: "The legal matter id." },
    function: FUNCTION_OPTION,
    json: { type: "boolean", default: false, description: "Print the function's answer as JSON." },
  },
  exitCodes: "0 complete, 1 gaps (listed), 2 bad usage or the function refused",
};

export function describeGap(gap: CaseGap): string {
  switch (gap.kind) {
    case "no-export":
      return gap.detail;
    case "job-queued":
      return `job ${gap.jobNumber} of export ${gap.exportId} (${gap.conversations} conversations) was never created: run case:export again with the same flags`;
    case "job-running":
      if (gap.state === "READY")
        return `Genesys job ${gap.genesysJobId} was created but not started (no free Genesys job slot): run case:export again with the same flags`;
      return `Genesys job ${gap.genesysJobId} is ${gap.state}${gap.percentProgress === null ? "" : ` (${gap.percentProgress}%)`}`;
    case "job-failed":
      return `Genesys job ${gap.genesysJobId} ended ${gap.state}${gap.errorMessage ? `: ${gap.errorMessage}` : ""}`;
    case "failed-recording":
      return `Genesys failed to export recording ${gap.recordingId ?? "?"} of conversation ${gap.conversationId ?? "?"} (job ${gap.genesysJobId})`;
    case "routing-missing":
      return `conversation ${gap.conversationId} has no routing object (${gap.key}): the sealer cannot file its recordings under the case`;
    case "landing-waiting":
      return `landing object not sealed yet: ${gap.key}`;
    case "not-sealed":
      return `conversation ${gap.conversationId} has no sealed recording`;
    case "recordings-missing":
      return `Genesys job ${gap.genesysJobId} exported ${gap.expected} recording(s), the archive sealed ${gap.sealed}`;
  }
}

export function describeStatus(answer: CaseStatusAnswer): string {
  const lines = [
    `case ${answer.caseId}: ${answer.complete ? "complete" : `${answer.gaps.length} gap(s)`}`,
    `  exports: ${answer.exports.length}, conversations expected: ${answer.expectedConversations}, sealed: ${answer.sealedConversations} (${answer.sealedRecordings} recording(s))`,
    `  Genesys: ${answer.genesys.jobs} job(s), ${answer.genesys.totalRecordings} recording(s), ${answer.genesys.processedRecordings} processed, ${answer.genesys.failedRecordings} failed, ${answer.genesys.skippedRecordings} skipped`,
    ...answer.gaps.map((gap) => `  - ${describeGap(gap)}`),
  ];
  return `${lines.join("\n")}\n`;
}

export function main(
  argv: string[],
  out: Writable = process.stdout,
  err: Writable = process.stderr,
  invoke: CaseExportInvoker = invokeCaseExportFunction,
): Promise<number> {
  return runCommand(CASE_STATUS, argv, { out, err }, async (values) => {
    if (typeof values.case !== "string" || values.case.trim() === "") throw new UsageError("--case is required");
    const event = { operation: "status", caseId: values.case };
    const answer = await invokeCaseOperation<CaseStatusAnswer>(values, event, { out, err, invoke }, describeStatus);
    return answer.complete ? 0 : 1;
  });
}

if (require.main === module) startCommand(main);
