import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isPreconditionFailed } from "../archive/s3Errors";
import { caseRoutingBytes, caseRoutingKey, parseCaseRouting } from "../bulk/caseRouting";
import type { GenesysBulkClient, RecordingJobStatus } from "../genesys/bulkExportClient";
import {
  DELETION_PROTECTION_BATCH_SIZE,
  FINAL_JOB_STATES,
  MAX_CASE_CONVERSATIONS,
  MAX_CONCURRENT_RECORDING_JOBS,
  MAX_CONVERSATIONS_PER_JOB,
  ORG_PROTECTED_CONVERSATIONS_LIMIT,
  RUNNING_JOB_STATES,
} from "../genesys/bulkExportLimits";
import { GenesysError } from "../genesys/errors";
import { readCaseExports, sealedRecordings } from "./caseArchive";
import type { CaseExportRequest } from "./caseExportRequest";
import {
  type ArchiveTarget,
  CASE_EXPORT_PREDICATE_TYPE,
  type CaseExportPredicate,
  caseExportId,
  caseExportJobRecordKey,
  caseExportRecordKey,
  type ExcludedConversation,
  exportStatement,
  jobStatement,
  type ProtectionFailure,
  queryOf,
  readRecord,
  writeRecordOnce,
} from "./caseRecords";

/**
 * The "export" operation, in the order that keeps evidence honest:
 *
 * 1. the conversation query (all pages); nothing is written if it fails;
 * 2. Genesys deletion protection in batches, within the org's 1000 limit
 *    (failures are recorded, not fatal: the recordings are still archived);
 * 3. the signed case-export record, once (If-None-Match: *);
 * 4. one routing object per exported conversation in the landing bucket;
 * 5. the Genesys jobs, at most as many running as Genesys allows: each is
 *    recorded (signed job record) right after Genesys creates it and started
 *    only then; batches beyond the free slots stay queued for a re-run.
 *
 * Idempotence: the export id comes from the case and the query, so a re-run
 * adopts the stored export record (no new query, protection or list) and
 * only does what is missing: routing objects not yet written, jobs whose
 * record is missing (created now) or that are READY but not started. A new
 * export of the same case (another interval or filters) leaves out
 * conversations the archive already sealed for the case or that another
 * export's job is still exporting.
 */

export interface ExportCaseDeps {
  archive: ArchiveTarget;
  landing: { s3: S3Client; bucket: string };
  genesys: GenesysBulkClient;
  integrationId: string;
  functionArn: string;
  awsRequestId: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** GETs of a new job while Genesys prepares it (PENDING) before it is left for a re-run to start. */
  jobReadyPollAttempts: number;
  jobReadyPollIntervalMs: number;
  /** Genesys' own default is true. */
  includeScreenRecordings: boolean;
  log: (message: string, details: Record<string, unknown>) => void;
}

export interface ExportedJob {
  jobNumber: number;
  genesysJobId: string;
  state: string;
  conversations: number;
  recordKey: string;
}

export interface CaseExportAnswer {
  operation: "export";
  caseId: string;
  exportId: string;
  /** "started": every batch has a job; "queued": some wait for a free Genesys job slot (run export again later); "empty": nothing matched. */
  status: "started" | "queued" | "empty";
  /** True when this run found its export record already stored and continued it. */
  resumed: boolean;
  exportRecordKey: string | null;
  conversations: number;
  excluded: ExcludedConversation[];
  deletionProtection: { protected: number; failed: ProtectionFailure[] };
  routing: { written: number; existing: number };
  jobs: ExportedJob[];
  queuedJobNumbers: number[];
  message: string;
}

/** Genesys refused a job because the organization already runs as many as it allows. */
const CONCURRENCY_WORDING = /concurren|maximum|limit|too many/i;
const isConcurrencyRefusal = (error: unknown) =>
  error instanceof GenesysError &&
  (error.status === 400 || error.status === 409 || error.status === 429) &&
  CONCURRENCY_WORDING.test(error.message);
const LIMIT_WORDING = /limit|maximum|exceed/i;

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** Protection per batch; failures attributed to the conversations they name, or to the whole batch when they name none. */
async function protect(genesys: GenesysBulkClient, conversationIds: string[]): Promise<CaseExportPredicate["deletionProtection"]> {
  const failures = new Map<string, string[]>();
  const fail = (ids: string[], reason: string) => {
    for (const id of ids) failures.set(id, [...(failures.get(id) ?? []), reason]);
  };
  const withinLimit = conversationIds.slice(0, ORG_PROTECTED_CONVERSATIONS_LIMIT);
  fail(
    conversationIds.slice(ORG_PROTECTED_CONVERSATIONS_LIMIT),
    `not sent: Genesys protects at most ${ORG_PROTECTED_CONVERSATIONS_LIMIT} conversations per organization`,
  );
  let limitReached: string | undefined;
  for (const batch of chunk(withinLimit, DELETION_PROTECTION_BATCH_SIZE)) {
    if (limitReached) {
      fail(batch, `not sent: ${limitReached}`);
      continue;
    }
    let answer: string[];
    try {
      answer = await genesys.protectConversations(batch);
    } catch (error) {
      // Genesys may refuse the whole request once the org's limit is reached: the later batches would fail too.
      if (error instanceof GenesysError && error.status === 400 && LIMIT_WORDING.test(error.message)) {
        limitReached = `the organization's deletion-protection limit is reached (${error.message.slice(0, 200)}); revoke protection of closed matters`;
        fail(batch, limitReached);
        continue;
      }
      throw error;
    }
    for (const failure of answer) {
      const named = batch.filter((id) => failure.includes(id));
      fail(named.length > 0 ? named : batch, failure);
    }
  }
  const failed = [...failures]
    .map(([conversationId, reasons]) => ({ conversationId, failures: reasons }))
    .sort((a, b) => a.conversationId.localeCompare(b.conversationId));
  return { protected: conversationIds.length - failed.length, failed };
}

