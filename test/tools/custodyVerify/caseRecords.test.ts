import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { caseRoutingKey } from "../../../lambda/bulk/caseRouting";
import {
  type CaseExportJobPredicate,
  caseExportJobRecordKey,
  caseExportRecordKey,
  exportStatement,
  jobStatement,
  writeRecordOnce,
} from "../../../lambda/caseExport/caseRecords";
import { canonicalJsonBytes } from "../../../lambda/custody/canonicalJson";
import { createCustodySigner } from "../../../lambda/custody/custodySigner";
import { buildCustodyStatement } from "../../../lambda/custody/custodyStatement";
import { IN_TOTO_PAYLOAD_TYPE } from "../../../lambda/custody/dsse";
import { caseExportIndex } from "../../../tools/commands/custodyVerify/caseExportIndex";
import { verifyCaseRecord } from "../../../tools/commands/custodyVerify/caseRecordChecks";
import { caseRecordKeys } from "../../../tools/commands/custodyVerify/caseRecordKeys";
import { verifyRecording } from "../../../tools/commands/custodyVerify/checks";
import { groupRecordings } from "../../../tools/commands/custodyVerify/layout";
import { renderJson, renderText } from "../../../tools/commands/custodyVerify/render";
import type { ArchiveSource, StoredFacts, VersionState } from "../../../tools/commands/custodyVerify/sources";
import type { CaseVersion } from "../../../tools/commands/holdRelease/caseInventory";
import {
  buildReleaseStatement,
  releaseRecordKey,
  versionToken,
  writeReleaseRecord,
} from "../../../tools/commands/holdRelease/releaseRecord";
import { main } from "../../../tools/commands/verify";
import { signP256Digest } from "../../../tools/testkit/wire/fakeKms";
import { caseExportPredicate } from "../../support/caseExportPredicate";

const BUCKET = "legal-hold-archive";
const CASE = "MATTER-7";
const KEY_ARN = "arn:aws:kms:eu-west-2:111122223333:key/0f7c2d4e-1111-2222-3333-444455556666";
const ORG_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const CONVERSATION = "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const OTHER_CONVERSATION = "7a2c3b4d-5e6f-4a70-8b8c-9d0e1f2a3b4c";
const RECORDING = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
const EXPORT_ID = "11111111-2222-8333-8444-555555555555";
const MEDIA_KEY = `cases/${CASE}/conversations/${CONVERSATION}/recordings/${RECORDING}.opus`;
const EXPORT_KEY = caseExportRecordKey(CASE, EXPORT_ID);
const JOB_KEY = caseExportJobRecordKey(CASE, EXPORT_ID, 1);
const NOW = new Date("2026-12-01T23:00:00Z");
const RETAIN_UNTIL = new Date("2033-12-01T00:00:00Z");

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const foreign = generateKeyPairSync("ec", { namedCurve: "prime256v1" });

const s3Mock = mockClient(S3Client);
const kmsMock = mockClient(KMSClient);

/** The real signer, over a KMS that signs with `key` (the fake KMS's P-256 digest signing). */
function signerWith(key: KeyObject) {
  kmsMock.on(SignCommand).callsFake((input) => ({ Signature: signP256Digest(key, input.Message), SigningAlgorithm: "ECDSA_SHA_256" }));
  return createCustodySigner({ kms: new KMSClient({ region: "eu-west-2" }), signingKeyArn: KEY_ARN });
}

/** What the archive holds: object bytes and Object Lock state per key and version. */
interface Archive {
  objects: Map<string, Buffer>;
  holds: Map<string, "ON" | "OFF">;
  versions: Map<string, "ON" | "OFF">;
}

function storeWrites(archive: Archive) {
  s3Mock.on(PutObjectCommand).callsFake((input) => {
    archive.objects.set(input.Key, Buffer.from(input.Body as Uint8Array));
    // What S3 does: the hold the PUT asked for; the bucket's default retention either way.
    archive.holds.set(input.Key, input.ObjectLockLegalHoldStatus === "ON" ? "ON" : "OFF");
    return { VersionId: "v" };
  });
}

/** Earlier versions of the bulk recording and its record, released (the keys hold newer versions). */
const RELEASED: CaseVersion[] = [
  { key: MEDIA_KEY, versionId: "v1", sha256: "ab".repeat(32), hold: "ON" },
  { key: `${MEDIA_KEY}.custody.dsse.json`, versionId: "v2", sha256: null, hold: "ON" },
];

