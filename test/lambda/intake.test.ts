import { Logger } from "@aws-lambda-powertools/logger";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidExportRequestError, parseExportJob } from "../../lambda/intake/exportRequest";

// handler.ts reads its environment when imported, as at a Lambda cold start.
vi.hoisted(() => {
  vi.stubEnv("EXPORT_QUEUE_URL", "https://sqs.eu-west-2.amazonaws.com/111122223333/jobs");
});

import { createIntakeHandler } from "../../lambda/intake/handler";

const QUEUE_URL = "https://sqs.eu-west-2.amazonaws.com/111122223333/jobs";
const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const JOB_ID = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
const sqsMock = mockClient(SQSClient);

function intake() {
  return createIntakeHandler({
    sqs: new SQSClient({ region: "eu-west-2" }),
    queueUrl: QUEUE_URL,
    logger: new Logger({ logLevel: "SILENT" }),
    newJobId: () => JOB_ID,
    now: () => new Date("2025-03-04T05:06:07.000Z"),
  });
}

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: "m-1" });
});

describe("intake handler", () => {
  it("enqueues one job message and answers queued", async () => {
    const answer = await intake()({ conversationId: CONVERSATION_ID, caseId: "MATTER-2025.01_a", requestedBy: "Legal Ops" });

    expect(answer).toEqual({ jobId: JOB_ID, status: "queued" });
    const sent = sqsMock.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0].args[0].input.QueueUrl).toBe(QUEUE_URL);
    expect(JSON.parse(sent[0].args[0].input.MessageBody ?? "")).toEqual({
      jobId: JOB_ID,
      conversationId: CONVERSATION_ID,
      caseId: "MATTER-2025.01_a",
      requestedBy: "Legal Ops",
      requestedAt: "2025-03-04T05:06:07.000Z",
    });
  });

  it("leaves requestedBy out of the message when the data action did not send it", async () => {
    await intake()({ conversationId: CONVERSATION_ID, caseId: "case-1" });

    const body = JSON.parse(sqsMock.commandCalls(SendMessageCommand)[0].args[0].input.MessageBody ?? "");
    expect(body).not.toHaveProperty("requestedBy");
  });

  it("writes a message the worker accepts", async () => {
    await intake()({ conversationId: CONVERSATION_ID, caseId: "case-1", requestedBy: "a" });

    const body = sqsMock.commandCalls(SendMessageCommand)[0].args[0].input.MessageBody ?? "";
    expect(parseExportJob(body).jobId).toBe(JOB_ID);
  });

  it.each([
    [{ caseId: "case-1" }, "conversationId: is required"],
    [{ conversationId: 42, caseId: "case-1" }, "conversationId: must be a string"],
    [{ conversationId: "not-a-uuid", caseId: "case-1" }, "conversationId: must be a UUID"],
    [{ conversationId: CONVERSATION_ID }, "caseId: is required"],
    [{ conversationId: CONVERSATION_ID, caseId: ".hidden" }, 'caseId: must be 1-64 of A-Z a-z 0-9 . _ - and not start with "."'],
    [{ conversationId: CONVERSATION_ID, caseId: "a/b" }, "caseId: must be 1-64"],
    [{ conversationId: CONVERSATION_ID, caseId: "x".repeat(65) }, "caseId: must be 1-64"],
    [{ conversationId: CONVERSATION_ID, caseId: "c", requestedBy: "r".repeat(129) }, "requestedBy: must be 1-128 characters"],
    [{ conversationId: CONVERSATION_ID, caseId: "c", requestedBy: "line\nbreak" }, "requestedBy: must be 1-128 characters without control"],
    [{ conversationId: CONVERSATION_ID, caseId: "c", requestedBy: "" }, "requestedBy: must be 1-128"],
    [{ conversationId: CONVERSATION_ID, caseId: "c", extra: 1 }, '"extra": is not an accepted field'],
    [null, "event: must be a JSON object"],
    [[CONVERSATION_ID], "event: must be a JSON object"],
  ])("rejects %j naming the field, and enqueues nothing", async (event, message) => {
    const rejection = intake()(event);

    await expect(rejection).rejects.toBeInstanceOf(InvalidExportRequestError);
    await expect(rejection).rejects.toThrow(message);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("accepts a requestedBy of 128 characters counted as code points, as the data action's JSON Schema does", async () => {
    await expect(intake()({ conversationId: CONVERSATION_ID, caseId: "c", requestedBy: "😀".repeat(128) })).resolves.toMatchObject({
      status: "queued",
    });
  });

  it("rejects every invalid event and sends nothing (property)", async () => {
    const handler = intake();
    await fc.assert(
      fc.asyncProperty(invalidEvent(), async (event) => {
        await expect(handler(event)).rejects.toBeInstanceOf(InvalidExportRequestError);
        expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
      }),
      { numRuns: 1000 },
    );
  });
});

