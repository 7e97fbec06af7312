// `npm run verify`: proves, for each archived legal-hold recording, that the
// media, its custody manifest and the manifest's KMS signature agree with one
// another and with where they were found; against S3 it also checks what S3
// says about the stored version (version id, CRC64NVME, legal hold,
// retention). It also verifies the case's signed release, case-export and
// export job records (tools/commands/custodyVerify/caseRecordChecks.ts). Works on the live bucket (`--bucket`) or on a copy a reviewer
// downloaded with the same key layout (`--local`).
// Exit 0: every recording and case record verified; 1: at least one check failed or could not
// be made; 2: bad usage or unreadable input.

import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { archiveS3Client } from "./archiveS3Client";
import { ARCHIVE_DIR } from "./caseProduction/packageLayout";
import { renderPackageText, verifyPackage } from "./caseProduction/packageVerify";
import { type CliValues, type CommandSpec, InputError, UsageError } from "./cliArgs";
import { caseExportIndex } from "./custodyVerify/caseExportIndex";
import { verifyCaseRecord } from "./custodyVerify/caseRecordChecks";
import { caseRecordKeys } from "./custodyVerify/caseRecordKeys";
import { type PublicKeyResolver, type RecordingReport, verifyRecording } from "./custodyVerify/checks";
import { casePrefix, groupRecordings } from "./custodyVerify/layout";
import { renderJson, renderText, type VerifyReport } from "./custodyVerify/render";
import { type ArchiveSource, localSource, s3Source } from "./custodyVerify/sources";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const VERIFY: CommandSpec = {
  name: "verify",
  summary:
    "Proves, for each archived recording of a case, that the media, its custody manifest and the manifest's KMS signature agree, and checks the case's signed release, case-export and export job records, in the archive bucket (--bucket with --case), in a downloaded copy with the same key layout (--local), or in a package case:produce made (--package, no AWS access).",
  options: {
    bucket: { type: "string", value: "BUCKET", description: "The archive bucket to verify in S3; needs --case." },
    local: { type: "string", value: "DIR", description: "A folder copied out of the archive, same key layout; needs --public-key." },
    package: {
      type: "string",
      value: "DIR",
      description: "A package made by case:produce: checks every file against its manifest and SHA256SUMS, then each recording, offline.",
    },
    case: { type: "string", value: "CASE", description: "Only this case's recordings." },
    conversation: { type: "string", value: "ID", description: "Only this conversation of the case; needs --case." },
    "public-key": {
      type: "string",
      value: "FILE.pem",
      description: "The signing key's EC P-256 public key (PEM); without it, in S3 mode, it is read from KMS.",
    },
    json: { type: "boolean", default: false, description: "Print the report as JSON." },
  },
  exitCodes:
    "0 every recording and case record verified, 1 at least one check failed or could not be made, 2 bad usage or unreadable input",
};

/** Recordings verified at once. */
const CONCURRENCY = 4;
/** From this many recordings on, progress is written to stderr. */
const PROGRESS_FROM = 10;

interface Options {
  bucket?: string;
  local?: string;
  packageDir?: string;
  caseId?: string;
  conversationId?: string;
  publicKey?: string;
  json: boolean;
}

const ID = /^[A-Za-z0-9._-]+$/u;

