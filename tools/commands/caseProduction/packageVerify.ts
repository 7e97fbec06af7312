import { createPublicKey, type KeyObject } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { InputError } from "../cliArgs";
import { type RecordingReport, verifyRecording } from "../custodyVerify/checks";
import { groupRecordings } from "../custodyVerify/layout";
import { sha256File } from "./download";
import {
  ARCHIVE_DIR,
  type CapturedFacts,
  MANIFEST_FILE,
  PACKAGE_KIND,
  type PackageFile,
  type PackageManifest,
  PUBLIC_KEY_FILE,
  renderSums,
  STATE_FILE,
  SUMS_FILE,
} from "./packageLayout";
import { packageSource } from "./packageSources";

/**
 * `npm run verify -- --package DIR`: checks a produced package with no AWS
 * access. Every file is compared with both manifest.json and SHA256SUMS, so
 * a changed byte anywhere is reported with the file named (the one that
 * disagrees with the other two); then verify's own checks run on the
 * recordings, with the public key in the package and S3's answers as
 * captured at production.
 */

export interface FileProblem {
  file: string;
  problem: string;
}

export interface PackageReport {
  folder: string;
  files: number;
  fileProblems: FileProblem[];
  recordings: RecordingReport[];
  manifest: PackageManifest | undefined;
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;

async function walk(folder: string, base = folder): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full, base)));
    else files.push(relative(base, full).split(sep).join("/"));
  }
  return files.sort();
}

function parseManifest(bytes: Buffer | undefined, problems: FileProblem[]): PackageManifest | undefined {
  if (!bytes) return undefined;
  let value: Partial<PackageManifest>;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    problems.push({ file: MANIFEST_FILE, problem: `not JSON (${(error as Error).message})` });
    return undefined;
  }
  const wrong: string[] = [];
  if (value?.kind !== PACKAGE_KIND) wrong.push(`kind is not ${PACKAGE_KIND}`);
  if (value?.schemaVersion !== 1) wrong.push("schemaVersion is not 1");
  if (
    !Array.isArray(value?.files) ||
    value.files.some((f) => typeof f?.path !== "string" || typeof f.sha256 !== "string" || typeof f.bytes !== "number")
  )
    wrong.push("files is not a list of {path, bytes, sha256}");
  if (typeof value?.bucket !== "string") wrong.push("bucket is missing");
  if (!Array.isArray(value?.recordings)) wrong.push("recordings is missing");
  if (wrong.length > 0) {
    problems.push({ file: MANIFEST_FILE, problem: wrong.join("; ") });
    return undefined;
  }
  return value as PackageManifest;
}

function parseSums(text: string | undefined, problems: FileProblem[]): Map<string, string> {
  const sums = new Map<string, string>();
  if (text === undefined) return sums;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let malformed = false;
  lines.forEach((line, index) => {
    const match = /^([0-9a-f]{64}) {2}(.+)$/u.exec(line);
    if (!match) {
      problems.push({ file: SUMS_FILE, problem: `line ${index + 1} is not "<sha256>  <file>"` });
      malformed = true;
    } else sums.set(match[2] as string, match[1] as string);
  });
  // Anything but the exact form case:produce writes (order, spacing, a stray character) is a change too.
  if (!malformed && renderSums([...sums].map(([path, sha256]) => ({ path, sha256, bytes: 0 }))) !== text)
    problems.push({ file: SUMS_FILE, problem: "is not in the form case:produce writes (sorted `<sha256>  <file>` lines)" });
  return sums;
}

