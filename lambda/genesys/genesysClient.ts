import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { en } from "zod/locales";
// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";
import {
  DeletionProtectionLimitError,
  GenesysAuthError,
  GenesysError,
  GenesysMediaError,
  GenesysNotFoundError,
  GenesysPermissionError,
  GenesysRateLimitError,
  GenesysServerError,
  TranscodeNotReadyError,
} from "./errors";
import type { TokenProvider } from "./tokenProvider";

/**
 * The four Genesys Cloud calls the export needs, with one retry policy:
 * 429 waits for Retry-After (capped), 5xx and network failures back off
 * exponentially with full jitter, 401 refreshes the token once, 403/404 fail
 * at once with errors naming what to fix. The bearer token goes only to the
 * API origin, never to a media host or CDN, including across redirects.
 */

export interface GenesysTransportOptions {
  /** https://api.<genesys domain>, without a trailing slash. */
  apiBaseUrl: string;
  tokens: TokenProvider;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Injectable so tests do not wait. @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
  /** Attempts per call for 429, 5xx and network failures (the one 401 refresh is extra). @default 4 */
  maxAttempts?: number;
  /** First backoff ceiling; doubles per attempt. @default 500 */
  baseBackoffMs?: number;
  /** @default 20000 */
  maxBackoffMs?: number;
  /** Longest Retry-After honoured; Genesys can ask for more than 30 s. @default 60000 */
  maxRetryAfterMs?: number;
  /** Time allowed until response headers arrive (a media body may then stream for minutes). @default 30000 */
  headersTimeoutMs?: number;
}

export interface GenesysClientOptions extends GenesysTransportOptions {
  /** Requests for a recording that is still transcoding (202) before TranscodeNotReadyError. */
  transcodePollAttempts: number;
  /** Wait between transcoding polls. */
  transcodePollIntervalMs: number;
}

export interface RecordingInfo {
  recordingId: string;
  /** "audio", "screen", "chat", … as Genesys reports it. */
  media: string | undefined;
  /** AVAILABLE, ARCHIVED, RESTORING, RESTORED, UPLOADING, DELETED or ERROR (Platform API Recording.fileState). */
  fileState: string | undefined;
  startTime: string | undefined;
  endTime: string | undefined;
  /** When Genesys will delete the recording, if a retention policy set it; kept as is when restoring. */
  deleteDate?: string;
}

export type DeletionProtectionOutcome = { status: "applied" } | { status: "failed"; failures: string[] };

/** Where a media URI points, without its query string (which carries signatures). */
export interface MediaSource {
  host: string;
  path: string;
}

export interface MediaDownload {
  body: Readable;
  /** Bytes the host announced; undefined when it did not say, or sent the body content-encoded. */
  contentLength: number | undefined;
  contentType: string | undefined;
  source: MediaSource;
}

export interface GenesysClient {
  /** Applies Genesys deletion protection (its legal hold) to every recording of the conversation. */
  protectConversation(conversationId: string): Promise<DeletionProtectionOutcome>;
  /** Lists without transcoding (formatId=NONE): the media is asked for per recording, in the configured format. */
  listRecordings(conversationId: string): Promise<RecordingInfo[]>;
  /**
   * Asks Genesys to restore an archived recording until `until`: moving the
   * archive date of an archived recording restores it (PUT …/recordings/{id}).
   */
  restoreRecording(recording: { conversationId: string; recordingId: string; deleteDate?: string }, until: Date): Promise<void>;
  /** Waits (bounded) for Genesys to transcode the recording and answers the first media URI. */
  mediaFor(conversationId: string, recordingId: string, formatId: string): Promise<string>;
  /** Starts downloading a media URI; the caller consumes or destroys the body. */
  openMedia(uri: string): Promise<MediaDownload>;
}

const PERMISSION_VIEW = "recording:recording:view";
const PERMISSION_PROTECT = "recording:deletionProtection:apply";
const PERMISSION_RESTORE = "recording:recording:editRetention";
const MAX_REDIRECTS = 5;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Genesys ids go into S3 keys: accept only characters that are safe there. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** How Genesys words the 1000-protected-conversations limit (tested without the conversation id, whose hex may read "1000"). */
const LIMIT_WORDING = /limit|maximum|exceed/i;
const mentionsLimit = (text: string, conversationId: string) => LIMIT_WORDING.test(text.replaceAll(conversationId, ""));

