import { describe, expect, it } from "vitest";
import { caseExportRecordKey, caseRoutingKey } from "../../lambda/bulk/caseRouting";
import { bulkExportProblems } from "../../tools/commands/custodyVerify/bulkExportOrigin";

const ORG_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const RECORDING_ID = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
const EXPORT_ID = "11111111-2222-4333-8444-555555555555";
const FOLDER = `${ORG_ID}/year=2026/month=3/day=4/hour=5/conversation_id=${CONVERSATION_ID}/`;
const MEDIA_KEY = `cases/MATTER-1/conversations/${CONVERSATION_ID}/recordings/${RECORDING_ID}.opus`;

// biome-ignore lint/suspicious/noExplicitAny: a parsed record, tampered with field by field
type Json = Record<string, any>;

/** The predicate the sealer writes for a bulk-exported recording, as verify reads it. */
function predicate(): Json {
  return {
    jobId: EXPORT_ID,
    caseId: "MATTER-1",
    conversationId: CONVERSATION_ID,
    recordingId: RECORDING_ID,
    source: null,
    bytes: 1234,
    requestedBy: "Legal Ops",
    times: { requestedAt: "2026-03-04T06:00:00.000Z" },
    bulkExport: {
      landing: { bucket: "landing", key: `${FOLDER}${RECORDING_ID}.opus`, versionId: null, etag: '"e"', bytes: 1234 },
      genesysMetadata: {
        key: `${FOLDER}${RECORDING_ID}_metadata.json`,
        bytes: 99,
        sha256: "a".repeat(64),
        summary: { conversationId: CONVERSATION_ID, recordingId: RECORDING_ID },
      },
      routing: {
        key: caseRoutingKey(CONVERSATION_ID, "MATTER-1"),
        exportId: EXPORT_ID,
        caseRecordKey: caseExportRecordKey("MATTER-1", EXPORT_ID),
        requestedBy: "Legal Ops",
        requestedAt: "2026-03-04T06:00:00.000Z",
      },
    },
  };
}

describe("verify's bulk export check", () => {
  it("passes a record whose origin agrees with its statement and location", () => {
    expect(bulkExportProblems(predicate(), MEDIA_KEY)).toEqual([]);
  });

  it.each<[string, (p: Json) => void, string]>([
    [
      "a landing key of another conversation",
      (p) => (p.bulkExport.landing.key = p.bulkExport.landing.key.replace(CONVERSATION_ID, EXPORT_ID)),
      `landing.key names conversation ${EXPORT_ID}`,
    ],
    ["a landing key that is not Genesys'", (p) => (p.bulkExport.landing.key = "somewhere/else.opus"), "landing.key expected 7 segments"],
    ["a landing object of another size", (p) => (p.bulkExport.landing.bytes = 1), "landing.bytes is 1, the archived copy 1234"],
    [
      "metadata naming another recording",
      (p) => (p.bulkExport.genesysMetadata.summary.recordingId = EXPORT_ID),
      `the Genesys metadata names recording ${EXPORT_ID}`,
    ],
    [
      "metadata not beside the recording",
      (p) => (p.bulkExport.genesysMetadata.key = `${FOLDER}other_metadata.json`),
      "is not beside the landing recording",
    ],
    [
      "a routing to another case",
      (p) => (p.bulkExport.routing.key = caseRoutingKey(CONVERSATION_ID, "MATTER-2")),
      "does not route this conversation to this case",
    ],
    [
      "another case's export record",
      (p) => (p.bulkExport.routing.caseRecordKey = caseExportRecordKey("MATTER-2", EXPORT_ID)),
      "is not this case's export record",
    ],
    ["an export id that is not the job id", (p) => (p.jobId = "other"), "is not the record's jobId"],
    ["a Genesys media URI as source", (p) => (p.source = { host: "cdn", path: "/x" }), "source must be null"],
  ])("fails %s, saying what", (_, change, message) => {
    const tampered = predicate();
    change(tampered);
    expect(bulkExportProblems(tampered, MEDIA_KEY).join("; ")).toContain(message);
  });

  it("fails a record found under another file name than the one that landed", () => {
    expect(bulkExportProblems(predicate(), MEDIA_KEY.replace(".opus", ".wav"))).toEqual([
      `landing file ${RECORDING_ID}.opus is not the archived file`,
    ]);
  });
});
