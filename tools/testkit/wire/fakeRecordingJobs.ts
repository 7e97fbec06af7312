import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type FakeConversation, type FakeGenesys, json } from "./fakeGenesys";
import { mediaChunks } from "./media";

/**
 * Genesys' native bulk export played on the fake API server: the
 * conversation details query (paged) and recording bulk jobs
 * (POST → PENDING → READY, PUT state PROCESSING → FULFILLED or FAILED),
 * whose export PUTs each recording and its `_metadata.json` into the landing
 * bucket through a real S3 client, in Genesys' key layout
 * `{orgId}/year=YYYY/month=M/day=D/hour=H/conversation_id={id}/{recordingId}.wav`.
 *
 * Documented rules are enforced, not only the happy path: at most
 * `maxConcurrentJobs` jobs PENDING or PROCESSING (400 beyond), action EXPORT
 * with the configured integrationId and an actionDate, a job starts only from
 * READY, page sizes at most 100, a query interval `from/to` with from < to.
 */

export interface QueryableConversation extends FakeConversation {
  /** When the conversation started (the query's interval matches on it). */
  start: string;
  queueId?: string;
  userId?: string;
  divisionId?: string;
}

export interface FakeJobOptions {
  /** Recordings (by id) the job fails to export; they are listed by …/failedrecordings. */
  failRecordings?: ReadonlySet<string>;
  /** The job turns FAILED after exporting this many recordings; the rest are failed recordings. */
  failAfterRecordings?: number;
  /** Fields replaced in the `_metadata.json` of these recordings (by id): metadata that disagrees with its recording. */
  metadataOverrides?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface FakeJob {
  id: string;
  state: "PENDING" | "READY" | "PROCESSING" | "FULFILLED" | "FAILED" | "CANCELLED";
  body: Record<string, unknown>;
  conversationIds: string[];
  failed: Array<{ conversationId: string; recordingId: string }>;
  processed: number;
  totalRecordings: number;
  errorMessage?: string;
}

export interface FakeRecordingJobs {
  addConversation(conversation: QueryableConversation): void;
  readonly jobs: readonly FakeJob[];
  /** Options for the next job created (then the defaults again). */
  scriptNextJob(options: FakeJobOptions): void;
  /** Resolves when every started job has finished writing into the landing bucket. */
  settled(): Promise<void>;
  /** Landing keys written, in order. */
  readonly landed: readonly string[];
  /** Genesys writes a recording (and its metadata) again, same bytes, as a re-run export does; answers the keys written. */
  landAgain(conversationId: string, recordingId: string): Promise<string[]>;
}

export interface FakeRecordingJobsOptions {
  landing: { s3: S3Client; bucket: string };
  orgId: string;
  integrationId: string;
  /** @default 2 (Genesys: "up to a maximum of two concurrent jobs that are either in pending or processing state") */
  maxConcurrentJobs?: number;
  /** GETs a new job answers PENDING before it is READY. @default 1 */
  pendingReads?: number;
}

const MAX_PAGE_SIZE = 100;
const RUNNING = new Set(["PENDING", "PROCESSING"]);

function badRequest(response: Parameters<typeof json>[0], message: string): true {
  json(response, 400, { status: 400, code: "bad.request", message });
  return true;
}

/** The values of the `dimension` predicates in a list of filters. */
function predicateValues(filters: unknown, dimension: string): string[] | undefined {
  const values = ((filters ?? []) as Array<{ predicates?: Array<{ dimension?: string; value?: string }> }>)
    .flatMap((filter) => filter.predicates ?? [])
    .filter((predicate) => predicate.dimension === dimension)
    .map((predicate) => String(predicate.value));
  return values.length > 0 ? values : undefined;
}

function parseInterval(interval: unknown): { from: number; to: number } | undefined {
  const [from, to] = String(interval ?? "")
    .split("/")
    .map((part) => Date.parse(part));
  return Number.isNaN(from) || Number.isNaN(to) || from >= to ? undefined : { from, to };
}

export function attachRecordingJobs(genesys: FakeGenesys, options: FakeRecordingJobsOptions): FakeRecordingJobs {
  const maxConcurrentJobs = options.maxConcurrentJobs ?? 2;
  const conversations = new Map<string, QueryableConversation>();
  const jobs: FakeJob[] = [];
  const reads = new Map<string, number>();
  const scripts = new Map<string, FakeJobOptions>();
  const running: Promise<void>[] = [];
  const landed: string[] = [];
  let nextScript: FakeJobOptions = {};

  const runningJobs = (except?: FakeJob) => jobs.filter((job) => job !== except && RUNNING.has(job.state)).length;
  const view = (job: FakeJob) => ({
    id: job.id,
    state: job.state,
    recordingJobsQuery: job.body,
    totalConversations: job.conversationIds.length,
    totalRecordings: job.totalRecordings,
    totalSkippedRecordings: 0,
    totalFailedRecordings: job.failed.length,
    totalProcessedRecordings: job.processed,
    percentProgress: job.totalRecordings === 0 ? 100 : Math.floor(((job.processed + job.failed.length) * 100) / job.totalRecordings),
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    failedRecordings: `/api/v2/recording/jobs/${job.id}/failedrecordings`,
  });

  /** PUTs one recording and then its `_metadata.json` into the landing bucket; answers both keys. */
  async function land(conversation: QueryableConversation, recording: FakeConversation["recordings"][number], script: FakeJobOptions) {
    const start = new Date(conversation.start);
    // Genesys may or may not zero-pad month/day/hour (bulk contract): this fake does not.
    const prefix = `${options.orgId}/year=${start.getUTCFullYear()}/month=${start.getUTCMonth() + 1}/day=${start.getUTCDate()}/hour=${start.getUTCHours()}/conversation_id=${conversation.id}/`;
    const body = Buffer.concat([...mediaChunks(recording.seed ?? `${conversation.id}/${recording.id}`, recording.bytes)]);
    const key = `${prefix}${recording.id}.wav`;
    await options.landing.s3.send(new PutObjectCommand({ Bucket: options.landing.bucket, Key: key, Body: body }));
    const metadataKey = `${prefix}${recording.id}_metadata.json`;
    const metadata = {
      conversationId: conversation.id,
      recordingId: recording.id,
      fileName: `${recording.id}.wav`,
      mediaType: recording.media ?? "audio",
      contentLength: recording.bytes,
      conversationStartTime: conversation.start,
      ...script.metadataOverrides?.[recording.id],
    };
    await options.landing.s3.send(
      new PutObjectCommand({ Bucket: options.landing.bucket, Key: metadataKey, Body: JSON.stringify(metadata) }),
    );
    landed.push(key, metadataKey);
    return [key, metadataKey];
  }

  async function exportJob(job: FakeJob, script: FakeJobOptions): Promise<void> {
    let exported = 0;
    for (const conversationId of job.conversationIds) {
      const conversation = conversations.get(conversationId);
      if (!conversation) continue;
      for (const recording of conversation.recordings) {
        const failedJob = script.failAfterRecordings !== undefined && exported >= script.failAfterRecordings;
        if (failedJob || script.failRecordings?.has(recording.id)) {
          job.failed.push({ conversationId, recordingId: recording.id });
          continue;
        }
        await land(conversation, recording, script);
        job.processed++;
        exported++;
      }
    }
    if (script.failAfterRecordings !== undefined && job.failed.length > 0) {
      job.state = "FAILED";
      job.errorMessage = `Export stopped after ${script.failAfterRecordings} recording(s): the integration's S3 write was refused`;
    } else {
      job.state = "FULFILLED";
    }
  }

  genesys.addApiRoute((request, response, url, bodyText) => {
    const path = url.pathname;
    if (request.method === "POST" && path === "/api/v2/analytics/conversations/details/query") {
      bodyText.then((text) => {
        const query = JSON.parse(text || "{}") as Record<string, unknown> & { paging?: { pageSize?: number; pageNumber?: number } };
        const interval = parseInterval(query.interval);
        if (!interval) return badRequest(response, "interval must be an ISO-8601 interval start/end with start before end");
        const pageSize = query.paging?.pageSize ?? 25;
        const pageNumber = query.paging?.pageNumber ?? 1;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE || pageNumber < 1)
          return badRequest(response, `paging.pageSize must be 1-${MAX_PAGE_SIZE}`);
        const queues = predicateValues(query.segmentFilters, "queueId");
        const users = predicateValues(query.segmentFilters, "userId");
        const divisions = predicateValues(query.conversationFilters, "divisionIds");
        const matches = [...conversations.values()]
          .filter((conversation) => {
            const start = Date.parse(conversation.start);
            return start >= interval.from && start < interval.to;
          })
          .filter((conversation) => !queues || queues.includes(conversation.queueId ?? ""))
          .filter((conversation) => !users || users.includes(conversation.userId ?? ""))
          .filter((conversation) => !divisions || divisions.includes(conversation.divisionId ?? ""))
          .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
        const page = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        // Genesys leaves `conversations` out of a page with none.
        json(response, 200, {
          totalHits: matches.length,
          ...(page.length > 0 ? { conversations: page.map((c) => ({ conversationId: c.id, conversationStart: c.start })) } : {}),
        });
      });
      return true;
    }
    if (request.method === "POST" && path === "/api/v2/recording/jobs") {
      bodyText.then((text) => {
        const body = JSON.parse(text || "{}") as Record<string, unknown> & { conversationQuery?: Record<string, unknown> };
        if (body.action !== "EXPORT") return badRequest(response, "action must be EXPORT for this integration");
        if (body.integrationId !== options.integrationId)
          return badRequest(response, "integrationId is required for EXPORT and must name an AWS S3 recording bulk actions integration");
        if (Number.isNaN(Date.parse(String(body.actionDate ?? "")))) return badRequest(response, "actionDate is required");
        if (!parseInterval(body.conversationQuery?.interval)) return badRequest(response, "conversationQuery.interval is required");
        if (runningJobs() >= maxConcurrentJobs) {
          return badRequest(
            response,
            `Each organization can run up to a maximum of ${maxConcurrentJobs} concurrent jobs in pending or processing state`,
          );
        }
        const conversationIds = predicateValues(body.conversationQuery?.conversationFilters, "conversationId") ?? [...conversations.keys()];
        const job: FakeJob = {
          id: `00000000-0000-4000-8000-${String(jobs.length + 1).padStart(12, "0")}`,
          state: "PENDING",
          body,
          conversationIds,
          failed: [],
          processed: 0,
          totalRecordings: conversationIds.reduce((sum, id) => sum + (conversations.get(id)?.recordings.length ?? 0), 0),
        };
        jobs.push(job);
        scripts.set(job.id, nextScript);
        nextScript = {};
        json(response, 200, view(job));
      });
      return true;
    }
    const match = /^\/api\/v2\/recording\/jobs\/([^/]+)(\/failedrecordings)?$/u.exec(path);
    if (!match) return false;
    const job = jobs.find((candidate) => candidate.id === match[1]);
    if (!job) {
      json(response, 404, { status: 404, code: "not.found", message: "Job not found" });
      return true;
    }
    if (request.method === "GET" && match[2]) {
      const pageSize = Number(url.searchParams.get("pageSize") ?? 25);
      const pageNumber = Number(url.searchParams.get("pageNumber") ?? 1);
      if (!(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE)) return badRequest(response, "pageSize: Maximum is 100");
      const entities = job.failed
        .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
        .map((failed) => ({ conversation: { id: failed.conversationId }, recording: { id: failed.recordingId } }));
      json(response, 200, { entities, pageSize, pageNumber, total: job.failed.length, pageCount: Math.ceil(job.failed.length / pageSize) });
      return true;
    }
    if (request.method === "GET") {
      const seen = (reads.get(job.id) ?? 0) + 1;
      reads.set(job.id, seen);
      if (job.state === "PENDING" && seen > (options.pendingReads ?? 1)) job.state = "READY";
      json(response, 200, view(job));
      return true;
    }
    if (request.method === "PUT") {
      bodyText.then((text) => {
        const state = (JSON.parse(text || "{}") as { state?: string }).state;
        if (state !== "PROCESSING") return badRequest(response, "state must be PROCESSING to execute a job");
        if (job.state !== "READY") return badRequest(response, `job ${job.id} is ${job.state}, not READY`);
        if (runningJobs(job) >= maxConcurrentJobs) return badRequest(response, `maximum of ${maxConcurrentJobs} concurrent jobs reached`);
        job.state = "PROCESSING";
        running.push(exportJob(job, scripts.get(job.id) ?? {}));
        json(response, 200, view(job));
      });
      return true;
    }
    return false;
  });

  return {
    addConversation(conversation) {
      conversations.set(conversation.id, conversation);
      genesys.addConversation(conversation);
    },
    jobs,
    scriptNextJob(script) {
      nextScript = script;
    },
    async settled() {
      await Promise.all(running);
    },
    landed,
    async landAgain(conversationId, recordingId) {
      const conversation = conversations.get(conversationId);
      const recording = conversation?.recordings.find((candidate) => candidate.id === recordingId);
      if (!conversation || !recording) throw new Error(`the fake has no recording ${recordingId} of conversation ${conversationId}`);
      return land(conversation, recording, {});
    },
  };
}
