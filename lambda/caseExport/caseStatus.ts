import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { CASE_ROUTING_PREFIX, caseRoutingKey } from "../bulk/caseRouting";
import type { FailedRecording, GenesysBulkClient, RecordingJobStatus } from "../genesys/bulkExportClient";
import { FINAL_JOB_STATES } from "../genesys/bulkExportLimits";
import { readCaseExports, sealedRecordings } from "./caseArchive";

/**
 * The "status" operation: reconciles what the case's export records expect
 * with what the archive sealed, what Genesys' jobs report, and what still
 * waits in the landing bucket. Reads only. Every gap is named, so "complete"
 * means there is none.
 */

export type CaseGap =
  | { kind: "no-export"; detail: string }
  | { kind: "job-queued"; exportId: string; jobNumber: number; conversations: number }
  | { kind: "job-running"; exportId: string; jobNumber: number; genesysJobId: string; state: string; percentProgress: number | null }
  | { kind: "job-failed"; exportId: string; jobNumber: number; genesysJobId: string; state: string; errorMessage: string | null }
  | { kind: "failed-recording"; genesysJobId: string; conversationId: string | null; recordingId: string | null }
  | { kind: "routing-missing"; conversationId: string; key: string }
  | { kind: "landing-waiting"; conversationId: string; key: string }
  | { kind: "not-sealed"; conversationId: string }
  | { kind: "recordings-missing"; genesysJobId: string; expected: number; sealed: number };

export interface CaseStatusAnswer {
  operation: "status";
  caseId: string;
  complete: boolean;
  exports: string[];
  expectedConversations: number;
  sealedConversations: number;
  sealedRecordings: number;
  genesys: { jobs: number; totalRecordings: number; processedRecordings: number; failedRecordings: number; skippedRecordings: number };
  gaps: CaseGap[];
}

export interface CaseStatusDeps {
  archive: { s3: S3Client; bucket: string };
  landing: { s3: S3Client; bucket: string };
  genesys: GenesysBulkClient;
}

const LANDING_CONVERSATION = /\/conversation_id=([^/]+)\//u;

/** Landing objects (recordings and their _metadata.json) per conversation, outside routing/. */
async function landingObjects(deps: CaseStatusDeps, wanted: Set<string>): Promise<Map<string, string[]>> {
  const waiting = new Map<string, string[]>();
  for await (const page of paginateListObjectsV2({ client: deps.landing.s3 }, { Bucket: deps.landing.bucket })) {
    for (const item of page.Contents ?? []) {
      if (!item.Key || item.Key.startsWith(CASE_ROUTING_PREFIX)) continue;
      const conversationId = LANDING_CONVERSATION.exec(item.Key)?.[1];
      if (!conversationId || !wanted.has(conversationId)) continue;
      waiting.set(conversationId, [...(waiting.get(conversationId) ?? []), item.Key]);
    }
  }
  return waiting;
}

/** Every routing key in the landing bucket: one listing, however many conversations the case has. */
async function routingKeys(deps: CaseStatusDeps): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const page of paginateListObjectsV2(
    { client: deps.landing.s3 },
    { Bucket: deps.landing.bucket, Prefix: CASE_ROUTING_PREFIX },
  )) {
    for (const item of page.Contents ?? []) if (item.Key) keys.add(item.Key);
  }
  return keys;
}