function parseOptions(values: CliValues): Options {
  const options: Options = {
    bucket: values.bucket as string | undefined,
    local: values.local as string | undefined,
    packageDir: values.package as string | undefined,
    caseId: values.case as string | undefined,
    conversationId: values.conversation as string | undefined,
    publicKey: values["public-key"] as string | undefined,
    json: values.json === true,
  };
  if ([options.bucket, options.local, options.packageDir].filter((v) => v !== undefined).length !== 1)
    throw new UsageError("give exactly one of --bucket, --local or --package");
  if (options.packageDir !== undefined) {
    if (options.packageDir.trim() === "") throw new UsageError("--package is empty");
    for (const flag of ["case", "conversation", "public-key"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--package takes no --${flag}: the package names its case and holds its key`);
    }
  }
  if (options.bucket !== undefined && options.caseId === undefined) throw new UsageError("--bucket needs --case");
  if (options.conversationId !== undefined && options.caseId === undefined) throw new UsageError("--conversation needs --case");
  for (const [flag, value] of [
    ["--case", options.caseId],
    ["--conversation", options.conversationId],
  ] as const) {
    if (value !== undefined && !ID.test(value)) throw new UsageError(`${flag} ${JSON.stringify(value)} is not an id`);
  }
  for (const [flag, value] of [
    ["--bucket", options.bucket],
    ["--local", options.local],
    ["--public-key", options.publicKey],
  ] as const) {
    if (value !== undefined && value.trim() === "") throw new UsageError(`${flag} is empty`);
  }
  return options;
}

export function readPublicKey(file: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read --public-key ${file}: ${(error as Error).message}`);
  }
  const needed = "verify needs the signing key's EC P-256 public key in PEM (`aws kms get-public-key`, or the key handed to reviewers)";
  // createPublicKey would quietly derive the public half of a private key; a private key has no business here.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/u.test(pem.toString("latin1")))
    throw new InputError(`--public-key ${file} is a private key; ${needed}, never the private key`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new InputError(`--public-key ${file} is not a usable PEM public key (${(error as Error).message}); ${needed}`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== "prime256v1") {
    const given =
      key.asymmetricKeyType === "ec"
        ? `an EC ${CURVE_NAMES[curve ?? ""] ?? curve} public key`
        : `an ${(key.asymmetricKeyType ?? "unknown").toUpperCase()}${key.asymmetricKeyDetails?.modulusLength ? ` ${key.asymmetricKeyDetails.modulusLength}-bit` : ""} public key`;
    throw new InputError(`--public-key ${file} is ${given}; ${needed}`);
  }
  return key;
}

/** OpenSSL curve names as people know them. */
const CURVE_NAMES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521", secp256k1: "secp256k1" };

/**
 * When no signature verifies at all, the usual cause is the key, not the
 * archive: say so beside the per-recording failures.
 */
export function wrongKeyHint(reports: RecordingReport[], publicKeyFile: string | undefined): string | undefined {
  const signatures = reports.map((r) => r.checks.find((c) => c.name === "signature")?.status);
  if (signatures.length === 0 || !signatures.every((status) => status === "FAILED")) return undefined;
  const key = publicKeyFile !== undefined ? `--public-key ${publicKeyFile}` : "the public key read from KMS";
  return `no signature verified: ${key} may not be the key these manifests were signed with; compare it with the key that signed them: the keyid of a .custody.dsse.json record's signature (or the signingKeyArn of an older .custody.sig.json), then aws kms get-public-key --key-id <that ARN>`;
}

/** KMS GetPublicKey per signing key ARN, when @aws-sdk/client-kms is installed. */
export function kmsResolver(): PublicKeyResolver | undefined {
  let kms: typeof import("@aws-sdk/client-kms");
  try {
    kms = require("@aws-sdk/client-kms");
  } catch {
    return undefined;
  }
  const clients = new Map<string, InstanceType<typeof kms.KMSClient>>();
  const keys = new Map<string, Promise<KeyObject>>();
  return (arn) => {
    let key = keys.get(arn);
    if (!key) {
      const region = /^arn:[^:]+:kms:([^:]+):/u.exec(arn)?.[1];
      let client = clients.get(region ?? "");
      if (!client) {
        client = new kms.KMSClient(region ? { region } : {});
        clients.set(region ?? "", client);
      }
      key = client.send(new kms.GetPublicKeyCommand({ KeyId: arn })).then((answer) => {
        if (!answer.PublicKey) throw new Error("KMS GetPublicKey answered no key");
        // A key of another kind cannot have made these signatures; say which kind it is instead of failing every check.
        if (answer.KeySpec !== undefined && answer.KeySpec !== "ECC_NIST_P256")
          throw new Error(`KMS key ${arn} is ${answer.KeySpec}, not the ECC_NIST_P256 signing key custody records are signed with`);
        if (answer.KeyUsage !== undefined && answer.KeyUsage !== "SIGN_VERIFY")
          throw new Error(`KMS key ${arn} is for ${answer.KeyUsage}, not SIGN_VERIFY`);
        return createPublicKey({ key: Buffer.from(answer.PublicKey), format: "der", type: "spki" });
      });
      keys.set(arn, key);
    }
    return key;
  };
}

export async function mapLimited<T, R>(
  items: T[],
  limit: number,
  run: (item: T) => Promise<R>,
  done: (count: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
      done(++finished);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** --package: the files against manifest.json and SHA256SUMS, then verify's checks on each recording, all offline. */
async function verifyPackageCommand(folder: string, json: boolean, out: Writable): Promise<number> {
  const report = await verifyPackage(folder);
  const recordings: VerifyReport = { source: `package ${folder}`, prefix: ARCHIVE_DIR, recordings: report.recordings };
  if (json) {
    const body = JSON.parse(renderJson(recordings));
    out.write(
      `${JSON.stringify({ ...body, ok: body.ok && report.fileProblems.length === 0, files: report.files, fileProblems: report.fileProblems }, null, 2)}\n`,
    );
  } else out.write(renderPackageText(report) + renderText(recordings));
  return report.fileProblems.length === 0 && report.recordings.every((r) => r.ok) ? 0 : 1;
}

/** Runs the verification; returns the exit code. */
export function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  return runCommand(VERIFY, argv, { out, err }, async (values) => {
    const options = parseOptions(values);
    if (options.packageDir !== undefined) return verifyPackageCommand(options.packageDir, options.json, out);
    let publicKeyFor: PublicKeyResolver;
    const fileKey = options.publicKey !== undefined ? readPublicKey(options.publicKey) : undefined;
    if (fileKey) publicKeyFor = async () => fileKey;
    else if (options.local !== undefined) throw new UsageError("--local needs --public-key FILE.pem (the signing key's public key)");
    else {
      const fromKms = kmsResolver();
      if (!fromKms)
        throw new UsageError("@aws-sdk/client-kms is not installed, so the public key cannot be fetched: give --public-key FILE.pem");
      publicKeyFor = fromKms;
    }
    const source: ArchiveSource =
      options.local !== undefined ? localSource(options.local) : s3Source(archiveS3Client(), options.bucket as string);

    const prefix = casePrefix(options.caseId, options.conversationId);
    const listed = await source.list(prefix);
    const recordings = groupRecordings(listed);
    // A conversation's prefix holds none of the case's own records; a bulk record's export record is still read.
    const records = caseRecordKeys(listed);
    if (recordings.length === 0 && records.length === 0) throw new InputError(`no recordings under ${source.description}/${prefix}`);
    const caseExports = caseExportIndex(source, publicKeyFor);

    const now = new Date();
    const showProgress = recordings.length >= PROGRESS_FROM;
    const reports: RecordingReport[] = await mapLimited(
      recordings,
      CONCURRENCY,
      (objects) => verifyRecording(objects, { source, publicKeyFor, now, caseExports }),
      (count) => {
        if (!showProgress) return;
        if (err.isTTY) err.write(`\rverified ${count}/${recordings.length}${count === recordings.length ? "\n" : ""}`);
        else if (count === recordings.length || count % 10 === 0) err.write(`verified ${count}/${recordings.length}\n`);
      },
    );
    const recordContext = { source, publicKeyFor, now, listed: new Set(listed), caseExports };
    const recordReports = await mapLimited(
      records,
      CONCURRENCY,
      (where) => verifyCaseRecord(where, recordContext),
      () => {},
    );
    const report: VerifyReport = { source: source.description, prefix, recordings: reports, records: recordReports };
    out.write(options.json ? renderJson(report) : renderText(report));
    const hint = wrongKeyHint(reports, options.publicKey);
    if (hint) err.write(`${hint}\n`);
    return reports.every((r) => r.ok) && recordReports.every((r) => r.ok) ? 0 : 1;
  });
}

if (require.main === module) startCommand(main);
