import { createHash, type KeyObject } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { parseEnvelope } from "../../../lambda/custody/dsse";
import { InputError } from "../cliArgs";
import { type RecordingReport, verifyRecording } from "../custodyVerify/checks";
import { casePrefix, groupRecordings, parseMediaKey, type RecordingObjects } from "../custodyVerify/layout";
import { renderJson } from "../custodyVerify/render";
import { s3Source } from "../custodyVerify/sources";
import { kmsResolver, mapLimited, readPublicKey } from "../verify";
import { writeFileAtomically } from "../writeFileAtomically";
import { findChromium, renderPdf } from "./chromium";
import { type DownloadedObject, downloadObject, sha256File } from "./download";
import {
  ARCHIVE_DIR,
  archivePath,
  type CapturedFacts,
  describeIdentity,
  MANIFEST_FILE,
  PACKAGE_KIND,
  PARTIAL_SUFFIX,
  type PackageFile,
  type PackageIdentity,
  type PackageManifest,
  PUBLIC_KEY_FILE,
  REPORT_HTML,
  REPORT_PDF,
  renderSums,
  STATE_FILE,
  SUMS_FILE,
  sameIdentity,
  VERIFICATION_FILE,
} from "./packageLayout";
import { productionSource } from "./packageSources";
import { type ReportProblem, type ReportRow, renderReport } from "./report";
import { wavFileDurationSeconds } from "./wavDuration";

/**
 * `npm run case:produce`: downloads a case out of the archive into a package
 * folder (packageLayout.ts), verifies it with verify's own checks, and writes
 * the manifest, the checksums and the custody report. Reads only.
 */

export interface ProductionOptions extends PackageIdentity {
  out: string;
  publicKeyFile: string | undefined;
  producedBy: string;
  pdf: boolean;
}

export interface ProductionResult {
  recordings: RecordingReport[];
  problems: ReportProblem[];
  files: PackageFile[];
  kept: number;
  downloaded: number;
}

interface ProductionState extends PackageIdentity {
  kind: typeof PACKAGE_KIND;
  objects: Record<string, DownloadedObject>;
}

/** Downloads at once. */
const CONCURRENCY = 4;

function toolName(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { name: string; version: string };
    return `${pkg.name} ${pkg.version}, npm run case:produce`;
  } catch {
    return "npm run case:produce";
  }
}

/**
 * What an existing --out folder already holds: nothing, or a package (finished
 * or not) of the same case, whose complete downloads a re-run keeps. Anything
 * else is refused: a package is never overwritten by a different one.
 */
function previousDownloads(out: string, identity: PackageIdentity): Map<string, DownloadedObject> {
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new InputError(`cannot read --out ${out}: ${(error as Error).message}`);
  }
  if (entries.length === 0) return new Map();
  const statePath = join(out, STATE_FILE);
  const manifestPath = join(out, MANIFEST_FILE);
  const which = existsSync(statePath) ? statePath : existsSync(manifestPath) ? manifestPath : undefined;
  if (!which)
    throw new InputError(
      `--out ${out} already holds files that are not a case package (${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""}); give an empty or new folder`,
    );
  let held: Partial<ProductionState & PackageManifest & { objectsList: DownloadedObject[] }>;
  try {
    held = JSON.parse(readFileSync(which, "utf8"));
  } catch (error) {
    throw new InputError(`--out ${out}: ${which} is not readable JSON (${(error as Error).message}); give an empty or new folder`);
  }
  if (held.kind !== PACKAGE_KIND) throw new InputError(`--out ${out}: ${which} is not a case package's; give an empty or new folder`);
  const heldIdentity = { caseId: String(held.caseId), bucket: String(held.bucket), conversations: held.conversations ?? null };
  if (!sameIdentity(heldIdentity, identity))
    throw new InputError(
      `--out ${out} holds the package of ${describeIdentity(heldIdentity)}, not of ${describeIdentity(identity)}; a package is never overwritten by a different one: give another folder`,
    );
  const objects = held.objects ?? {};
  return new Map(Object.entries(objects).filter(([, value]) => value && typeof value.sha256 === "string"));
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** What a recording's custody record says (unverified values: the checks say whether to trust them). */
async function recordFacts(folder: string, objects: RecordingObjects): Promise<{ predicate: Json | undefined; keyIds: string[] }> {
  const path = (key: string) => join(folder, ...archivePath(key).split("/"));
  try {
    if (objects.hasRecord) {
      const envelope = parseEnvelope(await readFile(path(objects.recordKey), "utf8"));
      const statement = JSON.parse(envelope.payloadBytes.toString("utf8")) as Json;
      return {
        predicate: isObject(statement.predicate) ? statement.predicate : undefined,
        keyIds: envelope.signatures.map((s) => s.keyid).filter(Boolean),
      };
    }
    const manifest = objects.hasManifest ? (JSON.parse(await readFile(path(objects.manifestKey), "utf8")) as Json) : undefined;
    const signature = objects.hasSignature ? (JSON.parse(await readFile(path(objects.signatureKey), "utf8")) as Json) : undefined;
    const keyId = str(signature?.signingKeyArn);
    return { predicate: manifest, keyIds: keyId ? [keyId] : [] };
  } catch {
    return { predicate: undefined, keyIds: [] };
  }
}

