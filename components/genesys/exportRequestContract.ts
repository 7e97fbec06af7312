/**
 * The request that starts an export, as the Genesys data action sends it and
 * the intake Lambda accepts it. One definition serves the action's JSON
 * Schema contract and the intake's validation, so the two cannot disagree.
 */

/** A Genesys conversation id: a UUID. */
export const CONVERSATION_ID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/** A legal matter id: 1-64 of [A-Za-z0-9._-], never starting with "." (it becomes an S3 key segment). */
export const CASE_ID_PATTERN = "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$";
/** Who asked: up to 128 printable characters (no control characters, which would corrupt logs and manifests). */
export const REQUESTED_BY_PATTERN = "^[^\\u0000-\\u001F\\u007F]{1,128}$";
export const REQUESTED_BY_MAX_LENGTH = 128;

export const DRAFT_04 = "http://json-schema.org/draft-04/schema#";

/** The caseId and requestedBy properties, shared by every data action that files recordings under a case. */
export const CASE_PROPERTIES = {
  caseId: { type: "string", description: "The legal matter the recordings are held for.", pattern: CASE_ID_PATTERN },
  requestedBy: {
    type: "string",
    description: "Who requested the export, for the chain of custody.",
    maxLength: REQUESTED_BY_MAX_LENGTH,
    pattern: REQUESTED_BY_PATTERN,
  },
} as const;

/** The data action's input contract (JSON Schema draft-04, the dialect Genesys data actions use). */
export function exportActionContractInput(): Record<string, unknown> {
  return {
    $schema: DRAFT_04,
    title: "Export legal-hold recordings request",
    type: "object",
    required: ["conversationId", "caseId"],
    properties: {
      conversationId: { type: "string", description: "The conversation whose recordings to archive.", pattern: CONVERSATION_ID_PATTERN },
      ...CASE_PROPERTIES,
    },
    additionalProperties: false,
  };
}

/** The data action's output contract: the intake answers at once; the export runs asynchronously. */
export function exportActionContractOutput(): Record<string, unknown> {
  return {
    $schema: DRAFT_04,
    title: "Export legal-hold recordings answer",
    type: "object",
    required: ["jobId", "status"],
    properties: {
      jobId: { type: "string", description: "Identifies the queued export in logs and custody manifests." },
      status: { type: "string", description: 'Always "queued": the recordings are archived asynchronously.' },
    },
  };
}