/** Conversations another export of this case already covers: sealed, or in a job Genesys is still running. */
async function alreadyCovered(
  deps: ExportCaseDeps,
  caseId: string,
  exportId: string,
  conversationIds: string[],
): Promise<ExcludedConversation[]> {
  const { s3, bucket } = deps.archive;
  const sealed = await sealedRecordings(s3, bucket, caseId);
  const { jobs } = await readCaseExports(s3, bucket, caseId);
  const running = new Map<string, string>();
  for (const [otherExportId, perExport] of jobs) {
    if (otherExportId === exportId) continue;
    for (const job of perExport.values()) {
      const status = await deps.genesys.getRecordingJob(job.genesysJobId);
      if (FINAL_JOB_STATES.has(status.state)) continue;
      for (const id of job.conversationIds) running.set(id, `job ${job.genesysJobId} (${status.state}) of export ${otherExportId}`);
    }
  }
  const excluded: ExcludedConversation[] = [];
  for (const id of conversationIds) {
    if (sealed.has(id)) excluded.push({ conversationId: id, reason: "sealed", detail: `${sealed.get(id)?.length} recording(s) sealed` });
    else if (running.has(id)) excluded.push({ conversationId: id, reason: "in-running-job", detail: running.get(id) ?? "" });
  }
  return excluded;
}

/** Writes the routing object of one conversation; an existing one for the same case and conversation is kept. */
async function route(
  deps: ExportCaseDeps,
  predicate: CaseExportPredicate,
  recordKey: string,
  conversationId: string,
): Promise<"written" | "existing"> {
  const key = caseRoutingKey(conversationId, predicate.caseId);
  const failure = predicate.deletionProtection.failed.find((entry) => entry.conversationId === conversationId);
  const body = caseRoutingBytes({
    schema: "legal-hold-archive/case-routing/v1",
    caseId: predicate.caseId,
    conversationId,
    exportId: predicate.exportId,
    requestedBy: predicate.requestedBy,
    requestedAt: predicate.requestedAt,
    caseRecordKey: recordKey,
    deletionProtection: failure ? { status: "failed", failures: failure.failures } : { status: "applied" },
  });
  try {
    await deps.landing.s3.send(
      new PutObjectCommand({ Bucket: deps.landing.bucket, Key: key, Body: body, ContentType: "application/json", IfNoneMatch: "*" }),
    );
    return "written";
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
  }
  // The routing names the case and conversation its key names (parseCaseRouting checks): any export of this case may have written it.
  const stored = await deps.landing.s3.send(new GetObjectCommand({ Bucket: deps.landing.bucket, Key: key }));
  parseCaseRouting((await stored.Body?.transformToString("utf8")) ?? "", key);
  return "existing";
}

async function waitUntilReady(deps: ExportCaseDeps, job: RecordingJobStatus): Promise<RecordingJobStatus> {
  let current = job;
  for (let attempt = 0; current.state === "PENDING" && attempt < deps.jobReadyPollAttempts; attempt++) {
    await deps.sleep(deps.jobReadyPollIntervalMs);
    current = await deps.genesys.getRecordingJob(job.jobId);
  }
  return current;
}

