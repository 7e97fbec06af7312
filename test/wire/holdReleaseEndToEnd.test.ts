import { spawn } from "node:child_process";
import { verify as verifySignature } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../lambda/custody/canonicalJson";
import { IN_TOTO_PAYLOAD_TYPE, parseEnvelope, preAuthEncoding } from "../../lambda/custody/dsse";
import type { ExportJob } from "../../lambda/intake/exportRequest";
import { main as holdRelease } from "../../tools/commands/holdRelease";
import { RELEASE_PREDICATE_TYPE, type ReleaseStatement } from "../../tools/commands/holdRelease/releaseRecord";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { WIRE_BUCKET, WIRE_SIGNING_KEY_ARN, type WireEnvironment } from "../../tools/testkit/wire/environment";
import { PERMISSION_REVOKE } from "../../tools/testkit/wire/fakeGenesys";
import { type FakeSts, startFakeSts } from "../../tools/testkit/wire/fakeSts";
import type { S3RequestRecord } from "../../tools/testkit/wire/objectLockProxy";
import { runTool, toolCommandLine } from "../support/runTool";
import { readObject, sha256Hex } from "../support/wire/assertions";
import { startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { storeLegacyRecording } from "../support/wire/legacyRecord";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/**
 * End to end: the real worker archives three cases through the wire (fake
 * Genesys protecting their conversations, S3 behind the Object Lock proxy,
 * fake KMS), then `hold:release` runs in process as the release principal
 * (fake STS) against the same servers: a dry run, a release with
 * --skip-genesys, and a release that fails part-way twice (a refused
 * PutObjectLegalHold, then a refused Genesys revoke) and is completed by
 * re-running it.
 */

const TIMEOUT_MS = 240_000;
const RELEASED = "MATTER-RELEASE";
const STILL_HELD = "MATTER-STILL-HELD";
const CLOSED = "MATTER-CLOSED";
const RELEASER = {
  arn: "arn:aws:sts::111122223333:assumed-role/legal-hold-hold-release/counsel",
  account: "111122223333",
  userId: "AROAEXAMPLE:counsel",
};
/** Who a session from the documented profile (role_arn, external_id, mfa_serial) is. */
const ASSUMED = {
  arn: "arn:aws:sts::111122223333:assumed-role/legal-hold-hold-release/profile-session",
  account: "111122223333",
  userId: "AROAEXAMPLE:profile",
};
const RELEASE_CLIENT = { clientId: "release-client", clientSecret: "release-secret-DO-NOT-LOG", permissions: [PERMISSION_REVOKE] };
const REASON = "Matter settled; counsel's release letter of 2026-11-30";

/** Only case RELEASED: protection is revoked once CLOSED is released. */
const own = exportJob({ caseId: RELEASED });
/** Also exported for STILL_HELD, which is never released: its protection must stay. */
const shared = exportJob({ caseId: RELEASED });
const sharedElsewhere: ExportJob = { ...exportJob({ caseId: STILL_HELD }), conversationId: shared.conversationId };
/** Also exported for CLOSED, released first. */
const withClosed = exportJob({ caseId: RELEASED });
const closedCopy: ExportJob = { ...exportJob({ caseId: CLOSED }), conversationId: withClosed.conversationId };
const closedOnly = exportJob({ caseId: CLOSED });
const legacy = exportJob({ caseId: RELEASED });
const LETTER_KEY = `cases/${RELEASED}/correspondence/hold-notice.pdf`;

let wire: WireEnvironment;
let handler: WorkerHandler;
let sts: FakeSts;
let env: NodeJS.ProcessEnv;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  s3: S3RequestRecord[];
  genesys: number;
}

async function run(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const s3Before = wire.s3.proxy.requests.length;
  const genesysBefore = wire.genesys.requests.length;
  const code = await holdRelease(args, { out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) }, env });
  return {
    code,
    stdout: out.join(""),
    stderr: err.join(""),
    s3: wire.s3.proxy.requests.slice(s3Before),
    genesys: wire.genesys.requests.length - genesysBefore,
  };
}

