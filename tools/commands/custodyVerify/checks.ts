import { createHash, type KeyObject, verify } from "node:crypto";
import { canonicalJsonBytes } from "../../../lambda/custody/canonicalJson";
import { bulkExportProblems } from "./bulkExportOrigin";
import type { CaseExportIndex } from "./caseExportIndex";
import { checkEnvelopeRecord } from "./envelopeRecord";
import { type KeyLocation, parseMediaKey, type RecordingObjects } from "./layout";
import { legalHoldCheck, retentionCheck } from "./lockState";
import { type ArchiveSource, describeError, type MediaDigest, type StoredFacts } from "./sources";

/**
 * The checks run on one recording. "UNKNOWN" means the check could not be
 * made (e.g. S3 did not answer the question); like "FAILED" it makes the run
 * exit 1, because custody that cannot be shown is not shown.
 */
export type CheckStatus = "ok" | "FAILED" | "UNKNOWN" | "n/a";

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  detail: string;
}

export const CHECK_NAMES = [
  "media present",
  "custody record",
  "subject",
  "manifest",
  "location",
  "media bytes",
  "media sha256",
  "signature file",
  "manifest digest",
  "signature",
  "S3 version",
  "S3 checksum",
  "legal hold",
  "retention",
  "bulk export",
  "case-export record",
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface RecordingReport {
  mediaKey: string;
  ok: boolean;
  checks: CheckResult[];
}

/** Resolves the public key a signature must verify with (from --public-key, or KMS GetPublicKey). */
export type PublicKeyResolver = (signingKeyArn: string) => Promise<KeyObject>;

export interface VerifyContext {
  source: ArchiveSource;
  publicKeyFor: PublicKeyResolver;
  now: Date;
  /** Reads the case-export records bulk custody records point at; without it (a package) that check is not made. */
  caseExports?: CaseExportIndex;
}

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const LOCAL_COPY = "n/a (local copy)";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === "string" ? value : undefined);
const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const short = (hex: unknown) => (typeof hex === "string" && hex.length > 16 ? `${hex.slice(0, 12)}…` : shown(hex));

/** Parses a stored JSON file; answers the object or why it is not a valid canonical JSON object. */
function parseCanonical(bytes: Buffer): { value: Json } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  if (!isObject(value)) return { problem: "not a JSON object" };
  let canonical: Buffer;
  try {
    canonical = canonicalJsonBytes(value);
  } catch (error) {
    return { problem: `no canonical form (${(error as Error).message})` };
  }
  if (!canonical.equals(bytes)) return { problem: "not canonical JSON (its bytes differ from its canonical form)" };
  return { value };
}

function locationProblems(manifest: Json, objects: RecordingObjects, where: KeyLocation | undefined, bucket: string | undefined): string[] {
  const problems: string[] = [];
  const s3 = isObject(manifest.s3) ? manifest.s3 : {};
  if (s3.key !== objects.mediaKey) problems.push(`s3.key is ${shown(s3.key)}`);
  if (bucket !== undefined && s3.bucket !== bucket) problems.push(`s3.bucket is ${shown(s3.bucket)}, found in ${bucket}`);
  if (!where) {
    problems.push("the media key is not cases/{caseId}/conversations/{conversationId}/recordings/{recordingId}.{ext}");
    return problems;
  }
  for (const id of ["caseId", "conversationId", "recordingId"] as const) {
    if (manifest[id] !== where[id]) problems.push(`${id} is ${shown(manifest[id])}, location says ${where[id]}`);
  }
  return problems;
}

