import { Logger } from "@aws-lambda-powertools/logger";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ArchiveVerificationError } from "../../lambda/archive/recordingWriter";
import { CASE_ROUTING_SCHEMA, caseExportRecordKey, caseRoutingKey, InvalidCaseRoutingError } from "../../lambda/bulk/caseRouting";
import { ExportedMetadataError, readExportedMetadata } from "../../lambda/bulk/exportedMetadata";
import { LandingKeyError, type LandingRecording, parseLandingKey } from "../../lambda/bulk/landingKey";
import { LandingBytesDifferError, MetadataNotLandedError, type SealerDeps, sealLandedObject } from "../../lambda/bulk/sealLandedRecording";
import type { CustodySigner } from "../../lambda/custody/custodySigner";
import { readSealerEnv } from "../../lambda/shared/env";

// sealerHandler.ts reads its environment when imported, as at a Lambda cold start.
vi.hoisted(() => {
  vi.stubEnv("ARCHIVE_BUCKET", "archive-bucket");
  vi.stubEnv("ARCHIVE_KMS_KEY_ARN", "arn:aws:kms:eu-west-2:111122223333:key/archive");
  vi.stubEnv("SIGNING_KEY_ARN", "arn:aws:kms:eu-west-2:111122223333:key/signing");
  vi.stubEnv("LANDING_BUCKET", "landing-bucket");
  vi.stubEnv("GENESYS_ORGANIZATION_ID", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
});

import { classifySealerFailure, InvalidSealerMessageError, landingKeysOf } from "../../lambda/bulk/sealerHandler";

const ORG_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const CONVERSATION_ID = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const RECORDING_ID = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
const EXPORT_ID = "11111111-2222-4333-8444-555555555555";
const FOLDER = `${ORG_ID}/year=2026/month=3/day=4/hour=5/conversation_id=${CONVERSATION_ID}/`;
const RECORDING_KEY = `${FOLDER}${RECORDING_ID}.opus`;
const METADATA_KEY = `${FOLDER}${RECORDING_ID}_metadata.json`;
const ROUTING_KEY = caseRoutingKey(CONVERSATION_ID, "MATTER-1");
const s3Mock = mockClient(S3Client);
const notFound = () => Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
/** The two ways the sealer reads a small landing object. */
const body = (text: string) =>
  ({
    transformToString: async () => text,
    transformToByteArray: async () => new Uint8Array(Buffer.from(text)),
  }) as unknown as GetObjectCommandOutput["Body"];

const signer: CustodySigner = {
  keyId: "arn:aws:kms:eu-west-2:111122223333:key/signing",
  signEnvelope: vi.fn(async () => ({ payload: "", payloadType: "application/vnd.in-toto+json", signatures: [] })),
};

function deps(): SealerDeps {
  return {
    s3: new S3Client({ region: "eu-west-2" }),
    signer,
    bucket: "archive-bucket",
    kmsKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/archive",
    landingBucket: "landing-bucket",
    organizationId: ORG_ID,
    functionArn: "arn:aws:lambda:eu-west-2:111122223333:function:legal-hold-landing-sealer",
    awsRequestId: "req-1",
    logger: new Logger({ logLevel: "SILENT" }),
  };
}

function metadata(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({ conversationId: CONVERSATION_ID, recordingId: RECORDING_ID, mediaType: "Call", provider: "edge", ...overrides });
}

function routing(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    schema: CASE_ROUTING_SCHEMA,
    caseId: "MATTER-1",
    conversationId: CONVERSATION_ID,
    exportId: EXPORT_ID,
    requestedBy: null,
    requestedAt: "2026-03-04T06:00:00.000Z",
    caseRecordKey: caseExportRecordKey("MATTER-1", EXPORT_ID),
    deletionProtection: { status: "applied" },
    ...overrides,
  });
}

/** A landed recording with its metadata and one routing object; no archive object yet. */
function landed(options: { metadata?: string | null; routings?: Record<string, string> } = {}) {
  s3Mock.on(HeadObjectCommand).rejects(notFound());
  s3Mock.on(HeadObjectCommand, { Bucket: "landing-bucket", Key: RECORDING_KEY }).resolves({ ContentLength: 5, ETag: '"e1"' });
  s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }));
  if (options.metadata !== null)
    s3Mock.on(GetObjectCommand, { Key: METADATA_KEY }).callsFake(() => ({ Body: body(options.metadata ?? metadata()) }));
  const routings = options.routings ?? { [ROUTING_KEY]: routing() };
  s3Mock.on(ListObjectsV2Command).resolves({ Contents: Object.keys(routings).map((Key) => ({ Key })) });
  for (const [Key, text] of Object.entries(routings)) s3Mock.on(GetObjectCommand, { Key }).callsFake(() => ({ Body: body(text) }));
}