export async function exportCase(deps: ExportCaseDeps, request: CaseExportRequest): Promise<CaseExportAnswer> {
  const exportId = caseExportId(request);
  const recordKey = caseExportRecordKey(request.caseId, exportId);
  const { s3, bucket } = deps.archive;

  let predicate = (await readRecord<CaseExportPredicate>(s3, bucket, recordKey, CASE_EXPORT_PREDICATE_TYPE))?.predicate;
  const resumed = predicate !== undefined;
  if (!predicate) {
    const conversationIds = [...(await deps.genesys.queryConversationIds(request, MAX_CASE_CONVERSATIONS))].sort();
    if (conversationIds.length === 0) {
      return {
        operation: "export",
        caseId: request.caseId,
        exportId,
        status: "empty",
        resumed,
        exportRecordKey: null,
        conversations: 0,
        excluded: [],
        deletionProtection: { protected: 0, failed: [] },
        routing: { written: 0, existing: 0 },
        jobs: [],
        queuedJobNumbers: [],
        message: "no conversation matched the query; nothing was recorded or exported",
      };
    }
    const deletionProtection = await protect(deps.genesys, conversationIds);
    const excluded = await alreadyCovered(deps, request.caseId, exportId, conversationIds);
    const excludedIds = new Set(excluded.map((entry) => entry.conversationId));
    const candidate: CaseExportPredicate = {
      exportId,
      caseId: request.caseId,
      query: queryOf(request),
      conversationIds,
      excluded,
      jobBatches: chunk(
        conversationIds.filter((id) => !excludedIds.has(id)),
        MAX_CONVERSATIONS_PER_JOB,
      ),
      deletionProtection,
      integrationId: deps.integrationId,
      requestedBy: request.requestedBy ?? null,
      requestedAt: deps.now().toISOString(),
      functionArn: deps.functionArn,
      awsRequestId: deps.awsRequestId,
    };
    // A concurrent run may have stored it first: continue with the stored one.
    predicate = (await writeRecordOnce(deps.archive, recordKey, exportStatement(candidate))).statement.predicate;
    deps.log("case export recorded", { caseId: request.caseId, exportId, conversations: conversationIds.length });
  }

  const routing = { written: 0, existing: 0 };
  for (const conversationId of predicate.jobBatches.flat()) routing[await route(deps, predicate, recordKey, conversationId)]++;

  const recordedJobs = (await readCaseExports(s3, bucket, predicate.caseId)).jobs.get(exportId) ?? new Map();
  const jobs: ExportedJob[] = [];
  const queuedJobNumbers: number[] = [];
  // Our own running jobs take slots; Genesys refuses beyond its limit anyway (others' jobs count too).
  let freeSlots = MAX_CONCURRENT_RECORDING_JOBS;
  const statuses = new Map<number, RecordingJobStatus>();
  for (const [jobNumber, job] of recordedJobs) {
    const status = await deps.genesys.getRecordingJob(job.genesysJobId);
    statuses.set(jobNumber, status);
    if (RUNNING_JOB_STATES.has(status.state)) freeSlots--;
  }
  for (const [index, batch] of predicate.jobBatches.entries()) {
    const jobNumber = index + 1;
    const jobRecordKey = caseExportJobRecordKey(predicate.caseId, exportId, jobNumber);
    let status = statuses.get(jobNumber);
    const recorded = recordedJobs.get(jobNumber);
    try {
      if (!recorded) {
        if (freeSlots <= 0) {
          queuedJobNumbers.push(jobNumber);
          continue;
        }
        const created = await deps.genesys.createRecordingJob({
          integrationId: predicate.integrationId,
          conversationIds: batch,
          interval: { from: predicate.query.from, to: predicate.query.to },
          includeScreenRecordings: deps.includeScreenRecordings,
          actionDate: deps.now(),
        });
        freeSlots--;
        const stored = await writeRecordOnce(
          deps.archive,
          jobRecordKey,
          jobStatement({
            exportId,
            caseId: predicate.caseId,
            jobNumber,
            genesysJobId: created.jobId,
            conversationIds: batch,
            integrationId: predicate.integrationId,
            createdAt: deps.now().toISOString(),
            stateAtCreation: created.state,
            exportRecordKey: recordKey,
            functionArn: deps.functionArn,
            awsRequestId: deps.awsRequestId,
          }),
        );
        // Another run recorded this batch first: its job is the one; ours stays READY, never started.
        status = stored.written ? created : await deps.genesys.getRecordingJob(stored.statement.predicate.genesysJobId);
      }
      if (!status) continue;
      status = await waitUntilReady(deps, status);
      if (status.state === "READY") {
        if (recorded && freeSlots <= 0) {
          queuedJobNumbers.push(jobNumber);
        } else {
          if (recorded) freeSlots--;
          status = await deps.genesys.startRecordingJob(status.jobId);
        }
      }
      jobs.push({ jobNumber, genesysJobId: status.jobId, state: status.state, conversations: batch.length, recordKey: jobRecordKey });
    } catch (error) {
      if (!isConcurrencyRefusal(error)) throw error;
      freeSlots = 0;
      queuedJobNumbers.push(jobNumber);
      if (status)
        jobs.push({ jobNumber, genesysJobId: status.jobId, state: status.state, conversations: batch.length, recordKey: jobRecordKey });
    }
  }

  const queued = queuedJobNumbers.length > 0;
  return {
    operation: "export",
    caseId: predicate.caseId,
    exportId,
    status: queued ? "queued" : "started",
    resumed,
    exportRecordKey: recordKey,
    conversations: predicate.conversationIds.length,
    excluded: predicate.excluded,
    deletionProtection: predicate.deletionProtection,
    routing,
    jobs,
    queuedJobNumbers,
    message: queued
      ? `${queuedJobNumbers.length} of ${predicate.jobBatches.length} job(s) wait for a free Genesys job slot (at most ${MAX_CONCURRENT_RECORDING_JOBS} run per organization): run the same case:export again once running jobs finish`
      : `${predicate.jobBatches.length} job(s) created; follow them with case:status`,
  };
}
