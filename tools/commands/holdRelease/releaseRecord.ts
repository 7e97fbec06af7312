import { createHash } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { canonicalJson } from "../../../lambda/custody/canonicalJson";
import type { CustodySigner } from "../../../lambda/custody/custodySigner";
import { STATEMENT_TYPE } from "../../../lambda/custody/custodyStatement";
import { putSignedRecordOnce } from "../../../lambda/custody/signedRecordOnce";
import { describeError } from "../custodyVerify/sources";
import type { CallerIdentity } from "./callerIdentity";
import { type CaseVersion, casePrefixOf, RELEASE_RECORD_SUFFIX, releasesPrefixOf } from "./caseInventory";

/**
 * The signed record of a case's release: an in-toto Statement v1 in a DSSE
 * envelope, signed by the custody signing key like the custody records. Its
 * one subject is the case, with the SHA-256 of the canonical list of released
 * versions, so the signature covers exactly which versions were released.
 */

export const RELEASE_PREDICATE_TYPE = "https://legal-hold-archive.example/release-record/v1";

export const RETENTION_NOTE =
  "Only the legal holds were lifted. Each version keeps its COMPLIANCE retention: nobody, root included, can delete or overwrite it before its retain-until date.";

export interface ReleasedVersion {
  key: string;
  versionId: string;
  sha256: string | null;
  /** The hold this run found: ON (this run set it OFF) or OFF (an interrupted earlier run did, or it never had one). */
  holdFound: "ON" | "OFF";
}

export interface ReleasePredicate {
  caseId: string;
  bucket: string;
  releaseId: string;
  reason: string;
  releasedBy: CallerIdentity;
  releasedAt: string;
  versions: ReleasedVersion[];
  /** Conversations whose Genesys deletion protection the release revokes (no other unreleased case holds them). */
  genesysDeletionProtectionToRevoke: string[];
  retention: string;
}

export interface ReleaseStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof RELEASE_PREDICATE_TYPE;
  predicate: ReleasePredicate;
}

function releasedVersions(versions: CaseVersion[], releasedNow: ReadonlySet<string>): ReleasedVersion[] {
  return versions.map((v) => ({
    key: v.key,
    versionId: v.versionId,
    sha256: v.sha256,
    holdFound: releasedNow.has(versionToken(v)) ? "ON" : "OFF",
  }));
}

export const versionToken = (v: { key: string; versionId: string }) => `${v.key}\n${v.versionId}`;

/**
 * Derived from the versions released, so every run that completes the same
 * release (after a partial failure, or two at once) names the same record,
 * and If-None-Match lets only one of them write it.
 */
export function releaseIdOf(versions: Pick<CaseVersion, "key" | "versionId">[]): string {
  const list = versions.map((v) => [v.key, v.versionId]);
  return createHash("sha256").update(canonicalJson(list)).digest("hex").slice(0, 32);
}

export const releaseRecordKey = (caseId: string, releaseId: string) => `${releasesPrefixOf(caseId)}${releaseId}${RELEASE_RECORD_SUFFIX}`;

export interface ReleaseFacts {
  caseId: string;
  bucket: string;
  reason: string;
  releasedBy: CallerIdentity;
  releasedAt: Date;
  versions: CaseVersion[];
  /** Versions (versionToken) whose hold was ON when this run began. */
  releasedNow: ReadonlySet<string>;
  revoke: string[];
}

export function buildReleaseStatement(facts: ReleaseFacts): ReleaseStatement {
  const versions = releasedVersions(facts.versions, facts.releasedNow);
  return {
    _type: STATEMENT_TYPE,
    subject: [
      {
        name: `s3://${facts.bucket}/${casePrefixOf(facts.caseId)}`,
        digest: { sha256: createHash("sha256").update(canonicalJson(versions)).digest("hex") },
      },
    ],
    predicateType: RELEASE_PREDICATE_TYPE,
    predicate: {
      caseId: facts.caseId,
      bucket: facts.bucket,
      releaseId: releaseIdOf(facts.versions),
      reason: facts.reason,
      releasedBy: { arn: facts.releasedBy.arn, account: facts.releasedBy.account, userId: facts.releasedBy.userId },
      releasedAt: facts.releasedAt.toISOString(),
      versions,
      genesysDeletionProtectionToRevoke: facts.revoke,
      retention: RETENTION_NOTE,
    },
  };
}

export class ReleaseRecordWriteError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`writing the release record ${key} failed: ${describeError(options?.cause)}`, options);
    this.name = "ReleaseRecordWriteError";
  }
}

/**
 * Signs and stores the record once (If-None-Match: *). Answers "exists" when
 * another run completing the same release stored it first.
 */
export async function writeReleaseRecord(
  deps: { s3: S3Client; signer: CustodySigner; bucket: string },
  statement: ReleaseStatement,
): Promise<{ key: string; outcome: "written" | "exists" }> {
  const key = releaseRecordKey(statement.predicate.caseId, statement.predicate.releaseId);
  const outcome = await putSignedRecordOnce(deps, key, statement, {}, (cause) => new ReleaseRecordWriteError(key, { cause }));
  return { key, outcome };
}