const release = (caseId: string, ...extra: string[]) =>
  run("--bucket", WIRE_BUCKET, "--case", caseId, "--reason", REASON, "--signing-key", WIRE_SIGNING_KEY_ARN, ...extra);

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await wire.client.send(new ListObjectsV2Command({ Bucket: WIRE_BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? "").sort();
}

async function caseVersions(caseId: string) {
  const keys = (await keysUnder(`cases/${caseId}/`)).filter((k) => !k.includes("/releases/"));
  return keys.flatMap((key) => wire.s3.proxy.versions(WIRE_BUCKET, key));
}

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
  for (const job of [shared, withClosed, closedOnly, legacy])
    wire.genesys.addConversation({ id: job.conversationId, recordings: [{ id: `rec-${job.conversationId.slice(0, 8)}`, bytes: 20_000 }] });
  // The revoke of `own` is refused once, then accepted: the second partial failure.
  wire.genesys.addConversation({
    id: own.conversationId,
    recordings: [
      { id: "rec-own-1", bytes: 30_000 },
      { id: "rec-own-2", bytes: 10_000 },
    ],
    revoke: [{ status: 503 }, { status: 200 }],
  });
  wire.genesys.addClient(RELEASE_CLIENT);
  const jobs = [own, shared, sharedElsewhere, withClosed, closedCopy, closedOnly];
  const outcome = await invokeWorker(
    handler,
    jobs.map((job, index) => sqsRecord(job, `msg-${index}`)),
  );
  expect(outcome.response).toEqual({ batchItemFailures: [] });
  await storeLegacyRecording(wire, legacy, "rec-old", Buffer.alloc(4000, 3));
  await wire.client.send(
    new PutObjectCommand({
      Bucket: WIRE_BUCKET,
      Key: LETTER_KEY,
      Body: "%PDF-1.7 letter",
      ObjectLockLegalHoldStatus: "ON",
      ChecksumAlgorithm: "CRC32",
    }),
  );
  sts = await startFakeSts({ caller: RELEASER, assumedRole: ASSUMED });
  env = {
    ...process.env,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    GENESYS_RELEASE_CLIENT_ID: RELEASE_CLIENT.clientId,
    GENESYS_RELEASE_CLIENT_SECRET: RELEASE_CLIENT.clientSecret,
    GENESYS_API_BASE_URL: wire.genesys.apiBaseUrl,
    GENESYS_LOGIN_BASE_URL: wire.genesys.loginBaseUrl,
  };
}, TIMEOUT_MS);

afterAll(async () => {
  await sts?.close();
  await stopWorkerOnWire(wire);
});

