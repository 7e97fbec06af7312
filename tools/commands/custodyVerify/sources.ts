import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import {
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";

/** The input itself cannot be read (missing folder, bucket, access): exit 2, not a per-recording failure. */
export class InputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InputError";
  }
}

export interface MediaDigest {
  sha256: string;
  bytes: number;
}

/** What S3 says about the stored media version; each part is a value or the reason it could not be read. */
export interface StoredFacts {
  versionId: Outcome<string | undefined>;
  checksumCRC64NVME: Outcome<string | undefined>;
  /** The full-object CRC32 S3 reports (versions the worker stores now; older ones have CRC64NVME). */
  checksumCRC32: Outcome<string | undefined>;
  legalHold: Outcome<string | undefined>;
  /** undefined value: the version has no retention. */
  retainUntil: Outcome<Date | undefined>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** Where the archive's objects are read from: an S3 bucket or a folder a reviewer downloaded. */
export interface ArchiveSource {
  kind: "s3" | "local";
  /** s3://bucket or the folder, for messages. */
  description: string;
  /** The bucket, in S3 mode. */
  bucket: string | undefined;
  /** Every key under `prefix`; throws InputError when the listing itself fails. */
  list(prefix: string): Promise<string[]>;
  /** A small object's bytes (manifest, signature). */
  read(key: string): Promise<Buffer>;
  /** Streams the media once, hashing and counting; never holds it whole in memory. */
  digest(key: string, versionId?: string): Promise<MediaDigest>;
  /** S3 only: version, checksum, legal hold and retention of the current version. */
  storedFacts?(key: string): Promise<StoredFacts>;
  /** S3 only: whether this version of `key` exists, and its legal hold (what a release record lists). */
  versionState?(key: string, versionId: string): Promise<VersionState>;
}

export interface VersionState {
  exists: Outcome<boolean>;
  legalHold: Outcome<string | undefined>;
}

export async function digestStream(body: AsyncIterable<Uint8Array>): Promise<MediaDigest> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name && e.name !== "Error" ? e.name : undefined;
  const message = e.message && e.message !== name && e.message !== "UnknownError" ? e.message : undefined;
  return [name, message, status !== undefined ? `HTTP ${status}` : undefined].filter(Boolean).join(": ") || String(error);
}

export { describeError };

/** A downloaded copy: the same key layout under `directory`. */
export function localSource(directory: string): ArchiveSource {
  const path = (key: string) => join(directory, ...key.split("/"));
  return {
    kind: "local",
    description: directory,
    bucket: undefined,
    async list(prefix) {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(directory);
      } catch (error) {
        throw new InputError(`cannot read --local ${directory}: ${(error as Error).message}`, { cause: error });
      }
      if (!info.isDirectory()) throw new InputError(`--local ${directory} is not a folder`);
      const keys: string[] = [];
      const walk = async (folder: string): Promise<void> => {
        let entries: import("node:fs").Dirent[];
        try {
          entries = await readdir(folder, { withFileTypes: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
          throw new InputError(`cannot read ${folder}: ${(error as Error).message}`, { cause: error });
        }
        for (const entry of entries) {
          const full = join(folder, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.isFile()) keys.push(relative(directory, full).split(sep).join("/"));
        }
      };
      // Walk only the part of the tree the prefix names (prefixes end with "/").
      await walk(path(prefix.replace(/\/$/u, "")));
      return keys.filter((key) => key.startsWith(prefix));
    },
    read: (key) => readFile(path(key)),
    digest: (key) => digestStream(createReadStream(path(key))),
  };
}

/** The live archive bucket. */
export function s3Source(s3: S3Client, bucket: string): ArchiveSource {
  return {
    kind: "s3",
    description: `s3://${bucket}`,
    bucket,
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        let page: ListObjectsV2CommandOutput;
        try {
          page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        } catch (error) {
          throw new InputError(`cannot list s3://${bucket}/${prefix}: ${describeError(error)}`, { cause: error });
        }
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
    async read(key) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    },
    async digest(key, versionId) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      return digestStream(answer.Body as Readable);
    },
    async versionState(key, versionId) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const missing = status === 404 || (error as Error).name === "NotFound" || (error as Error).name === "NoSuchVersion";
        const exists: Outcome<boolean> = missing ? { ok: true, value: false } : { ok: false, error: `HeadObject: ${describeError(error)}` };
        return { exists, legalHold: { ok: false, error: "version not read" } };
      }
      try {
        const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
        return { exists: { ok: true, value: true }, legalHold: { ok: true, value: hold.LegalHold?.Status } };
      } catch (error) {
        const legalHold: Outcome<string | undefined> = noLockConfiguration(error)
          ? { ok: true, value: undefined }
          : { ok: false, error: `GetObjectLegalHold: ${describeError(error)}` };
        return { exists: { ok: true, value: true }, legalHold };
      }
    },
    async storedFacts(key) {
      const facts: StoredFacts = {
        versionId: { ok: false, error: "not read" },
        checksumCRC64NVME: { ok: false, error: "not read" },
        checksumCRC32: { ok: false, error: "not read" },
        legalHold: { ok: false, error: "not read" },
        retainUntil: { ok: false, error: "not read" },
      };
      let versionId: string | undefined;
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
        versionId = head.VersionId;
        facts.versionId = { ok: true, value: head.VersionId };
        facts.checksumCRC64NVME = { ok: true, value: head.ChecksumCRC64NVME };
        facts.checksumCRC32 = { ok: true, value: head.ChecksumCRC32 };
      } catch (error) {
        facts.versionId = facts.checksumCRC64NVME = facts.checksumCRC32 = { ok: false, error: `HeadObject: ${describeError(error)}` };
      }
      try {
        const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
        facts.legalHold = { ok: true, value: hold.LegalHold?.Status };
      } catch (error) {
        facts.legalHold = noLockConfiguration(error)
          ? { ok: true, value: undefined }
          : { ok: false, error: `GetObjectLegalHold: ${describeError(error)}` };
      }
      try {
        const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
        const until = retention.Retention?.RetainUntilDate;
        facts.retainUntil =
          until === undefined || Number.isNaN(new Date(until).getTime())
            ? { ok: false, error: "GetObjectRetention answered no RetainUntilDate" }
            : { ok: true, value: new Date(until) };
      } catch (error) {
        facts.retainUntil = noLockConfiguration(error)
          ? { ok: true, value: undefined }
          : { ok: false, error: `GetObjectRetention: ${describeError(error)}` };
      }
      return facts;
    },
  };
}

/** S3's answer when a version has no legal hold / retention set. */
function noLockConfiguration(error: unknown): boolean {
  return (error as { name?: string }).name === "NoSuchObjectLockConfiguration";
}