export interface Operation {
  /** For messages: "listing recordings of conversation …". */
  description: string;
  /** Named in the GenesysPermissionError a 403 becomes. */
  permission: string;
}

export interface RequestSpec {
  method: "GET" | "PUT" | "POST";
  body?: unknown;
  headers?: Record<string, string>;
}

const recordingListSchema = z.array(
  z.looseObject({
    id: z.string().check(z.regex(SAFE_ID)),
    media: z.optional(z.string()),
    fileState: z.optional(z.string()),
    startTime: z.optional(z.string()),
    endTime: z.optional(z.string()),
    deleteDate: z.optional(z.string()),
  }),
);
const recordingMediaSchema = z.looseObject({
  mediaUris: z.optional(z.record(z.string(), z.looseObject({ mediaUri: z.optional(z.string()) }))),
});
const protectionAnswerSchema = z.looseObject({ failedUpdates: z.optional(z.array(z.unknown())) });

/** zod/mini ships no messages; English keeps the zod wording that "unexpected body" errors quote. */
const englishMessages = en().localeError;

/** Host and path of a URI, for logs and manifests: never the query string or fragment. */
export function describeMediaUri(uri: string): MediaSource {
  const url = new URL(uri);
  return { host: url.host, path: url.pathname };
}

function isSecureUrl(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Releases the connection of a response we will not read. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Genesys error bodies carry { code, message }; keep them short and out of HTML pages. */
async function genesysErrorDetail(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { code?: unknown; message?: unknown } | undefined;
  const parts = [body?.code, body?.message].filter((part): part is string => typeof part === "string");
  return parts.length > 0 ? `: ${parts.join(" - ").slice(0, 300)}` : "";
}

/** A network failure or timeout before any answer (retried like a 5xx). */
class TransportError extends GenesysServerError {
  constructor(description: string, cause: unknown) {
    super(`Genesys did not answer ${description} (${(cause as Error)?.name ?? "error"})`, { cause });
    this.name = "TransportError";
  }
}

/**
 * The API calls with the retry policy, shared by every Genesys client here
 * (the worker's recordings client and the case export's bulk client) so each
 * call gets the same 429/Retry-After, backoff, 401-refresh and token rules.
 */
export interface GenesysTransport {
  /** The API URL of a path such as /api/v2/recording/jobs. */
  api(path: string): string;
  /** Sends with the retry policy; answers any 2xx response for the caller to read. */
  send(url: string, spec: RequestSpec, operation: Operation): Promise<Response>;
  /** Parses and validates a JSON body; `whenEmpty` stands in for an empty body where Genesys may send none. */
  readJson<T>(response: Response, schema: z.ZodMiniType<T>, description: string, whenEmpty?: unknown): Promise<T>;
  /** Releases the connection of a response the caller will not read. */
  discard(response: Response): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export function createGenesysTransport(options: GenesysTransportOptions): GenesysTransport {
  const apiOrigin = new URL(options.apiBaseUrl).origin;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseBackoffMs = options.baseBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 20_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const headersTimeoutMs = options.headersTimeoutMs ?? 30_000;

  const backoffMs = (failures: number) => random() * Math.min(maxBackoffMs, baseBackoffMs * 2 ** (failures - 1));

  function retryAfterMs(response: Response, failures: number): number {
    const header = response.headers.get("retry-after")?.trim();
    const seconds = header ? Number(header) : Number.NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, maxRetryAfterMs);
    const date = header ? Date.parse(header) : Number.NaN;
    if (!Number.isNaN(date)) return Math.min(Math.max(0, date - Date.now()), maxRetryAfterMs);
    return backoffMs(failures);
  }

  /** One fetch, timed out only until the headers arrive so long media bodies can stream. */
  async function fetchOnce(url: string, init: RequestInit, description: string): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException("headers timeout", "TimeoutError")), headersTimeoutMs);
    try {
      return await fetchFn(url, { ...init, redirect: "manual", signal: controller.signal });
    } catch (error) {
      throw new TransportError(description, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Follows redirects itself so the token is attached per hop, and only to
   * the API origin: fetch's own redirect handling would not let us decide.
   */
  async function exchange(url: string, spec: RequestSpec, description: string): Promise<{ response: Response; sentToken: boolean }> {
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      if (!isSecureUrl(current)) throw new GenesysError(`Refusing to fetch ${description} over insecure ${current.protocol}`);
      const sentToken = current.origin === apiOrigin;
      const headers = new Headers(spec.headers);
      if (sentToken) headers.set("authorization", `Bearer ${await options.tokens.getToken()}`);
      if (spec.body !== undefined) headers.set("content-type", "application/json");
      const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      const response = await fetchOnce(current.href, { method: spec.method, headers, body }, description);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || response.status === 304) return { response, sentToken };
      await discard(response);
      if (!location || spec.method !== "GET" || hop >= MAX_REDIRECTS) {
        throw new GenesysError(`Genesys redirected ${description} unexpectedly (${response.status})`, { status: response.status });
      }
      current = new URL(location, current);
    }
  }

  /** Applies the retry policy; answers any 2xx response (202 included) for the caller to read. */
  async function send(url: string, spec: RequestSpec, operation: Operation): Promise<Response> {
    const { description } = operation;
    let failures = 0;
    let refreshedToken = false;
    for (;;) {
      let outcome: { response: Response; sentToken: boolean };
      try {
        outcome = await exchange(url, spec, description);
      } catch (error) {
        if (!(error instanceof TransportError) || ++failures >= maxAttempts) throw error;
        await sleep(backoffMs(failures));
        continue;
      }
      const { response, sentToken } = outcome;
      const { status } = response;
      if (status >= 200 && status < 300) return response;
      if (status === 401 && sentToken && !refreshedToken) {
        // The token may have been revoked or expired early: log in again, once.
        await discard(response);
        options.tokens.invalidate();
        refreshedToken = true;
        continue;
      }
      if (status === 429 || status >= 500) {
        if (++failures < maxAttempts) {
          const wait = status === 429 ? retryAfterMs(response, failures) : backoffMs(failures);
          await discard(response);
          await sleep(wait);
          continue;
        }
        await discard(response);
        if (status === 429) throw new GenesysRateLimitError(`Genesys rate-limited ${description} ${failures} times (429)`);
        throw new GenesysServerError(`Genesys failed ${description} ${failures} times (${status})`, { status });
      }
      throw await statusError(response, sentToken, operation);
    }
  }

  async function statusError(response: Response, sentToken: boolean, operation: Operation): Promise<GenesysError> {
    const { status } = response;
    const detail = await genesysErrorDetail(response);
    if (!sentToken) {
      // A media host refusing a signed URI (often expired): a redelivery asks Genesys for a fresh one.
      return new GenesysMediaError(`The media host refused ${operation.description} (${status})`, { status });
    }
    if (status === 401)
      return new GenesysAuthError(`Genesys rejected a fresh token for ${operation.description} (401${detail})`, { status });
    if (status === 403) return new GenesysPermissionError(operation.description, operation.permission);
    if (status === 404) return new GenesysNotFoundError(operation.description);
    return new GenesysError(`Genesys refused ${operation.description} (${status}${detail})`, { status });
  }

  /** Parses and validates a JSON body; `whenEmpty` stands in for an empty body where Genesys may send none. */
  async function readJson<T>(response: Response, schema: z.ZodMiniType<T>, description: string, whenEmpty?: unknown): Promise<T> {
    const text = await response.text().catch(() => "");
    let body: unknown = whenEmpty;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    const result = schema.safeParse(body, { error: englishMessages });
    if (!result.success)
      throw new GenesysError(`Genesys answered ${description} with an unexpected body (${result.error.issues[0]?.message})`);
    return result.data;
  }

  return { api: (path) => `${options.apiBaseUrl}${path}`, send, readJson, discard, sleep };
}