const writes = () => [
  ...s3Mock.commandCalls(PutObjectCommand),
  ...s3Mock.commandCalls(UploadPartCommand),
  ...s3Mock.commandCalls(DeleteObjectCommand),
];

beforeEach(() => {
  s3Mock.reset();
});

describe("landingKeysOf", () => {
  it("URL-decodes the keys of an S3 notification, '+' being a space", () => {
    const message = {
      Records: [
        { eventName: "ObjectCreated:Put", s3: { bucket: { name: "landing-bucket" }, object: { key: "org/year%3D2026/a+b%2Bc.json" } } },
      ],
    };
    expect(landingKeysOf(JSON.stringify(message), "landing-bucket")).toEqual(["org/year=2026/a b+c.json"]);
  });

  it("round-trips any key S3 could encode", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (key) => {
        const encoded = encodeURIComponent(key).replace(/%20/g, "+");
        const message = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key: encoded } } }] };
        expect(landingKeysOf(JSON.stringify(message), "b")).toEqual([key]);
      }),
    );
  });

  it("answers no keys for S3's test event", () => {
    expect(
      landingKeysOf(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "landing-bucket" }), "landing-bucket"),
    ).toEqual([]);
  });

  it("refuses what is not a creation in the landing bucket, saying why", () => {
    const record = (eventName: string, bucket: string) =>
      JSON.stringify({ Records: [{ eventName, s3: { bucket: { name: bucket }, object: { key: "k" } } }] });
    expect(() => landingKeysOf("not json", "landing-bucket")).toThrow("the body is not JSON");
    expect(() => landingKeysOf(record("ObjectRemoved:Delete", "landing-bucket"), "landing-bucket")).toThrow(
      'Records[0].eventName is "ObjectRemoved:Delete", not ObjectCreated:*',
    );
    expect(() => landingKeysOf(record("ObjectCreated:Put", "other"), "landing-bucket")).toThrow(InvalidSealerMessageError);
    expect(() => landingKeysOf(JSON.stringify({ Records: [] }), "landing-bucket")).toThrow("no Records");
  });
});

describe("classifySealerFailure", () => {
  it.each([
    [new InvalidSealerMessageError("x"), "invalid-message", false],
    [new LandingKeyError("k", "r"), "landing-key-invalid", false],
    [new MetadataNotLandedError("k", ["m"]), "landing-metadata-missing", true],
    [new ExportedMetadataError("k", "is not JSON"), "landing-metadata-mismatch", false],
    [new InvalidCaseRoutingError("k", ["caseId: x"]), "case-routing-invalid", false],
    [new LandingBytesDifferError("k", "a", { sha256: "00" }, { sha256: "11", bytes: 1 }), "landing-bytes-differ", false],
    [new ArchiveVerificationError("k", "legal hold is OFF"), "archive-unverified", false],
    [Object.assign(new Error("PreconditionFailed"), { $metadata: { httpStatusCode: 412 } }), "landing-object-replaced", true],
    [Object.assign(new Error("AccessDenied"), { $metadata: { httpStatusCode: 403 } }), "s3-access-denied", false],
  ])("names %s", (error, reason, retryable) => {
    expect(classifySealerFailure(error)).toEqual({ reason, retryable });
  });
});

