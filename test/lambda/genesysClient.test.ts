import { describe, expect, it, vi } from "vitest";
import {
  DeletionProtectionLimitError,
  GenesysAuthError,
  GenesysMediaError,
  GenesysNotFoundError,
  GenesysPermissionError,
  GenesysRateLimitError,
  GenesysServerError,
  TranscodeNotReadyError,
} from "../../lambda/genesys/errors";
import { createGenesysClient, describeMediaUri } from "../../lambda/genesys/genesysClient";
import type { TokenProvider } from "../../lambda/genesys/tokenProvider";

const API = "https://api.euw2.pure.cloud";
const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const RECORDING_ID = "0a1b2c3d-1000-4000-8000-000000000001";
const CDN_URI = "https://media.cdn.example/rec/abc.wav?X-Amz-Signature=secret-sig&X-Amz-Expires=600";

interface SeenRequest {
  url: string;
  method: string;
  authorization: string | null;
  body: unknown;
}

type Responder = (url: string) => Response;

/** A fetch that answers from a script, one responder per call (the last one repeats), and records what it was asked. */
function scriptedFetch(responders: Responder[]) {
  const seen: SeenRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    seen.push({
      url,
      method: init?.method ?? "GET",
      authorization: headers.get("authorization"),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    return responders[Math.min(seen.length - 1, responders.length - 1)](url);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(null, { status: code, headers });
const ready = json(200, { id: RECORDING_ID, mediaUris: { S: { mediaUri: CDN_URI } } });

function fakeTokens(): TokenProvider & { invalidations: number } {
  let generation = 1;
  return {
    invalidations: 0,
    getToken: async () => `token-${generation}`,
    invalidate() {
      this.invalidations += 1;
      generation += 1;
    },
  };
}

function client(responders: Responder[], overrides: { pollAttempts?: number; random?: number } = {}) {
  const { fetch, seen } = scriptedFetch(responders);
  const sleep = vi.fn(async (_ms: number) => undefined);
  const tokens = fakeTokens();
  const genesys = createGenesysClient({
    apiBaseUrl: API,
    tokens,
    fetch,
    sleep,
    random: () => overrides.random ?? 0.5,
    transcodePollAttempts: overrides.pollAttempts ?? 5,
    transcodePollIntervalMs: 3000,
  });
  return { genesys, seen, sleep, tokens };
}

describe("genesys client: transcoding", () => {
  it("polls while Genesys answers 202, then answers the first media URI", async () => {
    const { genesys, seen, sleep } = client([status(202), status(202), ready]);

    await expect(genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV")).resolves.toBe(CDN_URI);

    expect(seen.map((r) => r.url)).toEqual(
      Array(3).fill(`${API}/api/v2/conversations/${CONVERSATION_ID}/recordings/${RECORDING_ID}?formatId=WAV&download=true`),
    );
    expect(sleep.mock.calls).toEqual([[3000], [3000]]);
  });

  it("gives up after the poll bound with TranscodeNotReadyError, which is retryable", async () => {
    const { genesys, seen, sleep } = client([status(202)], { pollAttempts: 3 });

    const error = await genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TranscodeNotReadyError);
    expect((error as TranscodeNotReadyError).retryable).toBe(true);
    expect((error as TranscodeNotReadyError).recordingId).toBe(RECORDING_ID);
    expect(seen).toHaveLength(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });
});

describe("genesys client: retry policy", () => {
  it("waits for Retry-After on 429, then succeeds", async () => {
    const { genesys, sleep } = client([status(429, { "retry-after": "7" }), ready]);

    await expect(genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV")).resolves.toBe(CDN_URI);

    expect(sleep.mock.calls).toEqual([[7000]]);
  });

  it("caps Retry-After at 60 s", async () => {
    const { genesys, sleep } = client([status(429, { "retry-after": "120" }), ready]);

    await genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV");

    expect(sleep.mock.calls).toEqual([[60_000]]);
  });

  it("fails with a retryable GenesysRateLimitError after 4 attempts", async () => {
    const { genesys, seen } = client([status(429, { "retry-after": "1" })]);

    const error = await genesys.listRecordings(CONVERSATION_ID).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysRateLimitError);
    expect((error as GenesysRateLimitError).retryable).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it("backs off exponentially with full jitter on 5xx, then succeeds", async () => {
    const { genesys, sleep } = client([status(503), status(500), ready], { random: 0.5 });

    await expect(genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV")).resolves.toBe(CDN_URI);

    // random() × min(20 s, 500 ms × 2^(n-1)) with random() = 0.5
    expect(sleep.mock.calls).toEqual([[250], [500]]);
  });

  it("fails with GenesysServerError after 4 attempts on 5xx", async () => {
    const { genesys, seen } = client([status(502)]);

    await expect(genesys.listRecordings(CONVERSATION_ID)).rejects.toBeInstanceOf(GenesysServerError);
    expect(seen).toHaveLength(4);
  });

  it("retries a network failure like a 5xx", async () => {
    const { genesys, seen } = client([
      () => {
        throw new TypeError("fetch failed");
      },
      json(200, []),
    ]);

    await expect(genesys.listRecordings(CONVERSATION_ID)).resolves.toEqual([]);
    expect(seen).toHaveLength(2);
  });

  it("refreshes the token once on 401 and retries with the new token", async () => {
    const { genesys, seen, tokens } = client([status(401), ready]);

    await genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV");

    expect(tokens.invalidations).toBe(1);
    expect(seen.map((r) => r.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("fails with GenesysAuthError when the fresh token is refused too", async () => {
    const { genesys, seen, tokens } = client([status(401)]);

    await expect(genesys.listRecordings(CONVERSATION_ID)).rejects.toBeInstanceOf(GenesysAuthError);
    expect(tokens.invalidations).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it("names the missing permission on 403 and does not retry", async () => {
    const { genesys, seen } = client([status(403)]);

    const error = await genesys.mediaFor(CONVERSATION_ID, RECORDING_ID, "WAV").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysPermissionError);
    expect((error as Error).message).toContain("recording:recording:view");
    expect((error as GenesysPermissionError).retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("names recording:deletionProtection:apply when protection is refused", async () => {
    const { genesys } = client([status(403)]);

    await expect(genesys.protectConversation(CONVERSATION_ID)).rejects.toThrow("recording:deletionProtection:apply");
  });

  it("fails at once with GenesysNotFoundError on 404", async () => {
    const { genesys, seen } = client([status(404)]);

    await expect(genesys.listRecordings(CONVERSATION_ID)).rejects.toBeInstanceOf(GenesysNotFoundError);
    expect(seen).toHaveLength(1);
  });
});

describe("genesys client: deletion protection", () => {
  it("PUTs the conversation id and reports protection applied", async () => {
    const { genesys, seen } = client([json(200, { failedUpdates: [] })]);

    await expect(genesys.protectConversation(CONVERSATION_ID)).resolves.toEqual({ status: "applied" });

    expect(seen[0]).toMatchObject({
      url: `${API}/api/v2/recordings/deletionprotection?protect=true`,
      method: "PUT",
      body: { conversationIds: [CONVERSATION_ID] },
    });
  });

  it("accepts an empty answer as applied", async () => {
    const { genesys } = client([status(204)]);

    await expect(genesys.protectConversation(CONVERSATION_ID)).resolves.toEqual({ status: "applied" });
  });

  it("turns a failed update mentioning the limit into DeletionProtectionLimitError", async () => {
    const failure = { conversationId: CONVERSATION_ID, message: "Maximum number of protected conversations (1000) exceeded" };
    const { genesys } = client([json(200, { failedUpdates: [failure] })]);

    const error = await genesys.protectConversation(CONVERSATION_ID).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeletionProtectionLimitError);
    expect((error as DeletionProtectionLimitError).retryable).toBe(false);
  });

  it("turns a 400 mentioning the limit into DeletionProtectionLimitError", async () => {
    const { genesys } = client([json(400, { code: "bad.request", message: "Protected conversation limit reached" })]);

    await expect(genesys.protectConversation(CONVERSATION_ID)).rejects.toBeInstanceOf(DeletionProtectionLimitError);
  });

  it("reports other failed updates as the outcome, without mistaking a 1000 inside an id for the limit", async () => {
    const id = "6f1b2a3c-1000-4f60-8a7b-9c0d1e2f3a4b";
    const { genesys } = client([json(200, { failedUpdates: [{ conversationId: id, message: "not found" }] })]);

    const outcome = await genesys.protectConversation(id);

    expect(outcome.status).toBe("failed");
  });
});

describe("genesys client: recordings and media", () => {
  it("lists recording ids and media metadata", async () => {
    const { genesys, seen } = client([
      json(200, [
        { id: "rec-1", media: "audio", fileState: "AVAILABLE", startTime: "2025-01-01T00:00:00Z", other: 1 },
        { id: "rec-2", media: "screen" },
      ]),
    ]);

    const recordings = await genesys.listRecordings(CONVERSATION_ID);

    // formatId=NONE: without it Genesys transcodes every recording to WEBM before it lists them.
    expect(seen[0].url).toBe(`${API}/api/v2/conversations/${CONVERSATION_ID}/recordings?maxWaitMs=5000&formatId=NONE`);
    expect(recordings).toEqual([
      { recordingId: "rec-1", media: "audio", fileState: "AVAILABLE", startTime: "2025-01-01T00:00:00Z", endTime: undefined },
      { recordingId: "rec-2", media: "screen", fileState: undefined, startTime: undefined, endTime: undefined },
    ]);
  });

  it("refuses a recording id that is not safe in an S3 key", async () => {
    const { genesys } = client([json(200, [{ id: "../../etc" }])]);

    await expect(genesys.listRecordings(CONVERSATION_ID)).rejects.toThrow(/unexpected body/);
  });

  it("sends the token to the API origin", async () => {
    const { genesys, seen } = client([() => new Response("abc", { status: 200, headers: { "content-length": "3" } })]);

    await genesys.openMedia(`${API}/api/v2/downloads/abc`);

    expect(seen[0].authorization).toBe("Bearer token-1");
  });

  it("never sends the token to a media host", async () => {
    const { genesys, seen } = client([() => new Response("abcd", { status: 200, headers: { "content-length": "4" } })]);

    const media = await genesys.openMedia(CDN_URI);

    expect(seen[0].url).toBe(CDN_URI);
    expect(seen[0].authorization).toBeNull();
    expect(media.contentLength).toBe(4);
    expect(media.source).toEqual({ host: "media.cdn.example", path: "/rec/abc.wav" });
    expect(Buffer.concat(await media.body.toArray()).toString()).toBe("abcd");
  });

  it("drops the token when the API redirects the download to a media host", async () => {
    const { genesys, seen } = client([
      status(302, { location: CDN_URI }),
      () => new Response("abcd", { status: 200, headers: { "content-length": "4" } }),
    ]);

    await genesys.openMedia(`${API}/api/v2/downloads/abc`);

    expect(seen.map((r) => [r.url, r.authorization])).toEqual([
      [`${API}/api/v2/downloads/abc`, "Bearer token-1"],
      [CDN_URI, null],
    ]);
  });

  it("ignores Content-Length of a content-encoded body", async () => {
    const { genesys } = client([
      () => new Response("abcd", { status: 200, headers: { "content-length": "2", "content-encoding": "gzip" } }),
    ]);

    const media = await genesys.openMedia(CDN_URI);

    expect(media.contentLength).toBeUndefined();
    media.body.destroy();
  });

  it("treats a media host refusing the URI as retryable, without quoting its query string", async () => {
    const { genesys } = client([status(403)]);

    const error = await genesys.openMedia(CDN_URI).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysMediaError);
    expect((error as GenesysMediaError).retryable).toBe(true);
    expect((error as Error).message).not.toContain("secret-sig");
  });

  it("describes a media URI by host and path only", () => {
    expect(describeMediaUri(CDN_URI)).toEqual({ host: "media.cdn.example", path: "/rec/abc.wav" });
  });
});
