// `npm run verify`: proves, for each archived legal-hold recording, that the
// media, its custody manifest and the manifest's KMS signature agree with one
// another and with where they were found; against S3 it also checks what S3
// says about the stored version (version id, CRC64NVME, legal hold,
// retention). Works on the live bucket (`--bucket`) or on a copy a reviewer
// downloaded with the same key layout (`--local`).
// Exit 0: every recording verified; 1: at least one check failed or could not
// be made; 2: bad usage or unreadable input.

import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { S3Client } from "@aws-sdk/client-s3";
import { parseCliOptions, UsageError } from "./cliArgs";
import { type PublicKeyResolver, type RecordingReport, verifyRecording } from "./custodyVerify/checks";
import { casePrefix, groupRecordings } from "./custodyVerify/layout";
import { renderJson, renderText, type VerifyReport } from "./custodyVerify/render";
import { type ArchiveSource, InputError, localSource, s3Source } from "./custodyVerify/sources";

const USAGE =
  "usage: npm run verify -- (--bucket BUCKET --case CASE | --local DIR [--case CASE]) [--conversation ID] [--public-key FILE.pem] [--json]";

/** Recordings verified at once. */
const CONCURRENCY = 4;
/** From this many recordings on, progress is written to stderr. */
const PROGRESS_FROM = 10;

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface Options {
  bucket?: string;
  local?: string;
  caseId?: string;
  conversationId?: string;
  publicKey?: string;
  json: boolean;
}

const ID = /^[A-Za-z0-9._-]+$/u;

function parseOptions(argv: string[]): Options {
  const values = parseCliOptions(argv, {
    bucket: { type: "string" },
    local: { type: "string" },
    case: { type: "string" },
    conversation: { type: "string" },
    "public-key": { type: "string" },
    json: { type: "boolean", default: false },
  });
  const options: Options = {
    bucket: values.bucket as string | undefined,
    local: values.local as string | undefined,
    caseId: values.case as string | undefined,
    conversationId: values.conversation as string | undefined,
    publicKey: values["public-key"] as string | undefined,
    json: values.json === true,
  };
  if ((options.bucket === undefined) === (options.local === undefined)) throw new UsageError("give exactly one of --bucket or --local");
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

function s3Client(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  // The SDK reads AWS_ENDPOINT_URL_S3 itself; path-style is what local and private endpoints serve.
  return new S3Client({ ...(endpoint ? { endpoint, forcePathStyle: true } : {}), followRegionRedirects: true });
}

function readPublicKey(file: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read --public-key ${file}: ${(error as Error).message}`);
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "ec") throw new Error(`it is a ${key.asymmetricKeyType} key, not an EC (P-256) key`);
    return key;
  } catch (error) {
    throw new InputError(`--public-key ${file} is not a usable PEM public key: ${(error as Error).message}`);
  }
}

/** KMS GetPublicKey per signing key ARN, when @aws-sdk/client-kms is installed. */
function kmsResolver(): PublicKeyResolver | undefined {
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
        return createPublicKey({ key: Buffer.from(answer.PublicKey), format: "der", type: "spki" });
      });
      keys.set(arn, key);
    }
    return key;
  };
}

async function mapLimited<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>, done: (count: number) => void): Promise<R[]> {
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

/** Runs the verification; returns the exit code. */
export async function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  let source: ArchiveSource;
  let publicKeyFor: PublicKeyResolver;
  try {
    const fileKey = options.publicKey !== undefined ? readPublicKey(options.publicKey) : undefined;
    if (fileKey) publicKeyFor = async () => fileKey;
    else if (options.local !== undefined) throw new UsageError("--local needs --public-key FILE.pem (the signing key's public key)");
    else {
      const fromKms = kmsResolver();
      if (!fromKms)
        throw new UsageError("@aws-sdk/client-kms is not installed, so the public key cannot be fetched: give --public-key FILE.pem");
      publicKeyFor = fromKms;
    }
    source = options.local !== undefined ? localSource(options.local) : s3Source(s3Client(), options.bucket as string);
  } catch (error) {
    err.write(`${(error as Error).message}\n${error instanceof UsageError ? `${USAGE}\n` : ""}`);
    return 2;
  }

  const prefix = casePrefix(options.caseId, options.conversationId);
  let recordings: ReturnType<typeof groupRecordings>;
  try {
    recordings = groupRecordings(await source.list(prefix));
  } catch (error) {
    err.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (recordings.length === 0) {
    err.write(`no recordings under ${source.description}/${prefix}\n`);
    return 2;
  }

  const now = new Date();
  const showProgress = recordings.length >= PROGRESS_FROM;
  const reports: RecordingReport[] = await mapLimited(
    recordings,
    CONCURRENCY,
    (objects) => verifyRecording(objects, { source, publicKeyFor, now }),
    (count) => {
      if (!showProgress) return;
      if (err.isTTY) err.write(`\rverified ${count}/${recordings.length}${count === recordings.length ? "\n" : ""}`);
      else if (count === recordings.length || count % 10 === 0) err.write(`verified ${count}/${recordings.length}\n`);
    },
  );
  const report: VerifyReport = { source: source.description, prefix, recordings: reports };
  out.write(options.json ? renderJson(report) : renderText(report));
  return reports.every((r) => r.ok) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(2);
    },
  );
}
