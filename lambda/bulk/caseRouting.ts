// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";
import { CASE_ID_PATTERN, CONVERSATION_ID_PATTERN, REQUESTED_BY_PATTERN } from "../../components/genesys/exportRequestContract";
import { canonicalJsonBytes } from "../custody/canonicalJson";

/**
 * The routing object: how a recording Genesys bulk-exported into the landing
 * bucket finds its case. The case export writes one per (conversation, case)
 * into the landing bucket, conditionally (If-None-Match: *), before it starts
 * the Genesys job; the sealer lists them by conversation and seals one archive
 * copy per routed case. Its body is canonical JSON, so two writers of the same
 * facts write the same bytes.
 */

export const CASE_ROUTING_SCHEMA = "legal-hold-archive/case-routing/v1";
/** Every routing object lives under this landing-bucket prefix (never under `{orgId}/`, so it triggers no sealer event). */
export const CASE_ROUTING_PREFIX = "routing/";

export class InvalidCaseRoutingError extends Error {
  constructor(
    /** The landing key of the routing object, or "body" when there is none yet. */
    readonly key: string,
    /** One "field: what is wrong" entry per problem. */
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(`Invalid case routing object ${key}: ${problems.join("; ")}`, options);
    this.name = "InvalidCaseRoutingError";
  }
}

const conversationIdPattern = new RegExp(CONVERSATION_ID_PATTERN, "u");
const caseIdPattern = new RegExp(CASE_ID_PATTERN, "u");
const requestedByPattern = new RegExp(REQUESTED_BY_PATTERN, "u");

const deletionProtectionSchema = z.discriminatedUnion("status", [
  z.strictObject({ status: z.literal("applied") }),
  z.strictObject({ status: z.literal("failed"), failures: z.array(z.string()) }),
]);

export const caseRoutingSchema = z.strictObject({
  schema: z.literal(CASE_ROUTING_SCHEMA),
  caseId: z.string().check(z.regex(caseIdPattern)),
  conversationId: z.string().check(z.regex(conversationIdPattern)),
  exportId: z.uuid(),
  requestedBy: z.nullable(z.string().check(z.regex(requestedByPattern))),
  requestedAt: z.iso.datetime(),
  caseRecordKey: z.string(),
  deletionProtection: deletionProtectionSchema,
});

export type CaseRouting = z.infer<typeof caseRoutingSchema>;

/** What each field must look like, in words an operator can act on. */
const FIELD_RULES: Record<string, string> = {
  schema: `must be "${CASE_ROUTING_SCHEMA}"`,
  caseId: 'must be 1-64 of A-Z a-z 0-9 . _ - and not start with "."',
  conversationId: "must be a UUID (8-4-4-4-12 hexadecimal digits)",
  exportId: "must be a UUID",
  requestedBy: "must be null or 1-128 characters without control characters",
  requestedAt: "must be an ISO 8601 UTC timestamp",
  caseRecordKey: "must be the archive key cases/{caseId}/exports/{exportId}.export.dsse.json",
  deletionProtection: 'must be {"status":"applied"} or {"status":"failed","failures":[strings]}',
};

/** The archive key of the case-export record the routing points at (fixed by the bulk contract). */
export function caseExportRecordKey(caseId: string, exportId: string): string {
  return `cases/${caseId}/exports/${exportId}.export.dsse.json`;
}

/** Landing key of the routing object for one conversation of one case. */
export function caseRoutingKey(conversationId: string, caseId: string): string {
  return `${caseRoutingPrefix(conversationId)}case_id=${caseId}.json`;
}

/** Landing prefix under which every case's routing object for one conversation lives. */
export function caseRoutingPrefix(conversationId: string): string {
  return `${CASE_ROUTING_PREFIX}conversation_id=${conversationId}/`;
}

const ROUTING_KEY = /^routing\/conversation_id=([^/]+)\/case_id=([^/]+)\.json$/u;

/** The ids a routing key names; undefined when the key is not a routing key. */
export function parseCaseRoutingKey(key: string): { conversationId: string; caseId: string } | undefined {
  const match = ROUTING_KEY.exec(key);
  if (!match) return undefined;
  const [, conversationId, caseId] = match;
  if (!conversationIdPattern.test(conversationId) || !caseIdPattern.test(caseId)) return undefined;
  return { conversationId, caseId };
}

/** The bytes to store: canonical JSON, so every writer of the same routing writes the same object. */
export function caseRoutingBytes(routing: CaseRouting): Uint8Array {
  return canonicalJsonBytes(caseRoutingSchema.parse(routing));
}

/** One message per problem, naming the field; never echoes values. */
function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  const problems = issues.flatMap((issue): string[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${JSON.stringify(key)}: is not a field of a case routing object`);
    }
    const field = issue.path[0];
    if (field === undefined) return ["body: must be a JSON object"];
    const name = String(field);
    if (issue.code === "invalid_type" && issue.input === undefined) return [`${name}: is required`];
    return [`${name}: ${FIELD_RULES[name] ?? issue.message}`];
  });
  return [...new Set(problems)];
}

/**
 * Parses a routing object's body. When `key` is given, the body must name the
 * same conversation and case as the key: a routing object copied or written
 * under the wrong key would otherwise seal a recording into another case.
 */
export function parseCaseRouting(body: string, key?: string): CaseRouting {
  const where = key ?? "body";
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidCaseRoutingError(where, ["body: is not JSON"], { cause: error });
  }
  const result = caseRoutingSchema.safeParse(value);
  if (!result.success) throw new InvalidCaseRoutingError(where, describeIssues(result.error.issues));
  const routing = result.data;
  const problems: string[] = [];
  if (routing.caseRecordKey !== caseExportRecordKey(routing.caseId, routing.exportId)) {
    problems.push(`caseRecordKey: ${FIELD_RULES.caseRecordKey}`);
  }
  if (key !== undefined) {
    const named = parseCaseRoutingKey(key);
    if (!named) problems.push(`key: must be routing/conversation_id={conversationId}/case_id={caseId}.json`);
    else {
      if (named.conversationId !== routing.conversationId) problems.push("conversationId: differs from the conversation the key names");
      if (named.caseId !== routing.caseId) problems.push("caseId: differs from the case the key names");
    }
  }
  if (problems.length > 0) throw new InvalidCaseRoutingError(where, problems);
  return routing;
}
