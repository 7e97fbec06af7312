import { join } from "node:path";
import { type ArchiveSource, localSource, type Outcome, type StoredFacts } from "../custodyVerify/sources";
import { ARCHIVE_DIR, type CapturedFacts, type CapturedOutcome } from "./packageLayout";

/**
 * The two ArchiveSources a package is verified through, so `verify`'s own
 * checks (custodyVerify/checks.ts) judge it: at production, the downloaded
 * files with S3 asked for the stored facts (which are captured); offline,
 * the package's files with the facts as captured then.
 */

export function captureFacts(facts: StoredFacts): CapturedFacts {
  const plain = (outcome: Outcome<string | undefined>): CapturedOutcome =>
    outcome.ok ? { ok: true, value: outcome.value ?? null } : { ok: false, error: outcome.error };
  return {
    versionId: plain(facts.versionId),
    checksumCRC64NVME: plain(facts.checksumCRC64NVME),
    checksumCRC32: plain(facts.checksumCRC32),
    legalHold: plain(facts.legalHold),
    retainUntil: facts.retainUntil.ok
      ? { ok: true, value: facts.retainUntil.value?.toISOString() ?? null }
      : { ok: false, error: facts.retainUntil.error },
  };
}

export function restoreFacts(captured: CapturedFacts): StoredFacts {
  const plain = (outcome: CapturedOutcome): Outcome<string | undefined> =>
    outcome.ok ? { ok: true, value: outcome.value ?? undefined } : { ok: false, error: outcome.error };
  const until = captured.retainUntil;
  return {
    versionId: plain(captured.versionId),
    checksumCRC64NVME: plain(captured.checksumCRC64NVME),
    checksumCRC32: plain(captured.checksumCRC32),
    legalHold: plain(captured.legalHold),
    retainUntil: until.ok
      ? { ok: true, value: until.value === null ? undefined : new Date(until.value) }
      : { ok: false, error: until.error },
  };
}

/** At production: read the downloaded copy, ask S3 about each stored version and remember its answers. */
export function productionSource(folder: string, s3: ArchiveSource, captured: Map<string, CapturedFacts>): ArchiveSource {
  const files = localSource(join(folder, ARCHIVE_DIR));
  const ask = s3.storedFacts?.bind(s3);
  if (!ask) throw new Error("productionSource needs an S3 source");
  return {
    ...files,
    kind: "s3",
    description: s3.description,
    bucket: s3.bucket,
    async storedFacts(key) {
      const facts = await ask(key);
      captured.set(key, captureFacts(facts));
      return facts;
    },
  };
}

/** Offline: the package's files, and S3's answers as the manifest captured them at production. */
export function packageSource(folder: string, bucket: string, captured: Map<string, CapturedFacts>): ArchiveSource {
  const files = localSource(join(folder, ARCHIVE_DIR));
  const missing = "not captured at production (the manifest has no S3 facts for this recording)";
  return {
    ...files,
    kind: "s3",
    description: `package ${folder} (s3://${bucket} as read at production)`,
    bucket,
    async storedFacts(key) {
      const facts = captured.get(key);
      if (facts) return restoreFacts(facts);
      const none = { ok: false as const, error: missing };
      return { versionId: none, checksumCRC64NVME: none, checksumCRC32: none, legalHold: none, retainUntil: none };
    },
  };
}