async function walk(folder: string, base = folder): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full, base)));
    else if (entry.isFile()) files.push(relative(base, full).split(sep).join("/"));
  }
  return files.sort();
}

const spkiSha256 = (key: KeyObject) =>
  createHash("sha256")
    .update(key.export({ format: "der", type: "spki" }))
    .digest("hex");

async function signingKey(options: ProductionOptions, keyIds: string[]): Promise<{ key: KeyObject; source: string }> {
  if (options.publicKeyFile !== undefined)
    return { key: readPublicKey(options.publicKeyFile), source: `--public-key ${options.publicKeyFile}` };
  if (keyIds.length === 0)
    throw new InputError("no custody record of the case names its signing key, so KMS cannot be asked for it: give --public-key FILE.pem");
  const resolve = kmsResolver();
  if (!resolve)
    throw new InputError("@aws-sdk/client-kms is not installed, so the public key cannot be fetched: give --public-key FILE.pem");
  const keys = await Promise.all(
    keyIds.map((id) =>
      resolve(id).catch((error: Error) => {
        throw new InputError(
          `cannot read the signing key's public key from KMS (kms:GetPublicKey on ${id}): ${error.message}; or give --public-key FILE.pem`,
        );
      }),
    ),
  );
  const fingerprints = new Set(keys.map(spkiSha256));
  // One package, one key: a case signed across a key rotation needs each key checked on its own.
  if (fingerprints.size > 1)
    throw new InputError(
      `the case's records are signed by ${fingerprints.size} different keys (${keyIds.join(", ")}); produce each conversation on its own with --conversation`,
    );
  return { key: keys[0] as KeyObject, source: "AWS KMS GetPublicKey" };
}

