// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";
import { DETAILS_QUERY_PAGE_SIZE, FAILED_RECORDINGS_PAGE_SIZE } from "./bulkExportLimits";
import { GenesysError } from "./errors";
import type { GenesysTransport } from "./genesysClient";

/**
 * The Genesys calls of the case export, over the shared transport (same
 * retries, Retry-After, token handling as the worker's client). Paths, bodies
 * and permissions as the Platform API documents them (RecordingApi,
 * AnalyticsApi in MyPureCloud/platform-client-sdk-*):
 *
 * - POST /api/v2/analytics/conversations/details/query — analytics:conversationDetail:view
 * - PUT  /api/v2/recordings/deletionprotection?protect=true — recording:deletionProtection:apply
 * - POST /api/v2/recording/jobs — recording:job:add
 * - PUT  /api/v2/recording/jobs/{jobId} {state:"PROCESSING"} — recording:job:edit AND
 *   recording:recording:editRetention AND recording:screenRecording:editRetention
 *   (ALL; and "a job must be executed by the same user whom originally created the job")
 * - GET  /api/v2/recording/jobs/{jobId}, …/failedrecordings — recording:job:view
 */

export const BULK_PERMISSIONS = {
  query: "analytics:conversationDetail:view",
  protect: "recording:deletionProtection:apply",
  createJob: "recording:job:add",
  startJob: "recording:job:edit",
  viewJob: "recording:job:view",
} as const;

/** Every permission the case export's calls need (the start call needs all three of its own). */
export const CASE_EXPORT_GENESYS_PERMISSIONS = [
  BULK_PERMISSIONS.query,
  BULK_PERMISSIONS.protect,
  BULK_PERMISSIONS.createJob,
  BULK_PERMISSIONS.startJob,
  BULK_PERMISSIONS.viewJob,
  "recording:recording:editRetention",
  "recording:screenRecording:editRetention",
] as const;

export interface ConversationFilters {
  queueIds?: string[];
  userIds?: string[];
  divisionIds?: string[];
}

export interface ConversationQuery extends ConversationFilters {
  /** ISO 8601 instants, from < to. */
  from: string;
  to: string;
}

export interface RecordingJobStatus {
  jobId: string;
  state: string;
  totalConversations: number | undefined;
  totalRecordings: number | undefined;
  totalProcessedRecordings: number | undefined;
  totalFailedRecordings: number | undefined;
  totalSkippedRecordings: number | undefined;
  percentProgress: number | undefined;
  errorMessage: string | undefined;
}

export interface FailedRecording {
  conversationId: string | undefined;
  recordingId: string | undefined;
}

export interface NewRecordingJob {
  integrationId: string;
  conversationIds: string[];
  /** The interval the conversations were found in: the job's query must cover them. */
  interval: { from: string; to: string };
  includeScreenRecordings: boolean;
  /** When Genesys should act; now for an export. */
  actionDate: Date;
}

export interface GenesysBulkClient {
  /** Every conversation id the query matches, in Genesys' order, all pages. */
  queryConversationIds(query: ConversationQuery, maxConversations: number): Promise<string[]>;
  /** Protects the conversations from deletion; answers Genesys' failedUpdates, each as JSON text. */
  protectConversations(conversationIds: string[]): Promise<string[]>;
  createRecordingJob(job: NewRecordingJob): Promise<RecordingJobStatus>;
  startRecordingJob(jobId: string): Promise<RecordingJobStatus>;
  getRecordingJob(jobId: string): Promise<RecordingJobStatus>;
  failedRecordings(jobId: string): Promise<FailedRecording[]>;
}

/** The query matched more conversations than one case export takes. */
export class CaseTooLargeError extends GenesysError {
  constructor(
    readonly totalHits: number,
    readonly limit: number,
  ) {
    super(`The query matches ${totalHits} conversations, more than the ${limit} one case export takes: narrow --from/--to or add filters`);
    this.name = "CaseTooLargeError";
  }
}

const count = z.optional(z.number());
const jobSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  state: z.string(),
  totalConversations: count,
  totalRecordings: count,
  totalProcessedRecordings: count,
  totalFailedRecordings: count,
  totalSkippedRecordings: count,
  percentProgress: count,
  errorMessage: z.optional(z.string()),
});
const queryPageSchema = z.looseObject({
  totalHits: z.optional(z.number()),
  conversations: z.optional(z.array(z.looseObject({ conversationId: z.string() }))),
});
const entityRef = z.optional(z.looseObject({ id: z.optional(z.string()) }));
const failedPageSchema = z.looseObject({
  entities: z.optional(z.array(z.looseObject({ conversation: entityRef, recording: entityRef }))),
  pageCount: z.optional(z.number()),
});
const protectionAnswerSchema = z.looseObject({ failedUpdates: z.optional(z.array(z.unknown())) });

function jobStatus(job: z.infer<typeof jobSchema>): RecordingJobStatus {
  return {
    jobId: job.id,
    state: job.state,
    totalConversations: job.totalConversations,
    totalRecordings: job.totalRecordings,
    totalProcessedRecordings: job.totalProcessedRecordings,
    totalFailedRecordings: job.totalFailedRecordings,
    totalSkippedRecordings: job.totalSkippedRecordings,
    percentProgress: job.percentProgress,
    errorMessage: job.errorMessage,
  };
}

/** One "or" filter of `dimension` predicates, or nothing when no value is given. */
function anyOf(dimension: string, values: string[] | undefined) {
  if (!values || values.length === 0) return [];
  return [{ type: "or", predicates: values.map((value) => ({ type: "dimension", dimension, operator: "matches", value })) }];
}

