import { describe, expect, it } from "vitest";
import { CaseTooLargeError, createGenesysBulkClient, recordingJobBody } from "../../lambda/genesys/bulkExportClient";
import { GenesysPermissionError } from "../../lambda/genesys/errors";
import { createGenesysTransport } from "../../lambda/genesys/genesysClient";

/** The bulk client over the shared transport, with fetch scripted: paging, bounds, bodies, retries and permission errors. */

const API = "https://api.euw2.pure.cloud";
type Call = { url: string; method: string; body: unknown };

function clientAnswering(answer: (call: Call, index: number) => Response) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const call = { url, method: String(init.method), body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    return answer(call, calls.length - 1);
  }) as unknown as typeof globalThis.fetch;
  const transport = createGenesysTransport({
    apiBaseUrl: API,
    tokens: { getToken: async () => "token", invalidate: () => {} },
    fetch,
    sleep: async () => {},
    random: () => 0,
  });
  return { client: createGenesysBulkClient(transport), calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const page = (ids: string[], totalHits: number) =>
  json(200, { totalHits, ...(ids.length ? { conversations: ids.map((conversationId) => ({ conversationId })) } : {}) });
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => `c-${from + i}`);

describe("conversation query", () => {
  it("reads every page of 100 until totalHits, with the filters as or-predicates, keeping each id once", async () => {
    const pages = [page(range(0, 100), 230), page([...range(99, 100)], 230), page(range(199, 31), 230)];
    const { client, calls } = clientAnswering((_call, index) => pages[index]);
    const ids = await client.queryConversationIds(
      { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z", queueIds: ["q1", "q2"] },
      5000,
    );
    expect(ids).toHaveLength(230);
    expect(new Set(ids).size).toBe(230);
    expect(calls.map((call) => (call.body as { paging: { pageNumber: number } }).paging.pageNumber)).toEqual([1, 2, 3]);
    expect(calls[0]).toMatchObject({
      url: `${API}/api/v2/analytics/conversations/details/query`,
      method: "POST",
      body: {
        interval: "2026-03-01T00:00:00.000Z/2026-03-02T00:00:00.000Z",
        paging: { pageSize: 100, pageNumber: 1 },
        segmentFilters: [
          {
            type: "or",
            predicates: [
              { type: "dimension", dimension: "queueId", operator: "matches", value: "q1" },
              expect.objectContaining({ value: "q2" }),
            ],
          },
        ],
      },
    });
  });

  it("refuses a case larger than the bound before reading more pages", async () => {
    const { client, calls } = clientAnswering(() => page(range(0, 100), 5001));
    await expect(client.queryConversationIds({ from: "a", to: "b" }, 5000)).rejects.toThrow(CaseTooLargeError);
    expect(calls).toHaveLength(1);
  });

  it("waits out a 429 with Retry-After like every other call, then continues", async () => {
    const { client, calls } = clientAnswering((_call, index) => (index === 0 ? json(429, {}, { "retry-after": "1" }) : page(["c-1"], 1)));
    expect(await client.queryConversationIds({ from: "a", to: "b" }, 10)).toEqual(["c-1"]);
    expect(calls).toHaveLength(2);
  });

  it("names the permission a 403 needs", async () => {
    const { client } = clientAnswering(() => json(403, { message: "missing permission" }));
    await expect(client.queryConversationIds({ from: "a", to: "b" }, 10)).rejects.toThrow(GenesysPermissionError);
    await expect(client.queryConversationIds({ from: "a", to: "b" }, 10)).rejects.toThrow("analytics:conversationDetail:view");
  });
});

describe("recording jobs", () => {
  it("creates an EXPORT job restricted to exactly its conversations, and starts it with state PROCESSING", async () => {
    const { client, calls } = clientAnswering((call) =>
      json(200, { id: "job-1", state: call.method === "PUT" ? "PROCESSING" : "PENDING" }),
    );
    const job = {
      integrationId: "int-1",
      conversationIds: ["c-1", "c-2"],
      interval: { from: "f", to: "t" },
      includeScreenRecordings: true,
      actionDate: new Date("2026-03-03T00:00:00Z"),
    };
    expect((await client.createRecordingJob(job)).state).toBe("PENDING");
    expect((await client.startRecordingJob("job-1")).state).toBe("PROCESSING");
    expect(calls[0].body).toEqual(recordingJobBody(job));
    expect(calls[0].body).toEqual({
      action: "EXPORT",
      actionDate: "2026-03-03T00:00:00.000Z",
      integrationId: "int-1",
      includeScreenRecordings: true,
      conversationQuery: {
        interval: "f/t",
        conversationFilters: [
          {
            type: "or",
            predicates: [
              { type: "dimension", dimension: "conversationId", operator: "matches", value: "c-1" },
              { type: "dimension", dimension: "conversationId", operator: "matches", value: "c-2" },
            ],
          },
        ],
      },
    });
    expect(calls[1]).toMatchObject({ url: `${API}/api/v2/recording/jobs/job-1`, method: "PUT", body: { state: "PROCESSING" } });
  });

  it("reads every page of failed recordings", async () => {
    const entity = (n: number) => ({ conversation: { id: `c-${n}` }, recording: { id: `r-${n}` } });
    const { client, calls } = clientAnswering((_call, index) =>
      json(200, { entities: index === 0 ? Array.from({ length: 100 }, (_, i) => entity(i)) : [entity(100)], pageCount: 2 }),
    );
    const failed = await client.failedRecordings("job-1");
    expect(failed).toHaveLength(101);
    expect(failed[100]).toEqual({ conversationId: "c-100", recordingId: "r-100" });
    expect(calls.map((call) => new URL(call.url).searchParams.get("pageNumber"))).toEqual(["1", "2"]);
  });
});
