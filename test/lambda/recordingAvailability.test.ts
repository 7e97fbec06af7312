import { describe, expect, it } from "vitest";
import { GenesysPermissionError } from "../../lambda/genesys/errors";
import { createGenesysClient } from "../../lambda/genesys/genesysClient";
import {
  availabilityOf,
  RecordingsDeletedError,
  RecordingsNotYetAvailableError,
  UnexpectedFileStateError,
  unavailableRecordingsError,
} from "../../lambda/worker/recordingAvailability";
import { queueUrlOf, restoreBackoffSeconds } from "../../lambda/worker/redeliveryBackoff";

const API = "https://api.euw2.pure.cloud";
const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";

describe("availabilityOf a Genesys fileState", () => {
  it.each([
    ["AVAILABLE", "download"],
    ["RESTORED", "download"],
    [undefined, "download"],
    ["ARCHIVED", "restore"],
    ["RESTORING", "wait"],
    ["UPLOADING", "wait"],
    ["DELETED", "deleted"],
    ["ERROR", "unexpected"],
    ["archived", "unexpected"],
  ] as const)("%s → %s", (fileState, kind) => {
    expect(availabilityOf(fileState).kind).toBe(kind);
  });
});

describe("the error that ends a job with unavailable recordings", () => {
  const r = (recordingId: string, fileState: string) => ({ recordingId, fileState, note: "n" });

  it("is retryable while any recording may still come back, naming only those", () => {
    const error = unavailableRecordingsError("c", [r("gone", "DELETED"), r("cold", "ARCHIVED"), r("warming", "RESTORING")]);
    expect(error).toBeInstanceOf(RecordingsNotYetAvailableError);
    expect((error as RecordingsNotYetAvailableError).recordings.map((x) => x.recordingId)).toEqual(["cold", "warming"]);
  });

  it("is permanent once only deleted recordings remain, then reports unknown states", () => {
    expect(unavailableRecordingsError("c", [r("gone", "DELETED"), r("odd", "ERROR")])).toBeInstanceOf(RecordingsDeletedError);
    expect(unavailableRecordingsError("c", [r("odd", "ERROR")])).toBeInstanceOf(UnexpectedFileStateError);
    expect(unavailableRecordingsError("c", [])).toBeUndefined();
  });
});

describe("redelivery backoff while Genesys restores", () => {
  it("doubles from an hour and stops at SQS's 12-hour maximum", () => {
    expect([1, 2, 3, 4, 5, 6, 40].map(restoreBackoffSeconds)).toEqual([3600, 7200, 14_400, 28_800, 43_200, 43_200, 43_200]);
    expect(restoreBackoffSeconds(Number.NaN)).toBe(3600);
  });

  it("addresses the queue the message came from", () => {
    expect(queueUrlOf("arn:aws:sqs:eu-west-2:111122223333:jobs")).toBe("https://sqs.eu-west-2.amazonaws.com/111122223333/jobs");
    expect(() => queueUrlOf("not-an-arn")).toThrow("not an SQS queue ARN");
  });
});

describe("GenesysClient.restoreRecording", () => {
  function client(status: number) {
    const seen: { url: string; method: string; body: unknown }[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), method: init?.method ?? "GET", body: JSON.parse(String(init?.body ?? "null")) });
      return new Response(status === 200 ? "{}" : JSON.stringify({ code: "forbidden" }), { status });
    }) as typeof globalThis.fetch;
    const genesys = createGenesysClient({
      apiBaseUrl: API,
      tokens: { getToken: async () => "t", invalidate: () => undefined },
      transcodePollAttempts: 1,
      transcodePollIntervalMs: 0,
      fetch,
      sleep: async () => undefined,
    });
    return { genesys, seen };
  }

  it("moves the archive date into the future and sends the delete date back unchanged", async () => {
    const { genesys, seen } = client(200);
    const until = new Date("2026-12-08T00:00:00.000Z");
    await genesys.restoreRecording(
      { conversationId: CONVERSATION_ID, recordingId: "rec-1", deleteDate: "2033-01-01T00:00:00.000Z" },
      until,
    );
    expect(seen).toEqual([
      {
        url: `${API}/api/v2/conversations/${CONVERSATION_ID}/recordings/rec-1`,
        method: "PUT",
        body: { archiveDate: "2026-12-08T00:00:00.000Z", deleteDate: "2033-01-01T00:00:00.000Z" },
      },
    ]);
  });

  it("names recording:recording:editRetention when Genesys refuses it", async () => {
    const { genesys } = client(403);
    const error = await genesys.restoreRecording({ conversationId: CONVERSATION_ID, recordingId: "rec-1" }, new Date()).catch((e) => e);
    expect(error).toBeInstanceOf(GenesysPermissionError);
    expect(String(error.message)).toContain("recording:recording:editRetention");
  });
});