export async function caseStatus(deps: CaseStatusDeps, caseId: string): Promise<CaseStatusAnswer> {
  const { exports, jobs } = await readCaseExports(deps.archive.s3, deps.archive.bucket, caseId);
  const sealed = await sealedRecordings(deps.archive.s3, deps.archive.bucket, caseId);
  const gaps: CaseGap[] = [];
  const expected = new Set<string>();
  const exported = new Set<string>();
  const genesys = { jobs: 0, totalRecordings: 0, processedRecordings: 0, failedRecordings: 0, skippedRecordings: 0 };
  const explained = new Set<string>();

  if (exports.size === 0)
    gaps.push({ kind: "no-export", detail: `the archive holds no export record for case ${caseId}; run case:export` });

  for (const [exportId, record] of [...exports].sort(([a], [b]) => a.localeCompare(b))) {
    for (const id of record.conversationIds) expected.add(id);
    const recorded = jobs.get(exportId) ?? new Map();
    for (const [index, batch] of record.jobBatches.entries()) {
      const jobNumber = index + 1;
      for (const id of batch) exported.add(id);
      const job = recorded.get(jobNumber);
      if (!job) {
        gaps.push({ kind: "job-queued", exportId, jobNumber, conversations: batch.length });
        for (const id of batch) explained.add(id);
        continue;
      }
      const status: RecordingJobStatus = await deps.genesys.getRecordingJob(job.genesysJobId);
      genesys.jobs++;
      genesys.totalRecordings += status.totalRecordings ?? 0;
      genesys.processedRecordings += status.totalProcessedRecordings ?? 0;
      genesys.failedRecordings += status.totalFailedRecordings ?? 0;
      genesys.skippedRecordings += status.totalSkippedRecordings ?? 0;
      if (!FINAL_JOB_STATES.has(status.state)) {
        gaps.push({
          kind: "job-running",
          exportId,
          jobNumber,
          genesysJobId: status.jobId,
          state: status.state,
          percentProgress: status.percentProgress ?? null,
        });
        for (const id of batch) explained.add(id);
      } else if (status.state !== "FULFILLED") {
        gaps.push({
          kind: "job-failed",
          exportId,
          jobNumber,
          genesysJobId: status.jobId,
          state: status.state,
          errorMessage: status.errorMessage ?? null,
        });
      }
      if ((status.totalFailedRecordings ?? 0) > 0 || status.state === "FAILED") {
        const failed: FailedRecording[] = await deps.genesys.failedRecordings(status.jobId);
        for (const recording of failed) {
          gaps.push({
            kind: "failed-recording",
            genesysJobId: status.jobId,
            conversationId: recording.conversationId ?? null,
            recordingId: recording.recordingId ?? null,
          });
          if (recording.conversationId) explained.add(recording.conversationId);
        }
      }
      if (status.state === "FULFILLED") {
        const sealedInJob = batch.reduce((sum: number, id: string) => sum + (sealed.get(id)?.length ?? 0), 0);
        const expectedInJob = (status.totalRecordings ?? 0) - (status.totalFailedRecordings ?? 0) - (status.totalSkippedRecordings ?? 0);
        if (sealedInJob < expectedInJob)
          gaps.push({ kind: "recordings-missing", genesysJobId: status.jobId, expected: expectedInJob, sealed: sealedInJob });
      }
    }
  }

  const routed = await routingKeys(deps);
  for (const conversationId of [...exported].sort()) {
    const key = caseRoutingKey(conversationId, caseId);
    if (!routed.has(key)) gaps.push({ kind: "routing-missing", conversationId, key });
  }
  const waiting = await landingObjects(deps, expected);
  for (const [conversationId, keys] of [...waiting].sort(([a], [b]) => a.localeCompare(b))) {
    for (const key of keys.sort()) gaps.push({ kind: "landing-waiting", conversationId, key });
    explained.add(conversationId);
  }
  for (const conversationId of [...expected].sort()) {
    if (!sealed.has(conversationId) && !explained.has(conversationId)) gaps.push({ kind: "not-sealed", conversationId });
  }

  const sealedExpected = [...expected].filter((id) => sealed.has(id));
  return {
    operation: "status",
    caseId,
    complete: gaps.length === 0,
    exports: [...exports.keys()].sort(),
    expectedConversations: expected.size,
    sealedConversations: sealedExpected.length,
    sealedRecordings: sealedExpected.reduce((sum, id) => sum + (sealed.get(id)?.length ?? 0), 0),
    genesys,
    gaps,
  };
}
