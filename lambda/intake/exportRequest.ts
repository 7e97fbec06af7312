// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";
import {
  CASE_ID_PATTERN,
  CONVERSATION_ID_PATTERN,
  REQUESTED_BY_MAX_LENGTH,
  REQUESTED_BY_PATTERN,
} from "../../components/genesys/exportRequestContract";

/**
 * The export request the Genesys data action sends (its input object is the
 * Lambda event) and the job message the intake enqueues for the worker. The
 * patterns come from the data action's own contract, so Genesys and the intake
 * cannot disagree about what is valid.
 */

export class ExportRequestError extends Error {
  constructor(
    message: string,
    /** One "field: what is wrong" entry per problem. */
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ExportRequestError";
  }
}

/** The data action sent something the contract does not allow. */
export class InvalidExportRequestError extends ExportRequestError {
  constructor(problems: string[]) {
    super(`Invalid export request: ${problems.join("; ")}`, problems);
    this.name = "InvalidExportRequestError";
  }
}

/** A queue message is not a job the intake could have written. */
export class InvalidExportJobError extends ExportRequestError {
  constructor(problems: string[], options?: ErrorOptions) {
    super(`Invalid export job message: ${problems.join("; ")}`, problems, options);
    this.name = "InvalidExportJobError";
  }
}

// The "u" flag gives the patterns JSON Schema's semantics (code points), as the data action validates them.
const conversationIdPattern = new RegExp(CONVERSATION_ID_PATTERN, "u");
const caseIdPattern = new RegExp(CASE_ID_PATTERN, "u");
const requestedByPattern = new RegExp(REQUESTED_BY_PATTERN, "u");

/** What each field must look like, in words a Genesys admin can act on. */
const FIELD_RULES: Record<string, string> = {
  conversationId: "must be a UUID (8-4-4-4-12 hexadecimal digits)",
  caseId: 'must be 1-64 of A-Z a-z 0-9 . _ - and not start with "."',
  requestedBy: `must be 1-${REQUESTED_BY_MAX_LENGTH} characters without control characters`,
  jobId: "must be a UUID",
  requestedAt: "must be an ISO 8601 UTC timestamp",
};

const codePointLength = (value: string) => [...value].length;

export const exportRequestSchema = z.strictObject({
  conversationId: z.string().check(z.regex(conversationIdPattern)),
  caseId: z.string().check(z.regex(caseIdPattern)),
  requestedBy: z.optional(
    z.string().check(
      z.regex(requestedByPattern),
      z.refine((value: string) => codePointLength(value) <= REQUESTED_BY_MAX_LENGTH),
    ),
  ),
});

export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** The queue message: the request plus what the intake adds. */
export const exportJobSchema = z.extend(exportRequestSchema, {
  jobId: z.uuid(),
  requestedAt: z.iso.datetime(),
});

export type ExportJob = z.infer<typeof exportJobSchema>;

/** One message per problem, naming the field; never echoes values (they may be anything a caller sent). */
function describeIssues(input: unknown, issues: z.core.$ZodIssue[], accepted: string[]): string[] {
  const problems = issues.flatMap((issue): string[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${JSON.stringify(key)}: is not an accepted field (only ${accepted.join(", ")})`);
    }
    const field = issue.path[0];
    if (field === undefined) return ["event: must be a JSON object with conversationId and caseId"];
    const name = String(field);
    const record = input as Record<string, unknown>;
    if (issue.code === "invalid_type") return [`${name}: ${record[name] === undefined ? "is required" : "must be a string"}`];
    return [`${name}: ${FIELD_RULES[name] ?? issue.message}`];
  });
  return [...new Set(problems)];
}

/** Validates a data action's input; throws InvalidExportRequestError naming every bad field. */
export function parseExportRequest(event: unknown): ExportRequest {
  const result = exportRequestSchema.safeParse(event);
  if (!result.success)
    throw new InvalidExportRequestError(describeIssues(event, result.error.issues, Object.keys(exportRequestSchema.shape)));
  return result.data;
}

/** Validates a queue message body; throws InvalidExportJobError (permanent: redelivery cannot fix it). */
export function parseExportJob(body: string): ExportJob {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch (error) {
    throw new InvalidExportJobError(["body: is not JSON"], { cause: error });
  }
  const result = exportJobSchema.safeParse(message);
  if (!result.success) throw new InvalidExportJobError(describeIssues(message, result.error.issues, Object.keys(exportJobSchema.shape)));
  return result.data;
}
