// Names of Genesys Cloud's native bulk export (the "AWS S3 recording bulk
// actions integration"), shared by the stack (which builds the landing bucket
// and the integration) and the policy pack (which checks them); kept in the
// pack so it stays self-contained.

/** The integration type recording bulk jobs export through (Genesys Platform API, RecordingJobsQuery.integrationId). */
export const BULK_ACTIONS_INTEGRATION_TYPE = "aws-s3-recording-bulk-actions-integration";

/**
 * Where the case-export Lambda writes one routing object per conversation
 * (`routing/conversation_id={id}/case_id={caseId}.json`, see the bulk contract):
 * the only landing prefix besides Genesys' own `{orgId}/`.
 */
export const LANDING_ROUTING_PREFIX = "routing/";

/** Genesys writes every exported recording under `{orgId}/year=…/…` (Genesys Help, "Working with exported recordings in AWS S3 bucket"). */
export function landingRecordingPrefix(organizationId: string): string {
  return `${organizationId}/`;
}

/**
 * The longest an uncollected recording may wait in the landing bucket before
 * lifecycle deletes it: outside the archive it is under no legal hold, and the
 * sealer normally collects it within minutes.
 */
export const MAX_LANDING_EXPIRY_DAYS = 90;
