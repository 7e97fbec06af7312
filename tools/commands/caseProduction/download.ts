import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from "@aws-sdk/client-s3";
import { describeError } from "../custodyVerify/sources";
import { archivePath, PARTIAL_SUFFIX } from "./packageLayout";

/**
 * Downloads one archive object into the package, streamed to disk and
 * resumable: the version is pinned (HeadObject's VersionId), a partial
 * download of that version continues with a Range request, and a file a
 * previous run completed is kept when it still hashes to what that run
 * recorded. Only reads (HeadObject, GetObject): the reviewer role suffices.
 */

export interface DownloadedObject {
  key: string;
  versionId: string | null;
  bytes: number;
  sha256: string;
}

export interface DownloadResult extends DownloadedObject {
  /** True when a previous run's complete, still-matching file was kept. */
  kept: boolean;
}

/** The partial file is named after the version, so a resumed download never splices two versions. */
export function partialPathFor(target: string, versionId: string | null): string {
  const tag = createHash("sha256")
    .update(versionId ?? "null")
    .digest("hex")
    .slice(0, 12);
  return `${target}.${tag}${PARTIAL_SUFFIX}`;
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

export async function downloadObject(
  s3: S3Client,
  bucket: string,
  key: string,
  folder: string,
  previous: DownloadedObject | undefined,
): Promise<DownloadResult> {
  let head: HeadObjectCommandOutput;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    throw new Error(`HeadObject s3://${bucket}/${key}: ${describeError(error)}`, { cause: error });
  }
  const versionId = head.VersionId ?? null;
  const length = head.ContentLength ?? 0;
  const target = join(folder, ...archivePath(key).split("/"));
  await mkdir(dirname(target), { recursive: true });

  if (previous && previous.versionId === versionId && previous.bytes === length && (await sizeOf(target)) === length) {
    const onDisk = await sha256File(target);
    if (onDisk.sha256 === previous.sha256) return { ...previous, kept: true };
  }

  const partial = partialPathFor(target, versionId);
  let offset = (await sizeOf(partial)) ?? 0;
  if (offset > length) {
    await rm(partial, { force: true });
    offset = 0;
  }
  if (offset < length || (await sizeOf(partial)) === undefined) {
    const answer = await s3
      .send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
          ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw new Error(`GetObject s3://${bucket}/${key}: ${describeError(error)}`, { cause: error });
      });
    if (offset > 0 && answer.ContentRange === undefined) {
      // The server ignored the Range: start over rather than append the whole object.
      await rm(partial, { force: true });
    }
    await pipeline(answer.Body as Readable, createWriteStream(partial, { flags: offset > 0 && answer.ContentRange ? "a" : "w" }));
  }
  const onDisk = await sha256File(partial);
  if (onDisk.bytes !== length) {
    await rm(partial, { force: true });
    throw new Error(`s3://${bucket}/${key}: downloaded ${onDisk.bytes} bytes, S3 said ${length}; run again to retry`);
  }
  await rename(partial, target);
  return { key, versionId, bytes: onDisk.bytes, sha256: onDisk.sha256, kept: false };
}
