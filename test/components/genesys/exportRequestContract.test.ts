import Ajv from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { exportActionContractInput, exportActionContractOutput } from "../../../components/genesys/exportRequestContract";

// Genesys data actions use JSON Schema draft-04: validate the contracts with a draft-04 validator.
const ajv = new Ajv({ strict: true, allErrors: true });
const validateInput = ajv.compile(exportActionContractInput());
const good = { conversationId: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b", caseId: "CASE-2026.001_a", requestedBy: "Legal Ops" };

describe("the export action's input contract", () => {
  it("is a valid draft-04 schema that accepts a complete request", () => {
    expect(validateInput(good)).toBe(true);
  });

  it("accepts a request without requestedBy", () => {
    expect(validateInput({ conversationId: good.conversationId, caseId: "A" })).toBe(true);
  });

  it.each([
    ["a missing conversationId", { caseId: "A" }],
    ["a missing caseId", { conversationId: good.conversationId }],
    ["a conversationId that is not a UUID", { ...good, conversationId: "12345" }],
    ["a caseId starting with a dot", { ...good, caseId: ".hidden" }],
    ["a caseId with a slash (it becomes an S3 key segment)", { ...good, caseId: "a/b" }],
    ["a caseId of 65 characters", { ...good, caseId: "A".repeat(65) }],
    ["an empty caseId", { ...good, caseId: "" }],
    ["a requestedBy of 129 characters", { ...good, requestedBy: "x".repeat(129) }],
    ["a requestedBy with a control character", { ...good, requestedBy: "line\nbreak" }],
    ["an unexpected property", { ...good, priority: "high" }],
  ])("rejects %s", (_label, request) => {
    expect(validateInput(request)).toBe(false);
  });
});

describe("the export action's output contract", () => {
  it("is a valid draft-04 schema requiring jobId and status", () => {
    const validate = ajv.compile(exportActionContractOutput());
    expect(validate({ jobId: "j", status: "queued" })).toBe(true);
    expect(validate({ status: "queued" })).toBe(false);
  });
});