const exportPredicate = (conversationIds: string[]) => caseExportPredicate(CASE, EXPORT_ID, conversationIds);

function jobPredicate(conversationIds: string[]): CaseExportJobPredicate {
  return {
    exportId: EXPORT_ID,
    caseId: CASE,
    jobNumber: 1,
    genesysJobId: "job-1",
    conversationIds,
    integrationId: "integration-1",
    createdAt: "2026-11-03T09:00:05.000Z",
    stateAtCreation: "PENDING",
    exportRecordKey: EXPORT_KEY,
    functionArn: "arn:aws:lambda:eu-west-2:111122223333:function:case-export",
    awsRequestId: "req-1",
  };
}

/** The bulk custody record the sealer writes for the one recording, with the real statement builder. */
function bulkCustodyStatement(media: Buffer) {
  const folder = `${ORG_ID}/year=2026/month=11/day=3/hour=9/conversation_id=${CONVERSATION}/`;
  const sha256 = createHash("sha256").update(media).digest("hex");
  return buildCustodyStatement({
    job: {
      jobId: EXPORT_ID,
      caseId: CASE,
      conversationId: CONVERSATION,
      requestedAt: "2026-11-03T09:00:00.000Z",
      requestedBy: "Legal Ops",
    },
    recordingId: RECORDING,
    source: null,
    formatId: "OPUS",
    contentType: "audio/ogg",
    bucket: BUCKET,
    key: MEDIA_KEY,
    stored: {
      versionId: "mv",
      sha256,
      bytes: media.length,
      checksum: { algorithm: "CRC32", type: "FULL_OBJECT", value: "AAAAAA==" },
      legalHold: "ON",
    },
    storage: { method: "uploaded" },
    downloadStartedAt: null,
    storedAt: new Date("2026-11-03T10:00:00Z"),
    functionArn: "arn:aws:lambda:eu-west-2:111122223333:function:sealer",
    awsRequestId: "req-2",
    deletionProtection: { status: "applied" },
    bulkExport: {
      landing: { bucket: "landing", key: `${folder}${RECORDING}.opus`, versionId: null, etag: null, bytes: media.length },
      genesysMetadata: {
        key: `${folder}${RECORDING}_metadata.json`,
        bytes: 10,
        sha256: "a".repeat(64),
        summary: { conversationId: CONVERSATION, recordingId: RECORDING, mediaType: "audio", provider: "Edge", userIds: [], fields: [] },
      },
      routing: {
        key: caseRoutingKey(CONVERSATION, CASE),
        exportId: EXPORT_ID,
        caseRecordKey: EXPORT_KEY,
        requestedBy: "Legal Ops",
        requestedAt: "2026-11-03T09:00:00.000Z",
      },
    },
  });
}

/** A case as the real writers leave it: a bulk recording, its export and job records, and a release of older versions. */
async function writeCase(options: { exportConversations?: string[]; jobConversations?: string[] } = {}): Promise<Archive> {
  const archive: Archive = { objects: new Map(), holds: new Map(), versions: new Map() };
  storeWrites(archive);
  const signer = signerWith(privateKey);
  const s3 = new S3Client({ region: "eu-west-2" });
  const target = { s3, bucket: BUCKET, kmsKeyArn: KEY_ARN, signer };
  const listed = options.exportConversations ?? [CONVERSATION, OTHER_CONVERSATION];
  await writeRecordOnce(target, EXPORT_KEY, exportStatement(exportPredicate(listed)));
  await writeRecordOnce(target, JOB_KEY, jobStatement(jobPredicate(options.jobConversations ?? listed)));
  await writeReleaseRecord(
    { s3, signer, bucket: BUCKET },
    buildReleaseStatement({
      caseId: CASE,
      bucket: BUCKET,
      reason: "matter closed",
      releasedBy: { arn: "arn:aws:sts::111122223333:assumed-role/release/s", account: "111122223333", userId: "AROA:s" },
      releasedAt: new Date("2026-12-01T22:00:00Z"),
      versions: RELEASED,
      releasedNow: new Set(RELEASED.map(versionToken)),
      revoke: [],
    }),
  );
  for (const v of RELEASED) archive.versions.set(versionToken(v), "OFF");
  const media = Buffer.from("opus bytes");
  archive.objects.set(MEDIA_KEY, media);
  const envelope = await signer.signEnvelope(
    `${MEDIA_KEY}.custody.dsse.json`,
    IN_TOTO_PAYLOAD_TYPE,
    canonicalJsonBytes(bulkCustodyStatement(media)),
  );
  archive.objects.set(`${MEDIA_KEY}.custody.dsse.json`, canonicalJsonBytes(envelope));
  return archive;
}

