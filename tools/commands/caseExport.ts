// `npm run case:export`: runs a case export through the case-export Lambda:
// the Genesys conversation query, deletion protection, the signed case
// record, routing and the Genesys bulk export jobs. Running it again with the
// same flags continues the same export (jobs that waited for a free Genesys
// slot are created then); it never duplicates a job or a record.
// Exit 0: every job started; 1: some jobs wait for a slot, or protection
// failed for some conversations (listed); 2: bad usage or the function refused.

import type { CaseExportAnswer } from "../../lambda/caseExport/exportCase";
import { MAX_QUERY_INTERVAL_DAYS } from "../../lambda/genesys/bulkExportLimits";
import { type CaseExportInvoker, FUNCTION_OPTION, invokeCaseExportFunction, invokeCaseOperation } from "./caseExportInvoker";
import { type CliValues, type CommandSpec, UsageError } from "./cliArgs";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const CASE_EXPORT: CommandSpec = {
  name: "case:export",
  summary:
    "Exports a legal case's recordings with Genesys' native bulk export: queries the conversations of the interval (and filters), protects them from deletion, records the list as a signed case record, and starts the export jobs. Run it again with the same flags to continue an export whose jobs waited for a free Genesys job slot.",
  options: {
    case: { type: "string", value: "CASE", description: "The legal matter id." },
    from: { type: "string", value: "ISO", description: "Start of the interval, an ISO 8601 instant with zone (2026-03-01T00:00:00Z)." },
    to: { type: "string", value: "ISO", description: `End of the interval, after --from, at most ${MAX_QUERY_INTERVAL_DAYS} days later.` },
    queue: { type: "string", value: "ID[,ID…]", description: "Only conversations routed to these queues." },
    user: { type: "string", value: "ID[,ID…]", description: "Only conversations these users (agents) took part in." },
    division: { type: "string", value: "ID[,ID…]", description: "Only conversations in these divisions." },
    "requested-by": { type: "string", value: "NAME", description: "Who asked for the export, for the chain of custody." },
    function: FUNCTION_OPTION,
    json: { type: "boolean", default: false, description: "Print the function's answer as JSON." },
  },
  exitCodes:
    "0 every job started, 1 jobs queued for a free Genesys slot or deletion protection failed for some conversations, 2 bad usage or the function refused",
};

const list = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;

export function exportEvent(values: CliValues): Record<string, unknown> {
  for (const flag of ["case", "from", "to"]) {
    if (typeof values[flag] !== "string" || String(values[flag]).trim() === "") throw new UsageError(`--${flag} is required`);
  }
  const event = {
    operation: "export",
    caseId: values.case,
    from: values.from,
    to: values.to,
    queueIds: list(values.queue),
    userIds: list(values.user),
    divisionIds: list(values.division),
    requestedBy: values["requested-by"],
  };
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined));
}

export function describeExport(answer: CaseExportAnswer): string {
  const lines = [
    `case ${answer.caseId}, export ${answer.exportId}${answer.resumed ? " (continued)" : ""}: ${answer.status}`,
    `  conversations: ${answer.conversations}${answer.excluded.length > 0 ? `, ${answer.excluded.length} left out (already sealed or in another export's running job)` : ""}`,
    `  deletion protection: ${answer.deletionProtection.protected} protected, ${answer.deletionProtection.failed.length} failed`,
    ...answer.deletionProtection.failed.map((failure) => `    ${failure.conversationId}: ${failure.failures.join("; ")}`),
    `  routing objects: ${answer.routing.written} written, ${answer.routing.existing} already there`,
    ...answer.jobs.map(
      (job) => `  job ${job.jobNumber}: Genesys job ${job.genesysJobId} ${job.state}, ${job.conversations} conversation(s)`,
    ),
    ...(answer.queuedJobNumbers.length > 0 ? [`  queued: job(s) ${answer.queuedJobNumbers.join(", ")}`] : []),
    ...(answer.exportRecordKey ? [`  case record: ${answer.exportRecordKey}`] : []),
    `  ${answer.message}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function main(
  argv: string[],
  out: Writable = process.stdout,
  err: Writable = process.stderr,
  invoke: CaseExportInvoker = invokeCaseExportFunction,
): Promise<number> {
  return runCommand(CASE_EXPORT, argv, { out, err }, async (values) => {
    const answer = await invokeCaseOperation<CaseExportAnswer>(values, exportEvent(values), { out, err, invoke }, describeExport);
    return answer.status === "queued" || answer.deletionProtection.failed.length > 0 ? 1 : 0;
  });
}

if (require.main === module) startCommand(main);