/** Verifies one recording; never throws (a read failure is that check's failure). */
export async function verifyRecording(objects: RecordingObjects, context: VerifyContext): Promise<RecordingReport> {
  const { source } = context;
  const checks: CheckResult[] = [];
  const add = (name: CheckName, status: CheckStatus, detail = "") => checks.push({ name, status, detail });
  const where = parseMediaKey(objects.mediaKey);

  // The three objects.
  add("media present", objects.hasMedia ? "ok" : "FAILED", objects.hasMedia ? "" : "no media object beside the manifest");

  let manifestBytes: Buffer | undefined;
  let manifest: Json | undefined;
  // Records stored now are one DSSE envelope; older ones are a manifest and a signature file.
  const envelopeFormat = objects.hasRecord;
  let envelopeChecks: Awaited<ReturnType<typeof checkEnvelopeRecord>>["checks"] = [];
  if (envelopeFormat) {
    try {
      const checked = await checkEnvelopeRecord(
        await source.read(objects.recordKey),
        objects.mediaKey,
        context.publicKeyFor,
        describeError,
      );
      manifest = checked.predicate;
      envelopeChecks = checked.checks;
    } catch (error) {
      envelopeChecks = [{ name: "custody record", status: "FAILED", detail: `unreadable: ${describeError(error)}` }];
    }
    const record = envelopeChecks.find((c) => c.name === "custody record");
    const extra = objects.hasManifest || objects.hasSignature ? "; an old-style manifest or signature file is stored beside it too" : "";
    add("custody record", extra ? "FAILED" : (record?.status ?? "FAILED"), `${record?.detail ?? ""}${extra}`);
  } else if (!objects.hasManifest)
    add("manifest", "FAILED", `missing ${objects.recordKey} (or, from earlier releases, ${objects.manifestKey})`);
  else {
    try {
      manifestBytes = await source.read(objects.manifestKey);
      const parsed = parseCanonical(manifestBytes);
      if ("problem" in parsed) add("manifest", "FAILED", parsed.problem);
      else if (parsed.value.schemaVersion !== 1)
        add("manifest", "FAILED", `schemaVersion is ${shown(parsed.value.schemaVersion)}, expected 1`);
      else {
        manifest = parsed.value;
        add("manifest", "ok");
      }
    } catch (error) {
      add("manifest", "FAILED", `unreadable: ${describeError(error)}`);
    }
  }
  const s3Fields = manifest && isObject(manifest.s3) ? manifest.s3 : undefined;

  // Where the manifest says it belongs, against where it was found (swaps, replays from elsewhere).
  if (!manifest) add("location", "FAILED", envelopeFormat ? "no valid custody record" : "no valid manifest");
  else {
    const problems = locationProblems(manifest, objects, where, source.bucket);
    add("location", problems.length === 0 ? "ok" : "FAILED", problems.join("; "));
  }

  // The media, streamed once.
  let digest: MediaDigest | undefined;
  let digestError: string | undefined;
  let facts: StoredFacts | undefined;
  if (objects.hasMedia) {
    if (source.storedFacts) facts = await source.storedFacts(objects.mediaKey);
    const version = facts?.versionId.ok ? facts.versionId.value : undefined;
    try {
      digest = await source.digest(objects.mediaKey, version);
    } catch (error) {
      digestError = `unreadable: ${describeError(error)}`;
    }
  }
  const compareMedia = (name: CheckName, actual: unknown, expected: unknown, render: (v: unknown) => string) => {
    if (!objects.hasMedia) add(name, "FAILED", "no media");
    else if (digestError || !digest) add(name, "FAILED", digestError ?? "not read");
    else if (!manifest) add(name, "FAILED", `is ${render(actual)}; no valid manifest to compare with`);
    else if (actual !== expected) add(name, "FAILED", `media is ${render(actual)}, manifest says ${render(expected)}`);
    else add(name, "ok", render(actual));
  };
  compareMedia("media bytes", digest?.bytes, manifest?.bytes, (v) => (typeof v === "number" ? `${v} bytes` : shown(v)));
  compareMedia("media sha256", digest?.sha256, manifest?.sha256, short);

  if (envelopeFormat) {
    for (const name of ["subject", "signature"] as const) {
      const check = envelopeChecks.find((c) => c.name === name);
      add(name, check?.status ?? "FAILED", check?.detail ?? "no valid record");
    }
  }

  // The signature file and the signature (records of earlier releases).
  let signatureFile: Json | undefined;
  if (envelopeFormat) {
    // checked above
  } else if (!objects.hasSignature) add("signature file", "FAILED", `missing ${objects.signatureKey}`);
  else {
    try {
      const parsed = parseCanonical(await source.read(objects.signatureKey));
      if ("problem" in parsed) add("signature file", "FAILED", parsed.problem);
      else {
        const value = parsed.value;
        const problems: string[] = [];
        if (value.schemaVersion !== 1) problems.push(`schemaVersion is ${shown(value.schemaVersion)}, expected 1`);
        if (value.algorithm !== "ECDSA_SHA_256") problems.push(`algorithm is ${shown(value.algorithm)}, expected ECDSA_SHA_256`);
        if (value.messageType !== "DIGEST") problems.push(`messageType is ${shown(value.messageType)}, expected DIGEST`);
        if (value.manifestKey !== objects.manifestKey)
          problems.push(`manifestKey is ${shown(value.manifestKey)}, not the manifest beside it`);
        for (const field of ["manifestSha256", "signingKeyArn", "signature", "signedAt"]) {
          if (typeof value[field] !== "string") problems.push(`${field} is missing`);
        }
        signatureFile = value;
        add("signature file", problems.length === 0 ? "ok" : "FAILED", problems.join("; "));
      }
    } catch (error) {
      add("signature file", "FAILED", `unreadable: ${describeError(error)}`);
    }
  }

  if (envelopeFormat) {
    // no separate manifest digest: the signature covers the statement itself
  } else if (!manifestBytes) add("manifest digest", "FAILED", "no manifest");
  else if (!signatureFile) add("manifest digest", "FAILED", "no valid signature file");
  else {
    const actual = sha256Hex(manifestBytes);
    add(
      "manifest digest",
      signatureFile.manifestSha256 === actual ? "ok" : "FAILED",
      signatureFile.manifestSha256 === actual
        ? ""
        : `signature file says ${short(signatureFile.manifestSha256)}, manifest is ${short(actual)}`,
    );
  }

  const signature = str(signatureFile?.signature);
  const keyArn = str(signatureFile?.signingKeyArn);
  if (envelopeFormat) {
    // checked above
  } else if (!manifestBytes) add("signature", "FAILED", "no manifest");
  else if (!signature || !keyArn) add("signature", "FAILED", "no valid signature file");
  else {
    let key: KeyObject | undefined;
    try {
      key = await context.publicKeyFor(keyArn);
    } catch (error) {
      add("signature", "UNKNOWN", `no public key for ${keyArn}: ${describeError(error)}`);
    }
    if (key) {
      let valid = false;
      try {
        valid = verify("sha256", manifestBytes, key, Buffer.from(signature, "base64"));
      } catch {
        valid = false;
      }
      add("signature", valid ? "ok" : "FAILED", valid ? `ECDSA P-256, ${keyArn}` : "does not verify over the manifest bytes");
    }
  }

  // What S3 itself says about the stored version.
  if (!facts) {
    const detail = source.kind === "local" ? LOCAL_COPY : "no media";
    const status: CheckStatus = source.kind === "local" ? "n/a" : "FAILED";
    for (const name of ["S3 version", "S3 checksum", "legal hold", "retention"] as const) add(name, status, detail);
  } else {
    const compareFact = (name: CheckName, fact: StoredFacts["versionId"], expected: unknown) => {
      if (!fact.ok) add(name, "UNKNOWN", fact.error);
      else if (fact.value === undefined) add(name, "FAILED", "S3 answered none");
      else if (!s3Fields) add(name, "FAILED", `S3 says ${fact.value}; no valid manifest to compare with`);
      else if (fact.value !== expected) add(name, "FAILED", `S3 says ${fact.value}, manifest says ${shown(expected)}`);
      else add(name, "ok", fact.value);
    };
    compareFact("S3 version", facts.versionId, s3Fields?.versionId);
    // Old manifests name a CRC64NVME; custody records name the algorithm with the value.
    const recorded = s3Fields && isObject(s3Fields.checksum) ? s3Fields.checksum : undefined;
    if (recorded?.algorithm === "CRC32") compareFact("S3 checksum", facts.checksumCRC32, recorded.value);
    else if (recorded) compareFact("S3 checksum", facts.checksumCRC64NVME, recorded.value);
    else compareFact("S3 checksum", facts.checksumCRC64NVME, s3Fields?.checksumCRC64NVME);
    const hold = legalHoldCheck(facts);
    add("legal hold", hold.status, hold.detail);
    const retention = retentionCheck(facts, context.now);
    add("retention", retention.status, retention.detail);
  }

  // Only records the landing sealer wrote carry a bulkExport origin; pull-path records get no such line.
  if (manifest && manifest.bulkExport !== undefined) {
    const problems = bulkExportProblems(manifest, objects.mediaKey);
    add(
      "bulk export",
      problems.length === 0 ? "ok" : "FAILED",
      problems.join("; ") || "landing object, Genesys metadata and case routing agree",
    );
    if (context.caseExports) {
      const routing = isObject(manifest.bulkExport) && isObject(manifest.bulkExport.routing) ? manifest.bulkExport.routing : {};
      const key = String(routing.caseRecordKey);
      const exported = await context.caseExports(key);
      if (!exported.found) add("case-export record", "FAILED", exported.problem);
      else if (!exported.conversationIds.includes(String(manifest.conversationId)))
        add("case-export record", "FAILED", `${key} does not list conversation ${shown(manifest.conversationId)}`);
      else add("case-export record", "ok", `${key} lists this conversation`);
    }
  }

  return { mediaKey: objects.mediaKey, ok: checks.every((c) => c.status === "ok" || c.status === "n/a"), checks };
}