async function readIfThere(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Compares every file with manifest.json and SHA256SUMS; names the file that disagrees with the other two. */
async function checkFiles(folder: string, onDisk: string[], problems: FileProblem[]) {
  const manifestBytes = await readIfThere(join(folder, MANIFEST_FILE));
  const sumsBytes = await readIfThere(join(folder, SUMS_FILE));
  if (!manifestBytes) problems.push({ file: MANIFEST_FILE, problem: "missing" });
  if (!sumsBytes) problems.push({ file: SUMS_FILE, problem: "missing" });
  const manifest = parseManifest(manifestBytes, problems);
  const sums = parseSums(sumsBytes?.toString("utf8"), problems);
  const listed = new Map<string, PackageFile>((manifest?.files ?? []).map((f) => [f.path, f]));
  const actual = new Map<string, { sha256: string; bytes: number }>();
  for (const file of onDisk) actual.set(file, await sha256File(join(folder, ...file.split("/"))));

  const paths = new Set([...onDisk, ...listed.keys(), ...sums.keys()]);
  paths.delete(SUMS_FILE);
  for (const path of [...paths].sort()) {
    const a = actual.get(path);
    const m = listed.get(path);
    const s = sums.get(path);
    if (path === STATE_FILE) {
      problems.push({ file: path, problem: "the production did not finish: run case:produce again with the same options" });
      continue;
    }
    if (!a) {
      problems.push({ file: path, problem: `missing (listed in ${[m && MANIFEST_FILE, s && SUMS_FILE].filter(Boolean).join(" and ")})` });
      continue;
    }
    if (path === MANIFEST_FILE) {
      if (!s) problems.push({ file: SUMS_FILE, problem: `has no line for ${MANIFEST_FILE}` });
      else if (s !== a.sha256)
        problems.push({
          file: MANIFEST_FILE,
          problem: `changed: SHA-256 is ${short(a.sha256)}, ${SUMS_FILE} says ${short(s)} (one of the two was changed)`,
        });
      continue;
    }
    if (!m && !s) {
      problems.push({ file: path, problem: `not part of the package (in neither ${MANIFEST_FILE} nor ${SUMS_FILE})` });
      continue;
    }
    if (manifest && !m) problems.push({ file: MANIFEST_FILE, problem: `lists no ${path}` });
    if (sumsBytes && !s) problems.push({ file: SUMS_FILE, problem: `has no line for ${path}` });
    const mOk = m ? m.sha256 === a.sha256 : undefined;
    const sOk = s ? s === a.sha256 : undefined;
    if (mOk === false && sOk === false)
      problems.push({
        file: path,
        problem: `changed: SHA-256 is ${short(a.sha256)}, ${MANIFEST_FILE} and ${SUMS_FILE} say ${short((m as PackageFile).sha256)}`,
      });
    else if (mOk === false && sOk !== false)
      problems.push({
        file: sOk ? MANIFEST_FILE : path,
        problem: `${sOk ? `its entry for ${path}` : path} says SHA-256 ${short((m as PackageFile).sha256)}, the file is ${short(a.sha256)}`,
      });
    else if (sOk === false)
      problems.push({
        file: mOk ? SUMS_FILE : path,
        problem: `${mOk ? `its line for ${path}` : path} says ${short(s as string)}, the file is ${short(a.sha256)}`,
      });
    else if (m && m.bytes !== a.bytes)
      problems.push({ file: MANIFEST_FILE, problem: `says ${path} has ${m.bytes} bytes, it has ${a.bytes}` });
  }
  return { manifest, files: onDisk.length };
}

function readKey(pem: Buffer | undefined, problems: FileProblem[]): KeyObject | undefined {
  if (!pem) {
    problems.push({ file: PUBLIC_KEY_FILE, problem: "missing" });
    return undefined;
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return key;
    problems.push({ file: PUBLIC_KEY_FILE, problem: "is not an EC P-256 public key" });
  } catch (error) {
    problems.push({ file: PUBLIC_KEY_FILE, problem: `is not a PEM public key (${(error as Error).message})` });
  }
  return undefined;
}

export async function verifyPackage(folder: string): Promise<PackageReport> {
  let onDisk: string[];
  try {
    onDisk = await walk(folder);
  } catch (error) {
    throw new InputError(`cannot read --package ${folder}: ${(error as Error).message}`);
  }
  if (!onDisk.includes(MANIFEST_FILE) && !onDisk.includes(SUMS_FILE))
    throw new InputError(
      `--package ${folder} is not a case package (no ${MANIFEST_FILE} or ${SUMS_FILE}); produce one with npm run case:produce`,
    );
  const fileProblems: FileProblem[] = [];
  const { manifest, files } = await checkFiles(folder, onDisk, fileProblems);

  // verify's own checks on the recordings, as at production but offline.
  const key = readKey(await readIfThere(join(folder, PUBLIC_KEY_FILE)), fileProblems);
  const captured = new Map<string, CapturedFacts>();
  for (const recording of manifest?.recordings ?? []) if (recording?.facts) captured.set(recording.mediaKey, recording.facts);
  const bucket = manifest?.bucket ?? "(unknown: manifest.json unreadable)";
  const source = packageSource(folder, bucket, captured);
  const now = manifest && !Number.isNaN(Date.parse(manifest.producedAt)) ? new Date(manifest.producedAt) : new Date();
  const keys = onDisk.filter((file) => file.startsWith(`${ARCHIVE_DIR}/`)).map((file) => file.slice(ARCHIVE_DIR.length + 1));
  const recordings: RecordingReport[] = [];
  for (const objects of groupRecordings(keys)) {
    recordings.push(
      await verifyRecording(objects, {
        source,
        publicKeyFor: async () => {
          if (!key) throw new Error(`${PUBLIC_KEY_FILE} is unusable`);
          return key;
        },
        // Retention is judged as S3 answered at production.
        now,
      }),
    );
  }
  return { folder, files, fileProblems, recordings, manifest };
}

export function renderPackageText(report: PackageReport): string {
  const lines: string[] = [];
  lines.push(`package ${report.folder}: ${report.files} files`);
  if (report.manifest)
    lines.push(
      `case ${report.manifest.caseId} from s3://${report.manifest.bucket}, produced ${report.manifest.producedAt} by ${report.manifest.producedBy}`,
    );
  if (report.fileProblems.length === 0) lines.push("files: every file matches manifest.json and SHA256SUMS");
  for (const problem of report.fileProblems) lines.push(`FILE FAILED  ${problem.file}: ${problem.problem}`);
  return `${lines.join("\n")}\n\n`;
}
