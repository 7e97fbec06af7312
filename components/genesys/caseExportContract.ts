import { CASE_PROPERTIES, DRAFT_04 } from "./exportRequestContract";

/**
 * The case-export request as the Genesys data action sends it and the
 * case-export Lambda accepts it (operation "export"; the CLI also sends
 * "status"). One definition serves the action's JSON Schema contract and the
 * Lambda's validation, as exportRequestContract.ts does for the pull path.
 */

/** An ISO 8601 instant with an explicit zone (Z or ±hh:mm), e.g. 2026-03-01T00:00:00Z. */
export const ISO_INSTANT_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$";
/** Queue, user and division ids are UUIDs. */
export const GENESYS_ID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/** Ids per filter: each becomes one predicate of the query. */
export const MAX_FILTER_IDS = 50;

const idList = (what: string) => ({
  type: "array",
  description: `Only conversations with one of these ${what} (UUIDs).`,
  maxItems: MAX_FILTER_IDS,
  items: { type: "string", pattern: GENESYS_ID_PATTERN },
});

/** The data action's input contract (JSON Schema draft-04, the dialect Genesys data actions use). */
export function caseExportActionContractInput(): Record<string, unknown> {
  return {
    $schema: DRAFT_04,
    title: "Export a legal case's recordings by query",
    type: "object",
    required: ["operation", "caseId", "from", "to"],
    properties: {
      operation: { type: "string", enum: ["export"], description: 'Always "export" from a flow.' },
      caseId: CASE_PROPERTIES.caseId,
      from: { type: "string", description: "Start of the interval (ISO 8601 with zone).", pattern: ISO_INSTANT_PATTERN },
      to: { type: "string", description: "End of the interval (ISO 8601 with zone), after from.", pattern: ISO_INSTANT_PATTERN },
      queueIds: idList("queues"),
      userIds: idList("users"),
      divisionIds: idList("divisions"),
      requestedBy: CASE_PROPERTIES.requestedBy,
    },
    additionalProperties: false,
  };
}

/** The data action's output contract: the export's id and what it started. */
export function caseExportActionContractOutput(): Record<string, unknown> {
  return {
    $schema: DRAFT_04,
    title: "Case export answer",
    type: "object",
    required: ["exportId", "status"],
    properties: {
      exportId: { type: "string", description: "Identifies the case export; case:status reports on it." },
      status: {
        type: "string",
        description: '"started", "queued" (jobs wait for a free Genesys slot) or "empty" (no conversation matched).',
      },
      conversations: { type: "integer", description: "Conversations the query matched." },
    },
  };
}