describe("sealLandedObject decisions", () => {
  it("does nothing for a metadata file's own event", async () => {
    expect(await sealLandedObject(METADATA_KEY, deps())).toEqual({ status: "metadata-file", key: METADATA_KEY });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it("refuses a key of another organization before reading anything", async () => {
    await expect(sealLandedObject(RECORDING_KEY.replace(ORG_ID, "ffffffff-e5f6-4a7b-8c9d-0e1f2a3b4c5d"), deps())).rejects.toThrow(
      "the first segment is not this stack's Genesys organization id",
    );
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it("fails a recording whose metadata has not landed, writing nothing", async () => {
    landed({ metadata: null });
    await expect(sealLandedObject(RECORDING_KEY, deps())).rejects.toBeInstanceOf(MetadataNotLandedError);
    expect(writes()).toEqual([]);
  });

  it("refuses metadata naming another conversation, without echoing anything but ids, and writes nothing", async () => {
    landed({ metadata: metadata({ conversationId: "99999999-2222-4333-8444-555555555555" }) });
    await expect(sealLandedObject(RECORDING_KEY, deps())).rejects.toThrow(
      `names conversation 99999999-2222-4333-8444-555555555555, but the recording's key names ${CONVERSATION_ID}`,
    );
    expect(writes()).toEqual([]);
  });

  it("leaves an unrouted recording in landing: no write, no delete, no failure", async () => {
    landed({ routings: {} });
    expect(await sealLandedObject(RECORDING_KEY, deps())).toEqual({
      status: "unrouted",
      key: RECORDING_KEY,
      conversationId: CONVERSATION_ID,
    });
    expect(writes()).toEqual([]);
  });

  it("refuses a routing object that names another case than its key, writing nothing", async () => {
    landed({ routings: { [ROUTING_KEY]: routing({ caseId: "MATTER-2", caseRecordKey: caseExportRecordKey("MATTER-2", EXPORT_ID) }) } });
    await expect(sealLandedObject(RECORDING_KEY, deps())).rejects.toBeInstanceOf(InvalidCaseRoutingError);
    expect(writes()).toEqual([]);
  });

  it("treats a recording already gone as done, keeping metadata whose cases hold no record", async () => {
    landed();
    s3Mock.on(HeadObjectCommand, { Bucket: "landing-bucket", Key: RECORDING_KEY }).rejects(notFound());
    s3Mock.on(HeadObjectCommand, { Bucket: "landing-bucket", Key: METADATA_KEY }).resolves({});

    expect(await sealLandedObject(RECORDING_KEY, deps())).toEqual({ status: "gone", key: RECORDING_KEY, deleted: [] });
    expect(writes()).toEqual([]);
  });

  it("removes the metadata a killed delivery left once every routed case holds the record", async () => {
    landed();
    s3Mock.on(HeadObjectCommand, { Bucket: "landing-bucket", Key: RECORDING_KEY }).rejects(notFound());
    s3Mock.on(HeadObjectCommand, { Bucket: "landing-bucket", Key: METADATA_KEY }).resolves({});
    s3Mock
      .on(HeadObjectCommand, {
        Bucket: "archive-bucket",
        Key: `cases/MATTER-1/conversations/${CONVERSATION_ID}/recordings/${RECORDING_ID}.opus.custody.dsse.json`,
      })
      .resolves({});

    expect(await sealLandedObject(RECORDING_KEY, deps())).toEqual({ status: "gone", key: RECORDING_KEY, deleted: [METADATA_KEY] });
    expect(s3Mock.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: "landing-bucket", Key: METADATA_KEY }]);
  });
});

describe("readExportedMetadata", () => {
  const recording = parseLandingKey(RECORDING_KEY) as LandingRecording;

  it("keeps ids and non-personal fields, names the other fields without their values, and hashes the file", () => {
    const text = metadata({ userIds: ["0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6f", "Jane Doe"], callerName: "Jane Doe" });
    const read = readExportedMetadata(METADATA_KEY, Buffer.from(text), recording);

    expect(read.summary).toEqual({
      conversationId: CONVERSATION_ID,
      recordingId: RECORDING_ID,
      mediaType: "Call",
      provider: "edge",
      userIds: ["0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6f"],
      fields: ["callerName", "conversationId", "mediaType", "provider", "recordingId", "userIds"],
    });
    expect(JSON.stringify(read)).not.toContain("Jane Doe");
    expect(read.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("says what is wrong with metadata it cannot use", () => {
    expect(() => readExportedMetadata(METADATA_KEY, Buffer.from("{"), recording)).toThrow("is not JSON");
    expect(() => readExportedMetadata(METADATA_KEY, Buffer.from("[]"), recording)).toThrow("is not a JSON object");
    expect(() => readExportedMetadata(METADATA_KEY, Buffer.from(metadata({ recordingId: undefined })), recording)).toThrow(
      `has no "recordingId" naming the recording ${RECORDING_ID}`,
    );
  });
});

describe("readSealerEnv", () => {
  it("names each missing or malformed variable and how to fix it", () => {
    expect(() => readSealerEnv({ ARCHIVE_BUCKET: "archive-bucket", GENESYS_ORGANIZATION_ID: "org" })).toThrow(
      /LANDING_BUCKET is missing: set it to the landing bucket's name.*GENESYS_ORGANIZATION_ID is not a UUID/s,
    );
  });
});