export async function produceCase(s3: S3Client, options: ProductionOptions, progress: (line: string) => void): Promise<ProductionResult> {
  const { out, bucket } = options;
  const identity: PackageIdentity = { caseId: options.caseId, bucket, conversations: options.conversations };
  const previous = previousDownloads(out, identity);
  const chromium = options.pdf ? findChromium() : undefined;
  if (options.pdf && !chromium)
    throw new InputError(
      "--pdf needs Chromium (Debian: apt-get install -y chromium, or set CHROMIUM_PATH); run without --pdf for the HTML report only",
    );

  const archive = s3Source(s3, bucket);
  const prefixes = options.conversations
    ? options.conversations.map((id) => casePrefix(options.caseId, id))
    : [casePrefix(options.caseId, undefined)];
  const keys: string[] = [];
  for (const prefix of prefixes) {
    const found = await archive.list(prefix);
    if (found.length === 0) throw new InputError(`no recordings under s3://${bucket}/${prefix}`);
    keys.push(...found);
  }
  const recordings = groupRecordings(keys);
  const wanted = recordings.flatMap((r) =>
    [
      [r.hasMedia, r.mediaKey],
      [r.hasRecord, r.recordKey],
      [r.hasManifest, r.manifestKey],
      [r.hasSignature, r.signatureKey],
    ]
      .filter(([has]) => has)
      .map(([, key]) => key as string),
  );

  // Download, recording each completed file so a re-run after a crash or Ctrl-C keeps it.
  const state: ProductionState = { kind: PACKAGE_KIND, ...identity, objects: Object.fromEntries(previous) };
  const saveState = () => writeFileAtomically(join(out, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, "--out state file");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(out, { recursive: true });
  saveState();
  let kept = 0;
  const downloads = await mapLimited(
    wanted,
    CONCURRENCY,
    async (key) => {
      const result = await downloadObject(s3, bucket, key, out, previous.get(key));
      const { kept: wasKept, ...object } = result;
      if (wasKept) kept++;
      state.objects[key] = object;
      saveState();
      return object;
    },
    (count) => {
      if (count === wanted.length || count % 10 === 0) progress(`downloaded ${count}/${wanted.length}`);
    },
  );
  // Partial downloads of versions no longer current would read as recordings.
  for (const file of await walk(join(out, ARCHIVE_DIR))) {
    if (file.endsWith(PARTIAL_SUFFIX)) rmSync(join(out, ARCHIVE_DIR, ...file.split("/")));
  }

  // The key, then verify's checks on the downloaded files, asking S3 for the stored facts.
  const facts = await Promise.all(recordings.map((r) => recordFacts(out, r)));
  const keyIds = [...new Set(facts.flatMap((f) => f.keyIds))].sort();
  const { key, source: keySource } = await signingKey(options, keyIds);
  writeFileAtomically(join(out, PUBLIC_KEY_FILE), key.export({ format: "pem", type: "spki" }).toString(), PUBLIC_KEY_FILE);
  const captured = new Map<string, CapturedFacts>();
  const source = productionSource(out, archive, captured);
  const producedAt = new Date();
  const reports = await mapLimited(
    recordings,
    CONCURRENCY,
    (objects) => verifyRecording(objects, { source, publicKeyFor: async () => key, now: producedAt }),
    () => {},
  );
  writeFileAtomically(
    join(out, VERIFICATION_FILE),
    renderJson({ source: archive.description, prefix: prefixes.join(" "), recordings: reports }),
    VERIFICATION_FILE,
  );

  // The report.
  const rows: ReportRow[] = await Promise.all(
    recordings.map(async (objects, index) => {
      const predicate = facts[index]?.predicate;
      const report = reports[index] as RecordingReport;
      const where = parseMediaKey(objects.mediaKey);
      const fact = captured.get(objects.mediaKey);
      const times = isObject(predicate?.times) ? predicate.times : undefined;
      const mediaFile = join(out, ...archivePath(objects.mediaKey).split("/"));
      const status = (name: string) => report.checks.find((c) => c.name === name)?.status;
      return {
        conversationId: str(predicate?.conversationId) ?? where?.conversationId ?? "",
        recordingId: str(predicate?.recordingId) ?? where?.recordingId ?? objects.mediaKey,
        mediaKey: objects.mediaKey,
        durationSeconds: objects.hasMedia ? await wavFileDurationSeconds(mediaFile).catch(() => undefined) : undefined,
        bytes: typeof predicate?.bytes === "number" ? predicate.bytes : undefined,
        sha256: str(predicate?.sha256),
        collectedAt: str(times?.storedAt) ?? str(predicate?.storedAt),
        requestedBy: str(predicate?.requestedBy),
        versionId: fact?.versionId.ok ? (fact.versionId.value ?? undefined) : undefined,
        legalHold: fact?.legalHold.ok ? (fact.legalHold.value ?? "not set") : undefined,
        retainUntil: fact?.retainUntil.ok ? (fact.retainUntil.value ?? undefined) : undefined,
        signature: status("signature") ?? "FAILED",
        recordFormat: objects.hasRecord ? "DSSE envelope" : "manifest + signature file",
        ok: report.ok,
      };
    }),
  );
  const problems: ReportProblem[] = reports.flatMap((r) =>
    r.checks
      .filter((c) => c.status === "FAILED" || c.status === "UNKNOWN")
      .map((c) => ({ where: r.mediaKey, check: c.name, status: c.status, detail: c.detail })),
  );
  const known = new Map(downloads.map((d) => [archivePath(d.key), d]));
  const fileOf = async (path: string): Promise<PackageFile> => {
    const download = known.get(path);
    if (download) return { path, bytes: download.bytes, sha256: download.sha256 };
    return { path, ...(await sha256File(join(out, ...path.split("/")))) };
  };
  const archiveFiles = (await walk(join(out, ARCHIVE_DIR))).map((file) => `${ARCHIVE_DIR}/${file}`);
  const before = await Promise.all([...archiveFiles, PUBLIC_KEY_FILE, VERIFICATION_FILE].map(fileOf));
  const reportData = {
    caseId: options.caseId,
    conversations: options.conversations,
    producedAt: producedAt.toISOString(),
    producedBy: options.producedBy,
    tool: toolName(),
    bucket,
    keyIds,
    keySource,
    spkiSha256: spkiSha256(key),
    rows,
    problems,
    // The report, the manifest and SHA256SUMS are part of the package too.
    fileCount: before.length + 3 + (options.pdf ? 1 : 0),
    totalBytes: before.filter((f) => f.path.startsWith(`${ARCHIVE_DIR}/`)).reduce((sum, f) => sum + f.bytes, 0),
  };
  writeFileAtomically(join(out, REPORT_HTML), renderReport(reportData), REPORT_HTML);
  if (chromium) await renderPdf(chromium, join(out, REPORT_HTML), join(out, REPORT_PDF));
  if (!chromium) rmSync(join(out, REPORT_PDF), { force: true });

  const files = [...before, await fileOf(REPORT_HTML), ...(chromium ? [await fileOf(REPORT_PDF)] : [])].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const manifest: PackageManifest & { objects: Record<string, DownloadedObject> } = {
    schemaVersion: 1,
    kind: PACKAGE_KIND,
    ...identity,
    producedAt: producedAt.toISOString(),
    producedBy: options.producedBy,
    tool: toolName(),
    signingKey: { keyIds, file: PUBLIC_KEY_FILE, spkiSha256: spkiSha256(key), source: keySource },
    recordings: recordings.map((r) => ({ mediaKey: r.mediaKey, facts: captured.get(r.mediaKey) ?? null })),
    files,
    objects: Object.fromEntries(downloads.map((d) => [d.key, d])),
  };
  writeFileAtomically(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, MANIFEST_FILE);
  const manifestFile = await fileOf(MANIFEST_FILE);
  writeFileAtomically(join(out, SUMS_FILE), renderSums([...files, manifestFile]), SUMS_FILE);
  rmSync(join(out, STATE_FILE), { force: true });
  return { recordings: reports, problems, files: [...files, manifestFile], kept, downloaded: downloads.length - kept };
}
