import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import type { CustodySigner } from "../../../lambda/custody/custodySigner";
import { planGenesysRevocation } from "../../../tools/commands/holdRelease/caseInventory";
import {
  buildReleaseStatement,
  releaseIdOf,
  releaseRecordKey,
  versionToken,
  writeReleaseRecord,
} from "../../../tools/commands/holdRelease/releaseRecord";

const VERSIONS = [
  { key: "cases/M/conversations/c1/recordings/r1.wav", versionId: "v1", sha256: "ab".repeat(32), hold: "ON" as const },
  { key: "cases/M/conversations/c1/recordings/r1.wav.custody.dsse.json", versionId: "v2", sha256: null, hold: "OFF" as const },
];
const signer: CustodySigner = {
  keyId: "arn:aws:kms:eu-west-2:111122223333:key/k",
  signEnvelope: async (_key, payloadType, payload) => ({
    payload: Buffer.from(payload).toString("base64"),
    payloadType,
    signatures: [{ keyid: "k", sig: "c2ln" }],
  }),
};
const statement = () =>
  buildReleaseStatement({
    caseId: "M",
    bucket: "b",
    reason: "closed",
    releasedBy: { arn: "arn:aws:sts::111122223333:assumed-role/r/s", account: "111122223333", userId: "AROA:s" },
    releasedAt: new Date("2026-12-01T22:00:00Z"),
    versions: VERSIONS,
    releasedNow: new Set([versionToken(VERSIONS[0])]),
    revoke: ["c1"],
  });

describe("the release record", () => {
  it("is named by the versions it releases: the same versions name the same record, others another", () => {
    expect(releaseIdOf(VERSIONS)).toBe(releaseIdOf(VERSIONS.map((v) => ({ ...v }))));
    expect(releaseIdOf(VERSIONS)).not.toBe(releaseIdOf(VERSIONS.slice(0, 1)));
    expect(statement().predicate.releaseId).toBe(releaseIdOf(VERSIONS));
    expect(releaseRecordKey("M", "abc")).toBe("cases/M/releases/abc.release.dsse.json");
  });

  it("says which holds this run found ON and which an earlier run had already lifted", () => {
    expect(statement().predicate.versions.map((v) => v.holdFound)).toEqual(["ON", "OFF"]);
  });

  it("is written once with If-None-Match: *, and a record another run stored first counts as written", async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
        name: "PreconditionFailed",
        $metadata: { httpStatusCode: 412 },
      }),
    );
    const result = await writeReleaseRecord({ s3: new S3Client({}), signer, bucket: "b" }, statement());
    expect(result).toEqual({ key: releaseRecordKey("M", releaseIdOf(VERSIONS)), outcome: "exists" });
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toMatchObject({ Bucket: "b", IfNoneMatch: "*", Key: result.key });
    s3.restore();
  });

  it("any other write failure is an error naming the record", async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
    );
    await expect(writeReleaseRecord({ s3: new S3Client({}), signer, bucket: "b" }, statement())).rejects.toThrow(
      /^writing the release record cases\/M\/releases\/[0-9a-f]{32}\.release\.dsse\.json failed: AccessDenied: Access Denied/,
    );
    s3.restore();
  });
});

describe("which Genesys deletion protection a release revokes", () => {
  it("only conversations no other unreleased case holds", () => {
    const plan = planGenesysRevocation("A", {
      conversations: new Map([
        ["A", new Set(["c1", "c2", "c3"])],
        ["B", new Set(["c2"])],
        ["C", new Set(["c3"])],
      ]),
      released: new Set(["C"]),
    });
    expect(plan).toEqual({ revoke: ["c1", "c3"], keep: [{ conversationId: "c2", heldBy: ["B"] }] });
  });
});
