import type { CaseExportPredicate } from "../../lambda/caseExport/caseRecords";

/** A case export's predicate as the case-export Lambda records it: the query found `conversationIds`, all in one job. */
export function caseExportPredicate(caseId: string, exportId: string, conversationIds: string[]): CaseExportPredicate {
  return {
    exportId,
    caseId,
    query: { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z", queueIds: [], userIds: [], divisionIds: [] },
    conversationIds,
    excluded: [],
    jobBatches: [conversationIds],
    deletionProtection: { protected: conversationIds.length, failed: [] },
    integrationId: "integration-1",
    requestedBy: "Legal Ops",
    requestedAt: "2026-03-04T06:00:00.000Z",
    functionArn: "arn:aws:lambda:eu-west-2:111122223333:function:case-export",
    awsRequestId: "req-1",
  };
}
