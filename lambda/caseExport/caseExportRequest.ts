// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";
import { GENESYS_ID_PATTERN, ISO_INSTANT_PATTERN, MAX_FILTER_IDS } from "../../components/genesys/caseExportContract";
import { CASE_ID_PATTERN, REQUESTED_BY_MAX_LENGTH, REQUESTED_BY_PATTERN } from "../../components/genesys/exportRequestContract";
import { MAX_QUERY_INTERVAL_DAYS } from "../genesys/bulkExportLimits";

/**
 * The case-export function's event: `export` (from the CLI or the Genesys
 * data action) or `status` (from the CLI). Every problem is named with the
 * field and the fix; nothing is done for an invalid event.
 */

export class InvalidCaseExportRequestError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid case export request: ${problems.join("; ")}`);
    this.name = "InvalidCaseExportRequestError";
  }
}

const DAY_MS = 86_400_000;
const caseId = z.string().check(z.regex(new RegExp(CASE_ID_PATTERN, "u")));
const instant = z.string().check(z.regex(new RegExp(ISO_INSTANT_PATTERN, "u")));
const ids = z.optional(z.array(z.string().check(z.regex(new RegExp(GENESYS_ID_PATTERN, "u")))).check(z.maxLength(MAX_FILTER_IDS)));

const exportSchema = z.strictObject({
  operation: z.literal("export"),
  caseId,
  from: instant,
  to: instant,
  queueIds: ids,
  userIds: ids,
  divisionIds: ids,
  requestedBy: z.optional(
    z.string().check(
      z.regex(new RegExp(REQUESTED_BY_PATTERN, "u")),
      z.refine((value: string) => [...value].length <= REQUESTED_BY_MAX_LENGTH),
    ),
  ),
});
const statusSchema = z.strictObject({ operation: z.literal("status"), caseId });

export type CaseExportRequest = z.infer<typeof exportSchema>;
export type CaseStatusRequest = z.infer<typeof statusSchema>;

const FIELD_RULES: Record<string, string> = {
  operation: 'must be "export" or "status"',
  caseId: 'must be 1-64 of A-Z a-z 0-9 . _ - and not start with "."',
  from: "must be an ISO 8601 instant with a zone, e.g. 2026-03-01T00:00:00Z",
  to: "must be an ISO 8601 instant with a zone, e.g. 2026-03-08T00:00:00Z",
  queueIds: `must be a list of at most ${MAX_FILTER_IDS} queue UUIDs`,
  userIds: `must be a list of at most ${MAX_FILTER_IDS} user UUIDs`,
  divisionIds: `must be a list of at most ${MAX_FILTER_IDS} division UUIDs`,
  requestedBy: `must be 1-${REQUESTED_BY_MAX_LENGTH} characters without control characters`,
};

function describe(input: unknown, issues: z.core.$ZodIssue[]): string[] {
  const problems = issues.flatMap((issue): string[] => {
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => `${JSON.stringify(key)}: is not an accepted field`);
    const field = issue.path[0];
    if (field === undefined) return ["event: must be a JSON object with operation and caseId"];
    const name = String(field);
    if ((input as Record<string, unknown>)[name] === undefined) return [`${name}: is required`];
    return [`${name}: ${FIELD_RULES[name] ?? issue.message}`];
  });
  return [...new Set(problems)];
}

/** Instants normalized to UTC milliseconds (Genesys intervals and our export id use this one form). */
function normalizeInterval(request: CaseExportRequest): CaseExportRequest {
  const from = Date.parse(request.from);
  const to = Date.parse(request.to);
  const problems: string[] = [];
  if (Number.isNaN(from)) problems.push(`from: ${FIELD_RULES.from}`);
  if (Number.isNaN(to)) problems.push(`to: ${FIELD_RULES.to}`);
  if (problems.length === 0 && from >= to) problems.push("to: must be after from");
  if (problems.length === 0 && to - from > MAX_QUERY_INTERVAL_DAYS * DAY_MS)
    problems.push(`to: the interval may span at most ${MAX_QUERY_INTERVAL_DAYS} days; split the case into several exports`);
  if (problems.length > 0) throw new InvalidCaseExportRequestError(problems);
  const sorted = (list: string[] | undefined) =>
    list && list.length > 0 ? [...new Set(list.map((id) => id.toLowerCase()))].sort() : undefined;
  return {
    ...request,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    queueIds: sorted(request.queueIds),
    userIds: sorted(request.userIds),
    divisionIds: sorted(request.divisionIds),
  };
}

/** Validates the event; throws InvalidCaseExportRequestError naming every bad field. */
export function parseCaseExportEvent(event: unknown): CaseExportRequest | CaseStatusRequest {
  const operation = (event as { operation?: unknown } | null)?.operation;
  const schema = operation === "status" ? statusSchema : exportSchema;
  const result = schema.safeParse(event);
  if (!result.success) throw new InvalidCaseExportRequestError(describe(event ?? {}, result.error.issues));
  return result.data.operation === "export" ? normalizeInterval(result.data) : result.data;
}
