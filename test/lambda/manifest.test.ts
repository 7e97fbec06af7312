import { describe, expect, it } from "vitest";
import { buildManifest, type ManifestInput } from "../../lambda/custody/manifest";

const input: ManifestInput = {
  job: {
    jobId: "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e",
    conversationId: "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
    caseId: "MATTER-1",
    requestedAt: "2025-03-04T05:06:07.000Z",
  },
  recordingId: "r1",
  source: { host: "media.cdn.example", path: "/rec/r1.wav" },
  formatId: "WAV",
  contentType: "audio/wav",
  bucket: "legal-hold-archive",
  key: "cases/MATTER-1/conversations/c/recordings/r1.wav",
  stored: { versionId: "v1", sha256: "ab".repeat(32), bytes: 12, checksumCRC64NVME: "AAAAAAAAAAA=", legalHold: "ON" },
  downloadStartedAt: new Date("2025-03-04T06:00:00.000Z"),
  storedAt: new Date("2025-03-04T06:00:05.000Z"),
  functionArn: "arn:aws:lambda:eu-west-2:111122223333:function:worker",
  awsRequestId: "req-1",
  deletionProtection: { status: "applied" },
};

describe("buildManifest", () => {
  it("records requestedBy as null when the request did not name anyone, so every manifest has the same shape", () => {
    expect(buildManifest(input).requestedBy).toBeNull();
  });

  it("keeps only host and path of the source, whatever else the caller passes", () => {
    const source = { ...input.source, query: "X-Amz-Signature=secret" } as ManifestInput["source"];

    expect(buildManifest({ ...input, source }).source).toEqual({ host: "media.cdn.example", path: "/rec/r1.wav" });
  });

  it("carries schema version 1 and the storage proof", () => {
    expect(buildManifest(input)).toMatchObject({
      schemaVersion: 1,
      bytes: 12,
      s3: { versionId: "v1", legalHold: "ON" },
      times: { downloadStartedAt: "2025-03-04T06:00:00.000Z", storedAt: "2025-03-04T06:00:05.000Z" },
    });
  });
});