/** An S3-mode source over the archive; every object has the default retention. */
function sourceOf(archive: Archive): ArchiveSource {
  const ok = <T>(value: T) => ({ ok: true as const, value });
  return {
    kind: "s3",
    description: `s3://${BUCKET}`,
    bucket: BUCKET,
    list: async (prefix) => [...archive.objects.keys()].filter((k) => k.startsWith(prefix)),
    read: async (key) => {
      const bytes = archive.objects.get(key);
      if (!bytes) throw Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" });
      return bytes;
    },
    digest: async (key) => {
      const bytes = archive.objects.get(key) ?? Buffer.alloc(0);
      return { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
    },
    storedFacts: async (key): Promise<StoredFacts> => ({
      versionId: ok("mv"),
      checksumCRC64NVME: ok(undefined),
      checksumCRC32: ok("AAAAAA=="),
      legalHold: ok(archive.holds.get(key) ?? "ON"),
      retainUntil: ok(RETAIN_UNTIL),
    }),
    versionState: async (key, versionId): Promise<VersionState> => {
      const hold = archive.versions.get(`${key}\n${versionId}`);
      return hold === undefined ? { exists: ok(false), legalHold: ok(undefined) } : { exists: ok(true), legalHold: ok(hold) };
    },
  };
}

async function verifyArchive(archive: Archive, key: KeyObject = publicKey) {
  const source = sourceOf(archive);
  const listed = await source.list(`cases/${CASE}/`);
  const publicKeyFor = async (arn: string) => {
    if (arn !== KEY_ARN) throw new Error(`unknown key ${arn}`);
    return key;
  };
  const caseExports = caseExportIndex(source, publicKeyFor);
  const context = { source, publicKeyFor, now: NOW, listed: new Set(listed), caseExports };
  const records = await Promise.all(caseRecordKeys(listed).map((where) => verifyCaseRecord(where, context)));
  const recordings = await Promise.all(
    groupRecordings(listed).map((o) => verifyRecording(o, { source, publicKeyFor, now: NOW, caseExports })),
  );
  const report = { source: source.description, prefix: `cases/${CASE}/`, recordings, records };
  return { records, recordings, text: renderText(report), json: JSON.parse(renderJson(report)) };
}

const statusOf = (checks: { name: string; status: string }[], name: string) => checks.find((c) => c.name === name)?.status;
const byKey = (records: { key: string }[], key: string) => {
  const found = records.find((r) => r.key === key) as {
    key: string;
    ok: boolean;
    checks: { name: string; status: string; detail: string }[];
  };
  expect(found, key).toBeDefined();
  return found;
};

/** Rewrites the envelope stored at `key`. */
function tamper(
  archive: Archive,
  key: string,
  change: (envelope: { payload: string; signatures: { keyid: string; sig: string }[] }) => void,
) {
  const envelope = JSON.parse((archive.objects.get(key) as Buffer).toString("utf8"));
  change(envelope);
  archive.objects.set(key, canonicalJsonBytes(envelope));
}

describe("verify on a case's release, case-export and job records", () => {
  beforeEach(() => {
    s3Mock.reset();
    kmsMock.reset();
  });

  it("passes the records the real writers signed, and names every check per kind", async () => {
    const archive = await writeCase();
    const { records, recordings, text, json } = await verifyArchive(archive);
    expect(records.map((r) => [r.kind, r.ok])).toEqual([
      ["export", true],
      ["job", true],
      ["release", true],
    ]);
    expect(byKey(records, EXPORT_KEY).checks.map((c) => c.name)).toEqual([
      "record",
      "signature",
      "location",
      "subject",
      "legal hold",
      "retention",
    ]);
    expect(byKey(records, JOB_KEY).checks.map((c) => c.name)).toContain("export record");
    const release = records.find((r) => r.kind === "release");
    expect(release?.key).toMatch(new RegExp(`^${releaseRecordKey(CASE, "[0-9a-f]{32}")}$`, "u"));
    expect(release?.checks.map((c) => c.name)).toEqual([
      "record",
      "signature",
      "location",
      "subject",
      "released versions",
      "holds lifted",
      "legal hold",
      "retention",
    ]);
    expect(statusOf(recordings[0]?.checks ?? [], "case-export record")).toBe("ok");
    expect(text).toContain(`ok      ${EXPORT_KEY} (export record)`);
    expect(text).toContain("3 case record(s): 3 verified, 0 FAILED");
    expect(json.summary).toMatchObject({ records: 3, recordsVerified: 3, recordsFailed: 0 });
  });

  it.each<[string, string, (archive: Archive) => void, string[]]>([
    [
      "one byte of the payload",
      EXPORT_KEY,
      (archive) =>
        tamper(archive, EXPORT_KEY, (e) => {
          const payload = Buffer.from(e.payload, "base64");
          const at = payload.indexOf(Buffer.from(OTHER_CONVERSATION)) + 1;
          payload[at] = (payload[at] as number) ^ 0x01;
          e.payload = payload.toString("base64");
        }),
      ["signature", "subject"],
    ],
    [
      "a signature",
      JOB_KEY,
      (archive) =>
        tamper(archive, JOB_KEY, (e) => {
          const sig = Buffer.from(e.signatures[0]?.sig ?? "", "base64");
          sig[sig.length - 1] = (sig[sig.length - 1] as number) ^ 0x01;
          (e.signatures[0] as { sig: string }).sig = sig.toString("base64");
        }),
      ["signature"],
    ],
    [
      "a removed conversation",
      EXPORT_KEY,
      (archive) =>
        tamper(archive, EXPORT_KEY, (e) => {
          const statement = JSON.parse(Buffer.from(e.payload, "base64").toString("utf8"));
          statement.predicate.conversationIds = [CONVERSATION];
          e.payload = canonicalJsonBytes(statement).toString("base64");
        }),
      ["signature", "subject"],
    ],
  ])("fails a record with %s changed, naming the check", async (_, key, change, failing) => {
    const archive = await writeCase();
    change(archive);
    const { records, text } = await verifyArchive(archive);
    const record = byKey(records, key);
    expect(record.ok).toBe(false);
    expect(record.checks.filter((c) => c.status === "FAILED").map((c) => c.name)).toEqual(failing);
    expect(text).toContain(`FAILED  ${key}`);
    expect(text).toContain(`${key} (${failing.join(", ")})`);
    // The other records are untouched and still verify.
    expect(records.filter((r) => r.key !== key && r.key !== JOB_KEY).every((r) => r.ok)).toBe(true);
  });

  it("fails every record signed with a foreign key, and says the signature is what failed", async () => {
    const archive = await writeCase();
    const { records, text } = await verifyArchive(archive, foreign.publicKey);
    expect(records.every((r) => !r.ok && statusOf(r.checks, "signature") === "FAILED")).toBe(true);
    expect(text).toContain("no signature verifies over the record's DSSE pre-authentication encoding");
  });

  it("fails the job record, and the bulk recording, when the export record they point at does not verify", async () => {
    const archive = await writeCase();
    tamper(archive, EXPORT_KEY, (e) => {
      e.payload = Buffer.from(Buffer.from(e.payload, "base64").toString("utf8").replace("Legal Ops", "Legal Opz")).toString("base64");
    });
    const { records, recordings } = await verifyArchive(archive);
    expect(byKey(records, JOB_KEY).checks.find((c) => c.name === "export record")).toMatchObject({ status: "FAILED" });
    expect(recordings[0]?.checks.find((c) => c.name === "case-export record")?.detail).toContain("does not verify");
  });

  it("fails a bulk custody record whose validly signed case-export record does not list its conversation", async () => {
    const archive = await writeCase({ exportConversations: [OTHER_CONVERSATION] });
    const { records, recordings, text } = await verifyArchive(archive);
    expect(records.every((r) => r.ok)).toBe(true);
    expect(recordings[0]?.checks.find((c) => c.name === "case-export record")).toMatchObject({
      status: "FAILED",
      detail: `${EXPORT_KEY} does not list conversation ${CONVERSATION}`,
    });
    expect(text).toContain(`${MEDIA_KEY} (`);
  });

  it("fails a bulk custody record whose case-export record is missing", async () => {
    const archive = await writeCase();
    archive.objects.delete(EXPORT_KEY);
    archive.objects.delete(JOB_KEY);
    const { recordings } = await verifyArchive(archive);
    expect(recordings[0]?.checks.find((c) => c.name === "case-export record")).toMatchObject({ status: "FAILED" });
    expect(recordings[0]?.checks.find((c) => c.name === "case-export record")?.detail).toContain("cannot be read");
  });

  it("fails a release record whose released version is gone, and reports (without failing) one held again", async () => {
    const archive = await writeCase();
    archive.versions.set(versionToken(RELEASED[0] as CaseVersion), "ON");
    let { records } = await verifyArchive(archive);
    let release = records.find((r) => r.kind === "release");
    expect(release?.ok).toBe(true);
    expect(release?.checks.find((c) => c.name === "holds lifted")?.detail).toContain(
      `held again since the release: ${RELEASED[0]?.key} (v1)`,
    );

    archive.versions.delete(versionToken(RELEASED[1] as CaseVersion));
    ({ records } = await verifyArchive(archive));
    release = records.find((r) => r.kind === "release");
    expect(release?.ok).toBe(false);
    expect(release?.checks.find((c) => c.name === "released versions")).toMatchObject({
      status: "FAILED",
      detail: `missing ${RELEASED[1]?.key} (v2)`,
    });
  });

  it("fails an export record whose legal hold was lifted, and a job record stored under another record's kind", async () => {
    const archive = await writeCase();
    archive.holds.set(EXPORT_KEY, "OFF");
    archive.objects.set(caseExportJobRecordKey(CASE, EXPORT_ID, 2), archive.objects.get(EXPORT_KEY) as Buffer);
    const { records } = await verifyArchive(archive);
    expect(byKey(records, EXPORT_KEY).checks.find((c) => c.name === "legal hold")).toMatchObject({
      status: "FAILED",
      detail: "is OFF, expected ON",
    });
    expect(byKey(records, caseExportJobRecordKey(CASE, EXPORT_ID, 2)).checks[0]).toMatchObject({ name: "record", status: "FAILED" });
  });

  it("fails a validly signed job record whose conversations are not its export record's batch", async () => {
    const archive = await writeCase({ jobConversations: [CONVERSATION] });
    const { records } = await verifyArchive(archive);
    expect(byKey(records, JOB_KEY).checks.find((c) => c.name === "export record")).toMatchObject({
      status: "FAILED",
      detail: `its conversations are not batch 1 of ${EXPORT_KEY}`,
    });
    expect(byKey(records, EXPORT_KEY).ok).toBe(true);
  });

  it("runs from the command line on a downloaded copy: exit 0 intact, 1 with a missing released version, records in --json", async () => {
    const archive = await writeCase();
    const dir = mkdtempSync(join(tmpdir(), "verify-records-"));
    try {
      for (const [key, bytes] of archive.objects) {
        mkdirSync(dirname(join(dir, key)), { recursive: true });
        writeFileSync(join(dir, key), bytes);
      }
      const pem = join(dir, "key.pem");
      writeFileSync(pem, publicKey.export({ format: "pem", type: "spki" }));
      const run = async (...args: string[]) => {
        const out: string[] = [];
        const write = (text: string) => {
          out.push(text);
          return true;
        };
        const code = await main([...args, "--public-key", pem], { write }, { write: () => true });
        return { code, out: out.join("") };
      };
      const intact = await run("--local", dir, "--case", CASE, "--json");
      expect(intact.code, intact.out).toBe(0);
      expect(JSON.parse(intact.out).summary).toMatchObject({ recordings: 1, verified: 1, records: 3, recordsVerified: 3 });
      const conversation = await run("--local", dir, "--case", CASE, "--conversation", CONVERSATION);
      expect(conversation.code).toBe(0);
      expect(conversation.out).toMatch(/case-export record\s+ok\s+cases\/MATTER-7\/exports\/.*lists this conversation/u);

      rmSync(join(dir, RELEASED[1]?.key ?? ""));
      const missing = await run("--local", dir, "--case", CASE);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain(`released versions  FAILED   missing ${RELEASED[1]?.key}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