// --- generators: invalid by construction, without reusing the production patterns as the oracle ---

const HEX = "0123456789abcdefABCDEF".split("");
const CASE_CHARS = "ABCxyz019._-".split("");
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CASE_SHAPE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

const chars = (alphabet: string[], minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((list) => list.join(""));
const hexRun = (length: number) => chars(HEX, length, length);
const validConversationId = fc.tuple(hexRun(8), hexRun(4), hexRun(4), hexRun(4), hexRun(12)).map((parts) => parts.join("-"));
const validCaseId = fc.tuple(chars(CASE_CHARS.slice(0, -3).concat("_", "-"), 1, 1), chars(CASE_CHARS, 0, 63)).map(([a, b]) => a + b);
const validRequestedBy = chars(["a", "Z", " ", "é", "😀", "'"], 1, 128);
const validEvent = fc.record(
  { conversationId: validConversationId, caseId: validCaseId, requestedBy: validRequestedBy },
  { requiredKeys: ["conversationId", "caseId"] },
);

const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
const badConversationId = fc.oneof(
  fc.string().filter((s) => !UUID_SHAPE.test(s)),
  validConversationId.map((id) => `${id}0`),
  validConversationId.map((id) => id.replace(/-/g, "")),
  validConversationId.map((id) => `{${id}}`),
  validConversationId.map((id) => `${id.slice(0, 35)}g`),
);
const badCaseId = fc.oneof(
  fc.constant(""),
  chars(CASE_CHARS, 0, 63).map((rest) => `.${rest}`),
  chars(CASE_CHARS, 65, 100),
  fc.tuple(chars(CASE_CHARS, 1, 30), fc.constantFrom("/", " ", "\\", ":", "é", "\n", "*", "?")).map(([a, b]) => `${a}${b}`),
  fc.string().filter((s) => !CASE_SHAPE.test(s)),
);
const badRequestedBy = fc.oneof(
  fc.constant(""),
  chars(["a", "Z", " ", "é", "😀"], 129, 300),
  fc.tuple(validRequestedBy, fc.integer({ min: 0, max: 0x1f })).map(([s, code]) => `${s}${String.fromCharCode(code)}`),
  validRequestedBy.map((s) => `\u007f${s}`),
);
const extraKey = fc.string().filter((key) => !["conversationId", "caseId", "requestedBy"].includes(key));

type Mutation = (event: Record<string, unknown>) => fc.Arbitrary<unknown>;
const withField =
  (field: string, value: fc.Arbitrary<unknown>): Mutation =>
  (event) =>
    value.map((v) => ({ ...event, [field]: v }));
const mutations: Mutation[] = [
  (event) => fc.constantFrom("conversationId", "caseId").map((field) => omit(event, field)),
  withField("conversationId", notAString),
  withField("caseId", notAString),
  withField("requestedBy", notAString),
  withField("conversationId", badConversationId),
  withField("caseId", badCaseId),
  withField("requestedBy", badRequestedBy),
  // defineProperty, not spread: JSON can carry an own "__proto__" key, and a spread would set the prototype instead.
  (event) =>
    fc.tuple(extraKey, fc.jsonValue()).map(([key, value]) => Object.defineProperty({ ...event }, key, { value, enumerable: true })),
];

function omit(event: Record<string, unknown>, field: string) {
  const { [field]: _, ...rest } = event;
  return rest;
}

function invalidEvent(): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(validEvent, fc.integer({ min: 0, max: mutations.length - 1 }))
    .chain(([event, index]) => mutations[index](event));
  const notAnObject = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.array(fc.anything()));
  const randomObject = fc.object().filter((o) => Object.keys(o).some((key) => !["conversationId", "caseId", "requestedBy"].includes(key)));
  return fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 1, arbitrary: notAnObject }, { weight: 1, arbitrary: randomObject });
}