describe("npm run hold:release", () => {
  it("refuses without a reason, with an empty one, or with an invalid case id: exit 2, nothing read or changed", async () => {
    for (const args of [
      ["--bucket", WIRE_BUCKET, "--case", RELEASED],
      ["--bucket", WIRE_BUCKET, "--case", RELEASED, "--reason", "   "],
    ]) {
      const refused = await run(...args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^--reason is required and may not be empty/);
      expect(refused.s3).toEqual([]);
    }
    const badCase = await run("--bucket", WIRE_BUCKET, "--case", "../other", "--reason", REASON);
    expect(badCase.code).toBe(2);
    expect(badCase.stderr).toContain('--case "../other" is not a case id');
    expect(badCase.s3).toEqual([]);
  });

  it("refuses --yes without the Genesys release client in the environment, before changing anything", async () => {
    const saved = env;
    env = { ...env, GENESYS_RELEASE_CLIENT_SECRET: "" };
    try {
      const refused = await release(RELEASED, "--yes");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("set GENESYS_RELEASE_CLIENT_SECRET to the Genesys release OAuth client");
      expect(refused.s3).toEqual([]);
    } finally {
      env = saved;
    }
  });

  it("refuses to run when STS cannot say who runs it: exit 2, nothing read", async () => {
    const saved = env;
    env = { ...env, AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9" };
    try {
      const refused = await release(RELEASED);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("STS GetCallerIdentity failed");
      expect(refused.stderr).toContain("sign in as the hold-release role");
      expect(refused.s3).toEqual([]);
    } finally {
      env = saved;
    }
  });

  it("dry run: lists every version of the case with its hold and the conversations to revoke, and changes nothing", async () => {
    const before = await caseVersions(RELEASED);
    expect(before.length).toBeGreaterThanOrEqual(10);
    const dry = await release(RELEASED);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`running as ${RELEASER.arn}`);
    // Who ran it is asked of STS with the credentials S3 sees.
    expect(sts.authorizations.at(-1)).toContain("Credential=S3RVER/");
    for (const version of before) expect(dry.stdout).toContain(`hold ON  ${version.key} (version ${version.versionId}`);
    expect(dry.stdout).toContain(LETTER_KEY);
    expect(dry.stdout).toContain(`kept: ${shared.conversationId} is still held by unreleased case(s) ${STILL_HELD}`);
    // CLOSED is not released yet, so it still holds withClosed's conversation too.
    expect(dry.stdout).toContain(`Genesys deletion protection to revoke: ${[own.conversationId, legacy.conversationId].sort().join(", ")}`);
    expect(dry.stdout).toContain("dry run: nothing changed");
    expect(dry.stdout).toContain("COMPLIANCE retention");
    expect(dry.s3.filter((r) => r.method !== "GET" && r.method !== "HEAD")).toEqual([]);
    expect(dry.genesys).toBe(0);
    expect((await caseVersions(RELEASED)).every((v) => v.legalHold === "ON")).toBe(true);
    expect(await keysUnder(`cases/${RELEASED}/releases/`)).toEqual([]);
  });

  it("a refused release-record write leaves every hold OFF and no record: exit 1, naming what is left", async () => {
    wire.s3.proxy.refuseNext((r) => r.operation === "PutObject" && r.key?.startsWith(`cases/${CLOSED}/releases/`) === true);
    const stopped = await release(CLOSED, "--yes", "--skip-genesys");
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(`NOT COMPLETED: every hold of case ${CLOSED} is OFF, but writing the release record`);
    expect(stopped.stdout).toContain("Run the same command again to write the release record");
    expect((await caseVersions(CLOSED)).every((v) => v.legalHold === "OFF")).toBe(true);
    expect(await keysUnder(`cases/${CLOSED}/releases/`)).toEqual([]);
  });

  it("--skip-genesys completes that release (no hold changed again, one record) and prints the conversations to revoke by hand, calling no Genesys API", async () => {
    const done = await release(CLOSED, "--yes", "--skip-genesys");
    expect(done.s3.filter((r) => r.operation === "PutObjectLegalHold")).toEqual([]);
    expect(done.code).toBe(0);
    expect((await caseVersions(CLOSED)).every((v) => v.legalHold === "OFF")).toBe(true);
    expect(await keysUnder(`cases/${CLOSED}/releases/`)).toHaveLength(1);
    // withClosed's conversation is still held by RELEASED (unreleased): only closedOnly's is listed.
    expect(done.stdout).toContain(`--skip-genesys: revoke Genesys deletion protection by hand`);
    expect(done.stdout).toContain(`for: ${closedOnly.conversationId}.`);
    expect(done.genesys).toBe(0);
    expect(wire.genesys.protectedConversations.has(closedOnly.conversationId)).toBe(true);
  });

  describe("a release that fails part-way, then is re-run", () => {
    let first: Run;
    let second: Run;
    let third: Run;
    let versions: Awaited<ReturnType<typeof caseVersions>>;

    beforeAll(async () => {
      versions = await caseVersions(RELEASED);
      let holdChanges = 0;
      wire.s3.proxy.refuseNext(
        (r) => r.operation === "PutObjectLegalHold" && r.key?.startsWith(`cases/${RELEASED}/`) === true && ++holdChanges === 3,
      );
      first = await release(RELEASED, "--yes");
      second = await release(RELEASED, "--yes");
      third = await release(RELEASED, "--yes");
    }, TIMEOUT_MS);

    it("the first run stops at the refused third hold: exit 1, two holds OFF, the rest named, no record, no Genesys call", () => {
      expect(first.code).toBe(1);
      const changes = first.s3.filter((r) => r.operation === "PutObjectLegalHold");
      expect(changes.map((r) => r.status)).toEqual([200, 200, 403]);
      expect(first.stdout).toContain(`2 of ${versions.length} hold(s) set OFF by this run; ${versions.length - 2} still ON`);
      expect(first.stdout).toContain("No release record was written. Run the same command again");
      expect(first.s3.some((r) => r.operation === "PutObject")).toBe(false);
      expect(first.genesys).toBe(0);
    });

    it("the second run releases only what is left, writes the record once, and stops at the refused revoke: exit 1", () => {
      expect(second.code).toBe(1);
      const changes = second.s3.filter((r) => r.operation === "PutObjectLegalHold");
      expect(changes).toHaveLength(versions.length - 2);
      expect(second.s3.filter((r) => r.operation === "PutObject")).toHaveLength(1);
      expect(second.stdout).toContain("revoking Genesys deletion protection failed");
    });

    it("the third run changes no hold, writes no second record, and revokes: exit 0", () => {
      expect(third.code).toBe(0);
      expect(third.s3.filter((r) => r.operation === "PutObjectLegalHold" || r.operation === "PutObject")).toEqual([]);
      expect(third.stdout).toContain("its release record exists; no new record written");
      expect(third.stdout).toContain("COMPLIANCE retention");
    });

    it("across the runs each version's hold was set OFF exactly once, none skipped, and all are OFF", () => {
      const accepted = [first, second, third]
        .flatMap((r) => r.s3)
        .filter((r) => r.operation === "PutObjectLegalHold" && r.status === 200)
        .map((r) => `${r.key}\n${r.versionId}`)
        .sort();
      expect(accepted).toEqual(versions.map((v) => `${v.key}\n${v.versionId}`).sort());
      expect(versions.every((v) => wire.s3.proxy.versions(WIRE_BUCKET, v.key).every((stored) => stored.legalHold === "OFF"))).toBe(true);
    });

    it("leaves one release record, signed by the signing key, naming who, when, why and exactly which versions", async () => {
      const records = await keysUnder(`cases/${RELEASED}/releases/`);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatch(new RegExp(`^cases/${RELEASED}/releases/[0-9a-f]{32}\\.release\\.dsse\\.json$`));
      const envelope = parseEnvelope((await readObject(wire.client, records[0])).toString("utf8"));
      expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
      expect(envelope.signatures[0].keyid).toBe(WIRE_SIGNING_KEY_ARN);
      const signed = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
      expect(verifySignature("sha256", signed, wire.kms.publicKey, Buffer.from(envelope.signatures[0].sig, "base64"))).toBe(true);
      const tampered = Buffer.from(envelope.payloadBytes.toString("utf8").replace(REASON, "no reason"));
      expect(
        verifySignature(
          "sha256",
          preAuthEncoding(envelope.payloadType, tampered),
          wire.kms.publicKey,
          Buffer.from(envelope.signatures[0].sig, "base64"),
        ),
      ).toBe(false);

      const statement = JSON.parse(envelope.payloadBytes.toString("utf8")) as ReleaseStatement;
      expect(statement.predicateType).toBe(RELEASE_PREDICATE_TYPE);
      const { predicate } = statement;
      expect(predicate).toMatchObject({ caseId: RELEASED, bucket: WIRE_BUCKET, reason: REASON, releasedBy: RELEASER });
      expect(Date.now() - Date.parse(predicate.releasedAt)).toBeLessThan(TIMEOUT_MS);
      expect(predicate.versions.map((v) => `${v.key}\n${v.versionId}`).sort()).toEqual(
        versions.map((v) => `${v.key}\n${v.versionId}`).sort(),
      );
      expect(predicate.versions.filter((v) => v.holdFound === "OFF")).toHaveLength(2);
      expect(statement.subject[0].digest.sha256).toBe(sha256Hex(Buffer.from(canonicalJson(predicate.versions))));
      // Media digests come from their custody records; each custody record's from its own bytes.
      const media = predicate.versions.find((v) => v.key.endsWith(".wav") && v.key.includes(own.conversationId));
      expect(media?.sha256).toBe(sha256Hex(await readObject(wire.client, media?.key ?? "")));
      const record = predicate.versions.find((v) => v.key.endsWith(".custody.dsse.json"));
      expect(record?.sha256).toBe(sha256Hex(await readObject(wire.client, record?.key ?? "")));
      expect(predicate.versions.find((v) => v.key === LETTER_KEY)?.sha256).toBeNull();
      expect(predicate.retention).toContain("COMPLIANCE retention");
    });

    it("revokes deletion protection only for conversations no other unreleased case holds, as the release client", () => {
      const revoked = wire.genesys.protectionUpdates.filter((u) => !u.protect);
      expect(revoked.every((u) => u.clientId === RELEASE_CLIENT.clientId)).toBe(true);
      const ids = revoked.flatMap((u) => u.conversationIds);
      expect(new Set(ids)).toEqual(new Set([own.conversationId, withClosed.conversationId, legacy.conversationId]));
      expect(ids).not.toContain(shared.conversationId);
      expect(wire.genesys.protectedConversations.has(shared.conversationId)).toBe(true);
      expect(wire.genesys.protectedConversations.has(own.conversationId)).toBe(false);
      expect(wire.genesys.protectedConversations.has(withClosed.conversationId)).toBe(false);
    });

    it("never prints the release client's secret", () => {
      for (const r of [first, second, third]) expect(`${r.stdout}${r.stderr}`).not.toContain(RELEASE_CLIENT.clientSecret);
    });
  });

  it(
    "runs as npm run hold:release with the documented profile: assumes the role once with the ExternalId and the MFA code typed",
    async () => {
      const folder = mkdtempSync(join(tmpdir(), "hold-release-profile-"));
      try {
        writeFileSync(join(folder, "credentials"), "[counsel]\naws_access_key_id = SOURCEKEY\naws_secret_access_key = SOURCESECRET\n");
        writeFileSync(
          join(folder, "config"),
          "[profile legal-hold-release]\nsource_profile = counsel\nrole_arn = arn:aws:iam::111122223333:role/legal-hold-hold-release\n" +
            "external_id = legal-hold-release\nmfa_serial = arn:aws:iam::111122223333:mfa/counsel\nregion = eu-west-2\n",
        );
        // Spawned asynchronously: the fakes answer from this process, whose event loop must keep running.
        const [node, ...script] = toolCommandLine("hold:release");
        const child = spawn(node as string, [...script, "--bucket", WIRE_BUCKET, "--case", RELEASED, "--reason", REASON], {
          cwd: PROJECT_DIR,
          env: {
            ...env,
            AWS_ACCESS_KEY_ID: "",
            AWS_SECRET_ACCESS_KEY: "",
            AWS_PROFILE: "legal-hold-release",
            AWS_CONFIG_FILE: join(folder, "config"),
            AWS_SHARED_CREDENTIALS_FILE: join(folder, "credentials"),
          },
        });
        child.stdin.end("123456\n");
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => {
          stdout += chunk;
        });
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
        });
        const [status] = (await once(child, "close")) as [number | null];
        const spawned = { status, stdout, stderr };
        expect(spawned.stderr).toContain("MFA code for arn:aws:iam::111122223333:mfa/counsel: ");
        expect(spawned.status).toBe(0);
        expect(spawned.stdout).toContain(`running as ${ASSUMED.arn}`);
        expect(sts.assumeRoleCalls).toHaveLength(1);
        expect(sts.assumeRoleCalls[0]).toMatchObject({
          RoleArn: "arn:aws:iam::111122223333:role/legal-hold-hold-release",
          ExternalId: "legal-hold-release",
          SerialNumber: "arn:aws:iam::111122223333:mfa/counsel",
          TokenCode: "123456",
        });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );

  it(
    "runs as npm run hold:release does and refuses a missing --reason with exit 2",
    () => {
      const spawned = runTool("hold:release", ["--bucket", WIRE_BUCKET, "--case", RELEASED], { env });
      expect(spawned.code).toBe(2);
      expect(spawned.stderr).toContain("--reason is required");
    },
    TIMEOUT_MS,
  );
});