export function createGenesysClient(options: GenesysClientOptions): GenesysClient {
  const { api, send, readJson, sleep } = createGenesysTransport(options);
  const id = encodeURIComponent;

  /** Repeats a request while Genesys answers 202 (still working), up to the configured bound. */
  async function pollUntilReady(url: string, operation: Operation, notReady: () => GenesysError): Promise<Response> {
    for (let attempt = 1; attempt <= options.transcodePollAttempts; attempt++) {
      const response = await send(url, { method: "GET" }, operation);
      if (response.status !== 202) return response;
      await discard(response);
      if (attempt < options.transcodePollAttempts) await sleep(options.transcodePollIntervalMs);
    }
    throw notReady();
  }

  return {
    async protectConversation(conversationId) {
      const operation = { description: `protecting conversation ${conversationId} from deletion`, permission: PERMISSION_PROTECT };
      let response: Response;
      try {
        response = await send(
          api("/api/v2/recordings/deletionprotection?protect=true"),
          { method: "PUT", body: { conversationIds: [conversationId] } },
          operation,
        );
      } catch (error) {
        // Genesys may refuse the whole request, rather than list a failed update, once the limit is reached.
        if (error instanceof GenesysError && error.status === 400 && mentionsLimit(error.message, conversationId)) {
          throw new DeletionProtectionLimitError(conversationId, error.message, { status: 400, cause: error });
        }
        throw error;
      }
      const answer = await readJson(response, protectionAnswerSchema, operation.description, {});
      const failures = (answer.failedUpdates ?? []).map((failure) => JSON.stringify(failure).slice(0, 500));
      const limitFailure = failures.find((failure) => mentionsLimit(failure, conversationId));
      if (limitFailure) throw new DeletionProtectionLimitError(conversationId, limitFailure);
      return failures.length > 0 ? { status: "failed", failures } : { status: "applied" };
    },

    async listRecordings(conversationId) {
      const description = `listing recordings of conversation ${conversationId}`;
      const response = await pollUntilReady(
        // Without formatId Genesys defaults to WEBM and waits for that transcode, which the export never uses.
        api(`/api/v2/conversations/${id(conversationId)}/recordings?maxWaitMs=5000&formatId=NONE`),
        { description, permission: PERMISSION_VIEW },
        () => new TranscodeNotReadyError(conversationId, undefined, options.transcodePollAttempts),
      );
      if (response.status === 204) return [];
      const recordings = await readJson(response, recordingListSchema, description);
      return recordings.map((recording) => ({
        recordingId: recording.id,
        media: recording.media,
        fileState: recording.fileState,
        startTime: recording.startTime,
        endTime: recording.endTime,
        ...(recording.deleteDate === undefined ? {} : { deleteDate: recording.deleteDate }),
      }));
    },

    async restoreRecording({ conversationId, recordingId, deleteDate }, until) {
      const operation = {
        description: `restoring archived recording ${recordingId} of conversation ${conversationId}`,
        permission: PERMISSION_RESTORE,
      };
      // The body replaces the retention dates: the delete date goes back as it was, only the archive date moves.
      const body = { archiveDate: until.toISOString(), ...(deleteDate === undefined ? {} : { deleteDate }) };
      const response = await send(
        api(`/api/v2/conversations/${id(conversationId)}/recordings/${id(recordingId)}`),
        { method: "PUT", body },
        operation,
      );
      await discard(response);
    },

    async mediaFor(conversationId, recordingId, formatId) {
      const description = `downloading recording ${recordingId} of conversation ${conversationId}`;
      const query = new URLSearchParams({ formatId, download: "true" });
      const response = await pollUntilReady(
        api(`/api/v2/conversations/${id(conversationId)}/recordings/${id(recordingId)}?${query}`),
        { description, permission: PERMISSION_VIEW },
        () => new TranscodeNotReadyError(conversationId, recordingId, options.transcodePollAttempts),
      );
      const recording = await readJson(response, recordingMediaSchema, description);
      const uri = Object.values(recording.mediaUris ?? {}).find((entry) => entry.mediaUri)?.mediaUri;
      if (!uri) throw new GenesysError(`Genesys answered ${description} without a media URI`, { status: response.status });
      let parsed: URL;
      try {
        parsed = new URL(uri);
      } catch (error) {
        throw new GenesysError(`Genesys answered ${description} with a media URI that is not a URL`, { cause: error });
      }
      if (!isSecureUrl(parsed)) throw new GenesysError(`Genesys answered ${description} with a media URI that is not https`);
      return uri;
    },

    async openMedia(uri) {
      const source = describeMediaUri(uri);
      const description = `media ${source.host}${source.path}`;
      // identity: a decompressed body would not match Content-Length, nor the bytes Genesys stored.
      const response = await send(
        uri,
        { method: "GET", headers: { "accept-encoding": "identity" } },
        { description, permission: PERMISSION_VIEW },
      );
      if (response.status !== 200 || !response.body) {
        await discard(response);
        throw new GenesysMediaError(`The media host answered ${description} with ${response.status} and no body`, {
          status: response.status,
        });
      }
      const encoding = response.headers.get("content-encoding");
      const declared = response.headers.get("content-length")?.trim() ?? "";
      const contentLength = (!encoding || encoding === "identity") && /^\d{1,15}$/.test(declared) ? Number(declared) : undefined;
      return {
        body: Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
        contentLength,
        contentType: response.headers.get("content-type") ?? undefined,
        source,
      };
    },
  };
}
