import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import type { CallGate } from "./callGate";
import { type ObjectLockProxy, startObjectLockProxy } from "./objectLockProxy";

/** s3rver (the byte store) behind the Object Lock proxy, both on 127.0.0.1 with ports the OS picks. */
export interface LocalS3 {
  /** What the S3 client talks to: the proxy. */
  endpoint: string;
  /** s3rver itself, for checks that must bypass the simulation. */
  s3rverEndpoint: string;
  /** s3rver's store directory (deleted on close). */
  directory: string;
  proxy: ObjectLockProxy;
  close(): Promise<void>;
}

export interface LocalS3Options {
  buckets: Array<{ name: string; objectLock: boolean }>;
  /** Where s3rver keeps its files. @default a new folder under os.tmpdir() */
  parentDirectory?: string;
  /** Sees every S3 request first (see callGate.ts). */
  gate?: CallGate;
}

/** Credentials s3rver knows; SigV4 is accepted without verifying the signature. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const directory = await mkdtemp(join(options.parentDirectory ?? tmpdir(), "wire-s3rver-"));
  const s3rver = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((bucket) => ({ name: bucket.name })),
  });
  const address = await s3rver.run();
  const s3rverEndpoint = `http://127.0.0.1:${address.port}`;
  const proxy = await startObjectLockProxy({
    upstream: s3rverEndpoint,
    storeDirectory: directory,
    objectLockBuckets: options.buckets.filter((bucket) => bucket.objectLock).map((bucket) => bucket.name),
    gate: options.gate,
  });
  return {
    endpoint: proxy.endpoint,
    s3rverEndpoint,
    directory,
    proxy,
    async close() {
      await proxy.close();
      s3rver.httpServer?.closeAllConnections();
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