/**
 * The details query body. Queue and user are segment dimensions (queueId,
 * userId); divisions are the conversation dimension `divisionIds` (ASSUMED
 * from the analytics dimension list, not checked against an org).
 */
export function detailsQueryBody(query: ConversationQuery, pageNumber: number) {
  const segmentFilters = [...anyOf("queueId", query.queueIds), ...anyOf("userId", query.userIds)];
  const conversationFilters = anyOf("divisionIds", query.divisionIds);
  return {
    interval: `${query.from}/${query.to}`,
    order: "asc",
    orderBy: "conversationStart",
    paging: { pageSize: DETAILS_QUERY_PAGE_SIZE, pageNumber },
    ...(segmentFilters.length > 0 ? { segmentFilters } : {}),
    ...(conversationFilters.length > 0 ? { conversationFilters } : {}),
  };
}

/** The job body (RecordingJobsQuery): action EXPORT, restricted to exactly these conversations. */
export function recordingJobBody(job: NewRecordingJob) {
  return {
    action: "EXPORT",
    actionDate: job.actionDate.toISOString(),
    integrationId: job.integrationId,
    includeScreenRecordings: job.includeScreenRecordings,
    conversationQuery: {
      interval: `${job.interval.from}/${job.interval.to}`,
      conversationFilters: anyOf("conversationId", job.conversationIds),
    },
  };
}

export function createGenesysBulkClient(transport: GenesysTransport): GenesysBulkClient {
  const { api, send, readJson } = transport;
  const id = encodeURIComponent;

  async function readJob(response: Response, description: string) {
    return jobStatus(await readJson(response, jobSchema, description));
  }

  return {
    async queryConversationIds(query, maxConversations) {
      const ids: string[] = [];
      const seen = new Set<string>();
      for (let pageNumber = 1; ; pageNumber++) {
        const description = `querying conversations ${query.from}/${query.to} (page ${pageNumber})`;
        const response = await send(
          api("/api/v2/analytics/conversations/details/query"),
          { method: "POST", body: detailsQueryBody(query, pageNumber) },
          { description, permission: BULK_PERMISSIONS.query },
        );
        const page = await readJson(response, queryPageSchema, description, {});
        const totalHits = page.totalHits ?? 0;
        if (totalHits > maxConversations) throw new CaseTooLargeError(totalHits, maxConversations);
        const conversations = page.conversations ?? [];
        for (const { conversationId } of conversations) {
          // A conversation touching two pages' boundary may be listed twice while data lands: keep it once.
          if (!seen.has(conversationId)) {
            seen.add(conversationId);
            ids.push(conversationId);
          }
        }
        if (conversations.length < DETAILS_QUERY_PAGE_SIZE || pageNumber * DETAILS_QUERY_PAGE_SIZE >= totalHits) return ids;
      }
    },

    async protectConversations(conversationIds) {
      const description = `protecting ${conversationIds.length} conversation(s) from deletion`;
      const response = await send(
        api("/api/v2/recordings/deletionprotection?protect=true"),
        { method: "PUT", body: { conversationIds } },
        { description, permission: BULK_PERMISSIONS.protect },
      );
      const answer = await readJson(response, protectionAnswerSchema, description, {});
      return (answer.failedUpdates ?? []).map((failure) => JSON.stringify(failure).slice(0, 500));
    },

    async createRecordingJob(job) {
      const description = `creating a recording export job for ${job.conversationIds.length} conversation(s)`;
      const response = await send(
        api("/api/v2/recording/jobs"),
        { method: "POST", body: recordingJobBody(job) },
        { description, permission: BULK_PERMISSIONS.createJob },
      );
      return readJob(response, description);
    },

    async startRecordingJob(jobId) {
      const description = `starting recording job ${jobId}`;
      const response = await send(
        api(`/api/v2/recording/jobs/${id(jobId)}`),
        { method: "PUT", body: { state: "PROCESSING" } },
        {
          description,
          permission: `${BULK_PERMISSIONS.startJob}, recording:recording:editRetention and recording:screenRecording:editRetention`,
        },
      );
      return readJob(response, description);
    },

    async getRecordingJob(jobId) {
      const description = `reading recording job ${jobId}`;
      const response = await send(
        api(`/api/v2/recording/jobs/${id(jobId)}`),
        { method: "GET" },
        {
          description,
          permission: BULK_PERMISSIONS.viewJob,
        },
      );
      return readJob(response, description);
    },

    async failedRecordings(jobId) {
      const failed: FailedRecording[] = [];
      for (let pageNumber = 1; ; pageNumber++) {
        const description = `listing failed recordings of job ${jobId} (page ${pageNumber})`;
        const query = new URLSearchParams({ pageSize: String(FAILED_RECORDINGS_PAGE_SIZE), pageNumber: String(pageNumber) });
        const response = await send(
          api(`/api/v2/recording/jobs/${id(jobId)}/failedrecordings?${query}`),
          { method: "GET" },
          {
            description,
            permission: BULK_PERMISSIONS.viewJob,
          },
        );
        const page = await readJson(response, failedPageSchema, description, {});
        const entities = page.entities ?? [];
        for (const entity of entities) failed.push({ conversationId: entity.conversation?.id, recordingId: entity.recording?.id });
        if (entities.length < FAILED_RECORDINGS_PAGE_SIZE || pageNumber >= (page.pageCount ?? pageNumber)) return failed;
      }
    },
  };
}
