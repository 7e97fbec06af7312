import { describe, expect, it } from "vitest";
import {
  CASE_ROUTING_SCHEMA,
  type CaseRouting,
  caseExportRecordKey,
  caseRoutingBytes,
  caseRoutingKey,
  caseRoutingPrefix,
  InvalidCaseRoutingError,
  parseCaseRouting,
  parseCaseRoutingKey,
} from "../../lambda/bulk/caseRouting";

const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const EXPORT_ID = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";

function routing(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: CASE_ROUTING_SCHEMA,
    caseId: "MATTER-7",
    conversationId: CONVERSATION_ID,
    exportId: EXPORT_ID,
    requestedBy: "Legal Ops",
    requestedAt: "2026-11-30T10:00:00.000Z",
    caseRecordKey: caseExportRecordKey("MATTER-7", EXPORT_ID),
    deletionProtection: { status: "applied" },
    ...overrides,
  };
}

function problemsOf(body: string, key?: string): string[] {
  try {
    parseCaseRouting(body, key);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCaseRoutingError);
    return (error as InvalidCaseRoutingError).problems;
  }
  throw new Error("expected the routing object to be refused");
}

describe("case routing keys", () => {
  it("puts one object per conversation and case under the conversation's prefix", () => {
    const key = caseRoutingKey(CONVERSATION_ID, "MATTER-7");

    expect(key).toBe(`routing/conversation_id=${CONVERSATION_ID}/case_id=MATTER-7.json`);
    expect(key.startsWith(caseRoutingPrefix(CONVERSATION_ID))).toBe(true);
    expect(parseCaseRoutingKey(key)).toEqual({ conversationId: CONVERSATION_ID, caseId: "MATTER-7" });
  });

  it("does not take a key of another shape for a routing key", () => {
    expect(parseCaseRoutingKey(`routing/conversation_id=${CONVERSATION_ID}/case_id=.hidden.json`)).toBeUndefined();
    expect(parseCaseRoutingKey(`routing/conversation_id=not-a-uuid/case_id=MATTER-7.json`)).toBeUndefined();
    expect(parseCaseRoutingKey(`routing/conversation_id=${CONVERSATION_ID}/case_id=MATTER-7.json.bak`)).toBeUndefined();
  });
});

describe("parseCaseRouting", () => {
  it("accepts the contract's shape, for applied and failed deletion protection and an unknown requester", () => {
    const failed = routing({ requestedBy: null, deletionProtection: { status: "failed", failures: ["conversation not found"] } });

    expect(parseCaseRouting(JSON.stringify(routing()))).toEqual(routing());
    expect(parseCaseRouting(JSON.stringify(failed), caseRoutingKey(CONVERSATION_ID, "MATTER-7"))).toEqual(failed);
  });

  it("stores canonical JSON that parses back to the same routing", () => {
    const bytes = caseRoutingBytes(routing() as CaseRouting);

    expect(Buffer.from(bytes).toString("utf8")).toBe(
      `{"caseId":"MATTER-7","caseRecordKey":"cases/MATTER-7/exports/${EXPORT_ID}.export.dsse.json","conversationId":"${CONVERSATION_ID}",` +
        `"deletionProtection":{"status":"applied"},"exportId":"${EXPORT_ID}","requestedAt":"2026-11-30T10:00:00.000Z",` +
        `"requestedBy":"Legal Ops","schema":"${CASE_ROUTING_SCHEMA}"}`,
    );
    expect(parseCaseRouting(Buffer.from(bytes).toString("utf8"))).toEqual(routing());
  });

  it("names every bad field and the fix, never the value", () => {
    const problems = problemsOf(JSON.stringify(routing({ caseId: ".secret", exportId: "7", requestedAt: "yesterday", extra: 1 })));

    expect(problems).toEqual(
      expect.arrayContaining([
        'caseId: must be 1-64 of A-Z a-z 0-9 . _ - and not start with "."',
        "exportId: must be a UUID",
        "requestedAt: must be an ISO 8601 UTC timestamp",
        '"extra": is not a field of a case routing object',
      ]),
    );
    expect(problems.join(" ")).not.toContain(".secret");
  });

  it("says which field is missing", () => {
    const { deletionProtection: _, ...withoutProtection } = routing();

    expect(problemsOf(JSON.stringify(withoutProtection))).toEqual(["deletionProtection: is required"]);
  });

  it("refuses another schema version and a body that is not JSON", () => {
    expect(problemsOf(JSON.stringify(routing({ schema: "legal-hold-archive/case-routing/v2" })))).toEqual([
      `schema: must be "${CASE_ROUTING_SCHEMA}"`,
    ]);
    expect(problemsOf("{")).toEqual(["body: is not JSON"]);
    expect(problemsOf("[]")).toEqual(["body: must be a JSON object"]);
  });

  it("refuses a caseRecordKey that is not the case export's record", () => {
    expect(problemsOf(JSON.stringify(routing({ caseRecordKey: `cases/OTHER/exports/${EXPORT_ID}.export.dsse.json` })))).toEqual([
      "caseRecordKey: must be the archive key cases/{caseId}/exports/{exportId}.export.dsse.json",
    ]);
  });

  it("refuses a body stored under a key naming another case or conversation", () => {
    const otherConversation = "11111111-2222-4333-8444-555555555555";

    expect(problemsOf(JSON.stringify(routing()), caseRoutingKey(CONVERSATION_ID, "MATTER-8"))).toEqual([
      "caseId: differs from the case the key names",
    ]);
    expect(problemsOf(JSON.stringify(routing()), caseRoutingKey(otherConversation, "MATTER-7"))).toEqual([
      "conversationId: differs from the conversation the key names",
    ]);
  });
});
