import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";
import type { CallGate } from "./callGate";
import { Crc64Nvme, combineCrc64, crc64FromBase64, crc64ToBase64 } from "./crc64nvme";

/**
 * WHY THIS PROXY EXISTS
 *
 * The wire tests store bytes in s3rver (npm, v3.7): a real S3-protocol server
 * with a real multipart implementation on disk. But s3rver has no versioning,
 * no Object Lock and no legal hold; it ignores SSE and checksum headers and
 * If-None-Match on writes; and it does not implement AbortMultipartUpload
 * (405) nor ListMultipartUploads (501). The worker relies on all of that: it
 * writes with `x-amz-object-lock-legal-hold: ON`, SSE-KMS and a CRC64NVME
 * checksum, reads back the VersionId, the checksum and the legal hold, stores
 * its manifest with `If-None-Match: *`, and aborts failed multipart uploads.
 * Against bare s3rver every export would fail verification, and an abort would
 * leave parts behind whatever the worker did.
 *
 * This loopback proxy sits in front of s3rver and simulates exactly those
 * missing parts, for buckets declared Object Lock enabled:
 *
 * - records every request with the headers that matter (legal hold, SSE, KMS
 *   key id, checksum algorithm and value, If-None-Match), so tests ASSERT what
 *   the worker sent rather than assume it;
 * - Object Lock rules: a PutObject/UploadPart without Content-MD5 or an
 *   x-amz-checksum header is refused (400 InvalidRequest), a legal-hold header
 *   on a bucket without Object Lock is refused, and a held version cannot be
 *   deleted (403);
 * - versioning: each successful PutObject/CompleteMultipartUpload gets a new
 *   version id, answered in `x-amz-version-id`;
 * - checksums: computes the CRC32 (natively) of the bytes it forwards, and
 *   their CRC64NVME when the write asks for that algorithm (per part, then
 *   combined into the full-object value as S3 does for FULL_OBJECT checksums),
 *   rejects a write whose declared CRC32 or CRC64NVME differs (400 BadDigest),
 *   and answers the value of the algorithm the version was written with on
 *   HEAD/GET with `x-amz-checksum-mode: ENABLED`; COMPOSITE CRC32 multipart
 *   checksums are not simulated (501);
 * - echoes SSE and legal-hold headers of the stored version on HEAD/GET, and
 *   answers GetObjectLegalHold from what was recorded;
 * - honours `If-None-Match: *` on PutObject and CompleteMultipartUpload (412,
 *   or 409 while another conditional write of the key is in flight);
 * - implements AbortMultipartUpload and ListMultipartUploads on s3rver's own
 *   upload folder (`<dir>/<bucket>/._S3rver_uploads/<uploadId>/`), so
 *   "no parts remain" is read from the byte store itself.
 *
 * - answers GetObjectRetention with the bucket's default COMPLIANCE retention
 *   counted from when the version was written;
 * - PutObjectLegalHold (per version, Content-MD5 or a checksum required, as S3
 *   requires) and ListObjectVersions (every recorded version under a prefix,
 *   newest first per key, in one page) from the recorded versions;
 * - `refuseNext` answers a chosen request with an error instead, so a test can
 *   fail a command part-way through.
 * Not simulated (answered 501 or passed to s3rver): delete markers, setting
 * retention per object, listing pagination, KMS itself (no encryption happens), and
 * the bytes of non-current versions (s3rver keeps only the latest, so asking
 * for an older version id answers 404). Everything else (keys, bytes,
 * metadata, content type, ETags, part storage and assembly, listing) is
 * s3rver's, forwarded unchanged except that `versionId` is removed from
 * HEAD/GET queries, which s3rver does not understand.
 */

export type S3Operation =
  | "PutObject"
  | "CreateMultipartUpload"
  | "UploadPart"
  | "CompleteMultipartUpload"
  | "AbortMultipartUpload"
  | "ListMultipartUploads"
  | "HeadObject"
  | "GetObject"
  | "GetObjectLegalHold"
  | "GetObjectRetention"
  | "PutObjectLegalHold"
  | "ListObjectVersions"
  | "DeleteObject"
  | "Other";

export interface S3RequestRecord {
  operation: S3Operation;
  method: string;
  bucket: string;
  key: string | undefined;
  uploadId: string | undefined;
  partNumber: number | undefined;
  /** The versionId query parameter, when the request names a version. */
  versionId: string | undefined;
  /** Request headers, lower-case, without authorization and transport noise. */
  headers: Record<string, string>;
  /** The status the proxy answered; 0 when the client went away first. */
  status: number;
  /** Body bytes received for writes. */
  bytes: number;
  startedAt: number;
  finishedAt: number;
}

export interface ObjectVersion {
  bucket: string;
  key: string;
  versionId: string;
  bytes: number;
  /** Base64 CRC64NVME of the bytes stored, computed by the proxy when the write asked for CRC64NVME. */
  checksumCRC64NVME: string | undefined;
  /** Base64 full-object CRC32 of the bytes stored, computed by the proxy for every write. */
  checksumCRC32: string;
  legalHold: "ON" | "OFF" | undefined;
  serverSideEncryption: string | undefined;
  kmsKeyId: string | undefined;
  /** The algorithm the client asked for (x-amz-sdk-checksum-algorithm or x-amz-checksum-algorithm). */
  checksumAlgorithm: string | undefined;
  writtenBy: "PutObject" | "CompleteMultipartUpload";
  /** When the bucket's default COMPLIANCE retention of this version ends. */
  retainUntil: Date;
  writtenAt: Date;
}

export interface ObjectLockProxyOptions {
  /** s3rver's origin, e.g. http://127.0.0.1:4568. */
  upstream: string;
  /** s3rver's store directory (its `directory` option). */
  storeDirectory: string;
  /** Buckets that were created with Object Lock (and so versioning) enabled. */
  objectLockBuckets: string[];
  /** The buckets' default COMPLIANCE retention, applied to each version when written. @default 2555 */
  defaultRetentionDays?: number;
  /** Sees every request first and may leave it unanswered (tests that stop the worker at an exact call). */
  gate?: CallGate;
}

export interface PendingUpload {
  bucket: string;
  /** Undefined when s3rver holds parts for an upload whose key file is gone (parts written after an abort). */
  key: string | undefined;
  uploadId: string;
  parts: number;
  /** When the upload was created (its folder's birth, as s3rver made it). */
  initiated: Date;
}

export interface ObjectLockProxy {
  /** Origin to give the S3 client, e.g. http://127.0.0.1:43123. */
  endpoint: string;
  readonly requests: readonly S3RequestRecord[];
  /** Every version written to a key, oldest first. */
  versions(bucket: string, key: string): ObjectVersion[];
  /** Multipart uploads s3rver still holds parts or state for, read from its folder. */
  pendingUploads(bucket: string): Promise<PendingUpload[]>;
  /** Answers the next request matching `predicate` with this error (default 403 AccessDenied) instead of serving it. */
  refuseNext(predicate: (request: S3RequestRecord) => boolean, error?: { status: number; code: string; message: string }): void;
  /** Resolves when a request matching `predicate` has finished; rejects after `timeoutMs`. */
  waitForRequest(predicate: (request: S3RequestRecord) => boolean, timeoutMs?: number): Promise<S3RequestRecord>;
  close(): Promise<void>;
}

const UPLOADS_FOLDER = "._S3rver_uploads";
const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const INTEGRITY_HEADERS = [
  "content-md5",
  "x-amz-sdk-checksum-algorithm",
  "x-amz-trailer",
  "x-amz-checksum-crc32",
  "x-amz-checksum-crc32c",
  "x-amz-checksum-crc64nvme",
  "x-amz-checksum-sha1",
  "x-amz-checksum-sha256",
];
const UNRECORDED_HEADERS = new Set(["authorization", "user-agent", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "host"]);
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "expect", "host", "proxy-connection", "te", "upgrade"]);

interface MultipartState {
  bucket: string;
  key: string;
  headers: IncomingHttpHeaders;
  parts: Map<number, { bytes: number; crc32: number; crc64: bigint | undefined; etag: string | undefined }>;
}

class S3ProxyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "S3ProxyError";
  }
}

/** Counts and checksums a request body on its way to s3rver: CRC32 always (native), CRC64NVME when asked for. */
class Measuring extends Transform {
  readonly crc64: Crc64Nvme | undefined;
  crc32 = 0;
  length = 0;
  ended = false;

  constructor(withCrc64: boolean) {
    super();
    this.crc64 = withCrc64 ? new Crc64Nvme() : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.length += chunk.length;
    this.crc32 = crc32(chunk, this.crc32);
    this.crc64?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.ended = true;
    callback();
  }
}

const crc32ToBase64 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString("base64");
};
const crc32FromBase64 = (text: string) => {
  const bytes = Buffer.from(text, "base64");
  return bytes.length === 4 ? bytes.readUInt32BE(0) : undefined;
};

/**
 * CRC32 of A followed by B from CRC32(A), CRC32(B) and B's length, natively: by linearity,
 * crc32(B, seed) = crc32(B) ^ crc32(zeros, seed) ^ crc32(zeros, 0) for zeros as long as B.
 */
function combineCrc32(first: number, second: number, secondLength: number): number {
  const zeros = Buffer.alloc(secondLength);
  return (second ^ crc32(zeros, first) ^ crc32(zeros, 0)) >>> 0;
}

/** The checksum algorithm a write asked for (the SDK's header, or CreateMultipartUpload's). */
function checksumAlgorithmOf(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, "x-amz-sdk-checksum-algorithm") ?? header(headers, "x-amz-checksum-algorithm");
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[ch] ?? ch);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function recordedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || UNRECORDED_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}

function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function newVersionId(): string {
  // S3 version ids are opaque URL-safe strings of about 32 characters.
  return randomBytes(24).toString("base64url");
}

function classify(method: string, key: string | undefined, query: URLSearchParams): S3Operation {
  if (key === undefined) {
    if (method === "GET" && query.has("uploads")) return "ListMultipartUploads";
    return method === "GET" && query.has("versions") ? "ListObjectVersions" : "Other";
  }
  if (method === "PUT" && query.has("legal-hold")) return "PutObjectLegalHold";
  if (method === "PUT" && query.has("uploadId")) return "UploadPart";
  if (method === "PUT" && !query.has("legal-hold") && !query.has("tagging") && !query.has("acl") && !query.has("retention"))
    return "PutObject";
  if (method === "POST" && query.has("uploads")) return "CreateMultipartUpload";
  if (method === "POST" && query.has("uploadId")) return "CompleteMultipartUpload";
  if (method === "DELETE" && query.has("uploadId")) return "AbortMultipartUpload";
  if (method === "DELETE") return "DeleteObject";
  if (method === "GET" && query.has("legal-hold")) return "GetObjectLegalHold";
  if (method === "GET" && query.has("retention")) return "GetObjectRetention";
  if (method === "HEAD" && [...query.keys()].every((name) => name === "versionId" || name === "x-id" || name === "partNumber"))
    return "HeadObject";
  if (method === "GET" && [...query.keys()].every((name) => name === "versionId" || name === "x-id" || name.startsWith("response-")))
    return "GetObject";
  return "Other";
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startObjectLockProxy(options: ObjectLockProxyOptions): Promise<ObjectLockProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const lockedBuckets = new Set(options.objectLockBuckets);
  const retentionDays = options.defaultRetentionDays ?? 2555;
  const requests: S3RequestRecord[] = [];
  const versionsByKey = new Map<string, ObjectVersion[]>();
  const uploads = new Map<string, MultipartState>();
  const conditionalWrites = new Set<string>();
  const refusals: { predicate: (request: S3RequestRecord) => boolean; error: S3ProxyError }[] = [];
  const waiters = new Set<{ predicate: (request: S3RequestRecord) => boolean; resolve: (request: S3RequestRecord) => void }>();

  const versionKey = (bucket: string, key: string) => `${bucket}/${key}`;
  const currentVersion = (bucket: string, key: string) => versionsByKey.get(versionKey(bucket, key))?.at(-1);
  const uploadsDir = (bucket: string) => join(options.storeDirectory, bucket, UPLOADS_FOLDER);

  function upstreamRequest(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body?: Buffer | NodeJS.ReadableStream,
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, host: upstream.host }, agent },
        resolve,
      );
      outgoing.on("error", reject);
      if (body === undefined) outgoing.end();
      else if (Buffer.isBuffer(body)) outgoing.end(body);
      else {
        body.on("error", (error) => outgoing.destroy(error as Error));
        body.pipe(outgoing);
      }
    });
  }

  async function objectExists(bucket: string, key: string): Promise<boolean> {
    const answer = await upstreamRequest("HEAD", `/${bucket}/${encodeKey(key)}`, {});
    answer.resume();
    return answer.statusCode === 200;
  }

  function encodeKey(key: string): string {
    return key.split("/").map(encodeURIComponent).join("/");
  }

  function versionHeaders(version: ObjectVersion | undefined, withChecksum: boolean): OutgoingHttpHeaders {
    if (!version) return {};
    const out: OutgoingHttpHeaders = { "x-amz-version-id": version.versionId };
    if (version.serverSideEncryption) out["x-amz-server-side-encryption"] = version.serverSideEncryption;
    if (version.kmsKeyId) out["x-amz-server-side-encryption-aws-kms-key-id"] = version.kmsKeyId;
    if (version.legalHold) out["x-amz-object-lock-legal-hold"] = version.legalHold;
    if (withChecksum && version.checksumAlgorithm === "CRC32") {
      out["x-amz-checksum-crc32"] = version.checksumCRC32;
      out["x-amz-checksum-type"] = "FULL_OBJECT";
    } else if (withChecksum && version.checksumCRC64NVME) {
      out["x-amz-checksum-crc64nvme"] = version.checksumCRC64NVME;
      out["x-amz-checksum-type"] = "FULL_OBJECT";
    }
    return out;
  }

  /** Object Lock and SSE rules S3 applies before it accepts a write. */
  function checkWriteHeaders(bucket: string, headers: IncomingHttpHeaders, operation: S3Operation): void {
    const locked = lockedBuckets.has(bucket);
    const hold = header(headers, "x-amz-object-lock-legal-hold");
    if (hold !== undefined && hold !== "ON" && hold !== "OFF") {
      throw new S3ProxyError(400, "InvalidArgument", `x-amz-object-lock-legal-hold must be ON or OFF, not ${hold}`);
    }
    if (!locked && (hold !== undefined || header(headers, "x-amz-object-lock-mode") !== undefined)) {
      throw new S3ProxyError(400, "InvalidRequest", "Bucket is missing Object Lock Configuration");
    }
    if (locked && (operation === "PutObject" || operation === "UploadPart") && !INTEGRITY_HEADERS.some((name) => name in headers)) {
      throw new S3ProxyError(
        400,
        "InvalidRequest",
        "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters",
      );
    }
    const sse = header(headers, "x-amz-server-side-encryption");
    if (header(headers, "x-amz-server-side-encryption-aws-kms-key-id") !== undefined && sse !== "aws:kms" && sse !== "aws:kms:dsse") {
      throw new S3ProxyError(
        400,
        "InvalidArgument",
        "x-amz-server-side-encryption-aws-kms-key-id needs x-amz-server-side-encryption: aws:kms",
      );
    }
  }

  /** If-None-Match on a write: only "*" is supported by S3; answers the lock token to release. */
  async function claimConditionalWrite(bucket: string, key: string, headers: IncomingHttpHeaders): Promise<string | undefined> {
    const condition = header(headers, "if-none-match");
    if (condition === undefined) return undefined;
    if (condition !== "*") throw new S3ProxyError(501, "NotImplemented", "If-None-Match supports only *");
    const token = versionKey(bucket, key);
    if (conditionalWrites.has(token)) {
      throw new S3ProxyError(409, "ConditionalRequestConflict", "A conflicting conditional operation is currently in progress");
    }
    conditionalWrites.add(token);
    try {
      if (currentVersion(bucket, key) || (await objectExists(bucket, key))) {
        throw new S3ProxyError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
      }
    } catch (error) {
      conditionalWrites.delete(token);
      throw error;
    }
    return token;
  }

  function addVersion(
    bucket: string,
    key: string,
    headers: IncomingHttpHeaders,
    bytes: number,
    checksums: { crc32: number; crc64: bigint | undefined },
    writtenBy: ObjectVersion["writtenBy"],
  ) {
    const version: ObjectVersion = {
      bucket,
      key,
      versionId: newVersionId(),
      bytes,
      checksumCRC64NVME: checksums.crc64 === undefined ? undefined : crc64ToBase64(checksums.crc64),
      checksumCRC32: crc32ToBase64(checksums.crc32),
      legalHold: header(headers, "x-amz-object-lock-legal-hold") as ObjectVersion["legalHold"],
      serverSideEncryption: header(headers, "x-amz-server-side-encryption"),
      kmsKeyId: header(headers, "x-amz-server-side-encryption-aws-kms-key-id"),
      checksumAlgorithm: checksumAlgorithmOf(headers),
      writtenBy,
      retainUntil: new Date(Date.now() + retentionDays * 86_400_000),
      writtenAt: new Date(),
    };
    const list = versionsByKey.get(versionKey(bucket, key)) ?? [];
    list.push(version);
    versionsByKey.set(versionKey(bucket, key), list);
    return version;
  }

  function relay(response: ServerResponse, answer: IncomingMessage, extra: OutgoingHttpHeaders = {}, body?: Buffer): void {
    const headers = forwardableHeaders(answer.headers);
    if (body !== undefined) headers["content-length"] = String(body.length);
    response.writeHead(answer.statusCode ?? 502, { ...headers, ...extra });
    if (body !== undefined) response.end(body);
    else answer.pipe(response);
  }

  function sendXml(response: ServerResponse, status: number, xml: string, extra: OutgoingHttpHeaders = {}): void {
    const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
    response.writeHead(status, { "content-type": "application/xml", "content-length": String(body.length), ...extra });
    response.end(body);
  }

  function sendError(request: IncomingMessage, response: ServerResponse, error: S3ProxyError, key?: string): void {
    const requestId = randomBytes(8).toString("hex").toUpperCase();
    if (request.method === "HEAD") {
      response.writeHead(error.status, { "x-amz-request-id": requestId });
      response.end();
      return;
    }
    const keyXml = key === undefined ? "" : `<Key>${escapeXml(key)}</Key>`;
    sendXml(
      response,
      error.status,
      `<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${keyXml}<RequestId>${requestId}</RequestId></Error>`,
      { "x-amz-request-id": requestId },
    );
  }

  /**
   * Streams a write's body through the CRC to s3rver. Throws (500) when s3rver's connection fails, and
   * 400 IncompleteBody when s3rver answered 200 but the body did not arrive whole, as S3 would.
   */
  async function forwardWrite(
    request: IncomingMessage,
    path: string,
    withCrc64: boolean,
  ): Promise<{ answer: IncomingMessage; measured: Measuring }> {
    const measured = new Measuring(withCrc64);
    request.on("close", () => {
      if (!request.complete) measured.destroy(new Error("the client went away before its body ended"));
    });
    request.on("error", (error) => measured.destroy(error));
    request.pipe(measured);
    let answer: IncomingMessage;
    try {
      answer = await upstreamRequest(request.method ?? "PUT", path, forwardableHeaders(request.headers), measured);
    } catch (error) {
      throw new S3ProxyError(500, "InternalError", `the body did not reach s3rver: ${(error as Error)?.message}`);
    }
    if (answer.statusCode === 200 && !measured.ended) {
      answer.resume();
      throw new S3ProxyError(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }
    return { answer, measured };
  }

  /** Why a write's declared checksum does not match its bytes, if it does not. */
  function checksumProblem(headers: IncomingHttpHeaders, measured: Measuring): string | undefined {
    const declared64 = header(headers, "x-amz-checksum-crc64nvme");
    if (declared64 !== undefined && crc64FromBase64(declared64) !== measured.crc64?.value()) {
      return "The CRC64NVME you specified did not match the calculated checksum";
    }
    const declared32 = header(headers, "x-amz-checksum-crc32");
    if (declared32 !== undefined && crc32FromBase64(declared32) !== measured.crc32) {
      return "The CRC32 you specified did not match the calculated checksum";
    }
    return undefined;
  }

  async function handle(request: IncomingMessage, response: ServerResponse, record: S3RequestRecord, url: URL): Promise<void> {
    const { bucket, key } = record;
    const query = url.searchParams;
    const refusal = refusals.findIndex((candidate) => candidate.predicate(record));
    if (refusal >= 0) throw refusals.splice(refusal, 1)[0].error;
    switch (record.operation) {
      case "PutObject": {
        if (key === undefined) break;
        checkWriteHeaders(bucket, request.headers, "PutObject");
        const token = await claimConditionalWrite(bucket, key, request.headers);
        // S3 never stores a refused or cut-off PUT; s3rver writes as the bytes arrive, so its file is removed
        // (when no earlier version exists: s3rver has already overwritten that one's bytes either way).
        const discard = async () => {
          if (!currentVersion(bucket, key)) (await upstreamRequest("DELETE", `/${bucket}/${encodeKey(key)}`, {})).resume();
        };
        try {
          const declared = header(request.headers, "x-amz-checksum-crc64nvme");
          const withCrc64 = declared !== undefined || checksumAlgorithmOf(request.headers) === "CRC64NVME";
          const { answer, measured } = await forwardWrite(request, url.pathname + url.search, withCrc64).catch(async (error: unknown) => {
            await discard();
            throw error;
          });
          record.bytes = measured.length;
          if (answer.statusCode !== 200) return relay(response, answer);
          const problem = checksumProblem(request.headers, measured);
          if (problem) {
            answer.resume();
            await discard();
            throw new S3ProxyError(400, "BadDigest", problem);
          }
          const checksums = { crc32: measured.crc32, crc64: measured.crc64?.value() };
          const version = addVersion(bucket, key, request.headers, measured.length, checksums, "PutObject");
          return relay(response, answer, versionHeaders(version, true));
        } finally {
          if (token) conditionalWrites.delete(token);
        }
      }
      case "CreateMultipartUpload": {
        if (key === undefined) break;
        checkWriteHeaders(bucket, request.headers, "CreateMultipartUpload");
        if (
          header(request.headers, "x-amz-checksum-algorithm") === "CRC32" &&
          header(request.headers, "x-amz-checksum-type") !== "FULL_OBJECT"
        ) {
          throw new S3ProxyError(501, "NotImplemented", "COMPOSITE CRC32 multipart checksums are not simulated; ask for FULL_OBJECT");
        }
        const answer = await upstreamRequest(
          "POST",
          url.pathname + url.search,
          forwardableHeaders(request.headers),
          await readBody(request),
        );
        const body = await readBody(answer);
        const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(body.toString("utf8"))?.[1];
        if (answer.statusCode === 200 && uploadId) {
          uploads.set(uploadId, { bucket, key, headers: request.headers, parts: new Map() });
          record.uploadId = uploadId;
        }
        const extra: OutgoingHttpHeaders = {};
        const algorithm = header(request.headers, "x-amz-checksum-algorithm");
        if (algorithm) extra["x-amz-checksum-algorithm"] = algorithm;
        const checksumType = header(request.headers, "x-amz-checksum-type");
        if (checksumType) extra["x-amz-checksum-type"] = checksumType;
        const sse = header(request.headers, "x-amz-server-side-encryption");
        if (sse) extra["x-amz-server-side-encryption"] = sse;
        const kmsKey = header(request.headers, "x-amz-server-side-encryption-aws-kms-key-id");
        if (kmsKey) extra["x-amz-server-side-encryption-aws-kms-key-id"] = kmsKey;
        return relay(response, answer, extra, body);
      }
      case "UploadPart": {
        const uploadId = record.uploadId ?? "";
        const upload = uploads.get(uploadId);
        if (!upload || upload.bucket !== bucket || upload.key !== key || !existsSync(join(uploadsDir(bucket), uploadId, "key"))) {
          throw new S3ProxyError(404, "NoSuchUpload", "The specified multipart upload does not exist");
        }
        const partNumber = record.partNumber ?? 0;
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
          throw new S3ProxyError(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
        }
        checkWriteHeaders(bucket, request.headers, "UploadPart");
        upload.parts.delete(partNumber);
        const uploadAlgorithm = header(upload.headers, "x-amz-checksum-algorithm");
        const declared = header(request.headers, "x-amz-checksum-crc64nvme");
        const crc64 = uploadAlgorithm === "CRC64NVME" || declared !== undefined;
        const { answer, measured } = await forwardWrite(request, url.pathname + url.search, crc64);
        record.bytes = measured.length;
        if (answer.statusCode !== 200) return relay(response, answer);
        const problem = checksumProblem(request.headers, measured);
        if (problem) {
          answer.resume();
          throw new S3ProxyError(400, "BadDigest", problem);
        }
        const etag = header(answer.headers, "etag");
        upload.parts.set(partNumber, { bytes: measured.length, crc32: measured.crc32, crc64: measured.crc64?.value(), etag });
        const extra: OutgoingHttpHeaders = {};
        if (crc64 && measured.crc64) extra["x-amz-checksum-crc64nvme"] = crc64ToBase64(measured.crc64.value());
        if (uploadAlgorithm === "CRC32" || header(request.headers, "x-amz-checksum-crc32") !== undefined) {
          extra["x-amz-checksum-crc32"] = crc32ToBase64(measured.crc32);
        }
        return relay(response, answer, extra);
      }
      case "CompleteMultipartUpload": {
        if (key === undefined) break;
        const uploadId = record.uploadId ?? "";
        const upload = uploads.get(uploadId);
        const body = await readBody(request);
        if (!upload || upload.key !== key) throw new S3ProxyError(404, "NoSuchUpload", "The specified multipart upload does not exist");
        const listed = [...body.toString("utf8").matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(match[1])?.[1]),
          checksum: /<ChecksumCRC64NVME>([^<]+)<\/ChecksumCRC64NVME>/.exec(match[1])?.[1],
          checksumCRC32: /<ChecksumCRC32>([^<]+)<\/ChecksumCRC32>/.exec(match[1])?.[1],
        }));
        if (listed.length === 0) throw new S3ProxyError(400, "MalformedXML", "The XML you provided was not well-formed");
        let crc: bigint | undefined;
        let fullCrc32: number | undefined;
        let bytes = 0;
        for (const [index, part] of listed.entries()) {
          if (index > 0 && part.number <= listed[index - 1].number) {
            throw new S3ProxyError(400, "InvalidPartOrder", "The list of parts was not in ascending order");
          }
          const stored = upload.parts.get(part.number);
          if (
            !stored ||
            (part.checksum !== undefined && crc64FromBase64(part.checksum) !== stored.crc64) ||
            (part.checksumCRC32 !== undefined && crc32FromBase64(part.checksumCRC32) !== stored.crc32)
          ) {
            throw new S3ProxyError(400, "InvalidPart", `Part ${part.number} was not uploaded, or its checksum does not match`);
          }
          if (stored.crc64 !== undefined)
            crc = crc === undefined && index === 0 ? stored.crc64 : combineCrc64(crc ?? 0n, stored.crc64, stored.bytes);
          fullCrc32 = fullCrc32 === undefined ? stored.crc32 : combineCrc32(fullCrc32, stored.crc32, stored.bytes);
          bytes += stored.bytes;
        }
        // A FULL_OBJECT checksum sent with CompleteMultipartUpload is checked against the parts' combination.
        const declaredFull = header(request.headers, "x-amz-checksum-crc32");
        if (declaredFull !== undefined && crc32FromBase64(declaredFull) !== fullCrc32) {
          throw new S3ProxyError(400, "BadDigest", "The CRC32 you specified did not match the calculated checksum");
        }
        const token = await claimConditionalWrite(bucket, key, request.headers);
        try {
          const answer = await upstreamRequest("POST", url.pathname + url.search, forwardableHeaders(request.headers), body);
          const answerBody = await readBody(answer);
          if (answer.statusCode !== 200) return relay(response, answer, {}, answerBody);
          uploads.delete(uploadId);
          const allCrc64 = [...upload.parts.values()].every((part) => part.crc64 !== undefined);
          const checksums = { crc32: fullCrc32 ?? 0, crc64: allCrc64 ? (crc ?? 0n) : undefined };
          const version = addVersion(bucket, key, upload.headers, bytes, checksums, "CompleteMultipartUpload");
          return relay(response, answer, versionHeaders(version, false), answerBody);
        } finally {
          if (token) conditionalWrites.delete(token);
        }
      }
      case "AbortMultipartUpload": {
        const uploadId = record.uploadId ?? "";
        const folder = join(uploadsDir(bucket), uploadId);
        if (!/^[A-Za-z0-9]+$/.test(uploadId) || !existsSync(folder)) {
          throw new S3ProxyError(404, "NoSuchUpload", "The specified multipart upload does not exist");
        }
        await rm(folder, { recursive: true, force: true });
        uploads.delete(uploadId);
        response.writeHead(204);
        response.end();
        return;
      }
      case "ListMultipartUploads": {
        const prefix = query.get("prefix") ?? "";
        const pending = (await listPendingUploads(bucket)).filter((upload) => (upload.key ?? "").startsWith(prefix));
        const items = pending
          .map(
            (upload) =>
              `<Upload><Key>${escapeXml(upload.key ?? "")}</Key><UploadId>${upload.uploadId}</UploadId>` +
              `<Initiated>${upload.initiated.toISOString()}</Initiated></Upload>`,
          )
          .join("");
        return sendXml(
          response,
          200,
          `<ListMultipartUploadsResult xmlns="${S3_XMLNS}"><Bucket>${escapeXml(bucket)}</Bucket><Prefix>${escapeXml(prefix)}</Prefix>` +
            `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items}</ListMultipartUploadsResult>`,
        );
      }
      case "HeadObject":
      case "GetObject": {
        if (key === undefined) break;
        const current = currentVersion(bucket, key);
        // S3 shows an object only once its write completed; s3rver may already hold the bytes of one in flight.
        if (lockedBuckets.has(bucket) && !current) throw new S3ProxyError(404, "NoSuchKey", "The specified key does not exist.");
        const asked = query.get("versionId");
        if (asked !== null && asked !== current?.versionId) {
          const known = versionsByKey.get(versionKey(bucket, key))?.some((version) => version.versionId === asked);
          throw new S3ProxyError(
            404,
            "NoSuchVersion",
            known ? "Only the current version's bytes are kept by this simulator" : "The specified version does not exist",
          );
        }
        query.delete("versionId");
        const search = query.toString();
        const answer = await upstreamRequest(
          request.method ?? "GET",
          url.pathname + (search ? `?${search}` : ""),
          forwardableHeaders(request.headers),
        );
        const whole = answer.statusCode === 200 && header(request.headers, "range") === undefined;
        const checksum = whole && header(request.headers, "x-amz-checksum-mode") === "ENABLED";
        return relay(response, answer, answer.statusCode === 200 || answer.statusCode === 206 ? versionHeaders(current, checksum) : {});
      }
      case "GetObjectLegalHold": {
        if (key === undefined) break;
        if (!lockedBuckets.has(bucket)) throw new S3ProxyError(400, "InvalidRequest", "Bucket is missing Object Lock Configuration");
        const asked = query.get("versionId");
        const all = versionsByKey.get(versionKey(bucket, key)) ?? [];
        const version = asked === null ? all.at(-1) : all.find((candidate) => candidate.versionId === asked);
        if (!version) {
          throw asked === null
            ? new S3ProxyError(404, "NoSuchKey", "The specified key does not exist.")
            : new S3ProxyError(404, "NoSuchVersion", "The specified version does not exist");
        }
        return sendXml(response, 200, `<LegalHold xmlns="${S3_XMLNS}"><Status>${version.legalHold ?? "OFF"}</Status></LegalHold>`);
      }
      case "GetObjectRetention": {
        // The bucket's default retention, as S3 reports it for a version written under it.
        if (key === undefined || !lockedBuckets.has(bucket)) break;
        const asked = query.get("versionId");
        const all = versionsByKey.get(versionKey(bucket, key)) ?? [];
        const version = asked === null ? all.at(-1) : all.find((candidate) => candidate.versionId === asked);
        if (!version) throw new S3ProxyError(404, "NoSuchKey", "The specified key does not exist.");
        return sendXml(
          response,
          200,
          `<Retention xmlns="${S3_XMLNS}"><Mode>COMPLIANCE</Mode><RetainUntilDate>${version.retainUntil.toISOString()}</RetainUntilDate></Retention>`,
        );
      }
      case "PutObjectLegalHold": {
        if (key === undefined) break;
        if (!lockedBuckets.has(bucket)) throw new S3ProxyError(400, "InvalidRequest", "Bucket is missing Object Lock Configuration");
        const body = (await readBody(request)).toString("utf8");
        if (!INTEGRITY_HEADERS.some((name) => name in request.headers))
          throw new S3ProxyError(400, "InvalidRequest", "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests");
        const status = /<Status>(ON|OFF)<\/Status>/.exec(body)?.[1] as "ON" | "OFF" | undefined;
        if (!status) throw new S3ProxyError(400, "MalformedXML", "The XML you provided was not well-formed");
        const asked = query.get("versionId");
        const all = versionsByKey.get(versionKey(bucket, key)) ?? [];
        const version = asked === null ? all.at(-1) : all.find((candidate) => candidate.versionId === asked);
        if (!version) throw new S3ProxyError(404, asked === null ? "NoSuchKey" : "NoSuchVersion", "The specified version does not exist");
        version.legalHold = status;
        response.writeHead(200, { "content-length": "0" });
        response.end();
        return;
      }
      case "ListObjectVersions": {
        if (!lockedBuckets.has(bucket)) break;
        const prefix = query.get("prefix") ?? "";
        const items = [...versionsByKey.values()]
          .filter((list) => list[0]?.bucket === bucket && list[0].key.startsWith(prefix))
          .sort((a, b) => (a[0].key < b[0].key ? -1 : 1))
          .flatMap((list) =>
            [...list]
              .reverse()
              .map(
                (version, index) =>
                  `<Version><Key>${escapeXml(version.key)}</Key><VersionId>${version.versionId}</VersionId>` +
                  `<IsLatest>${index === 0}</IsLatest><LastModified>${version.writtenAt.toISOString()}</LastModified>` +
                  `<Size>${version.bytes}</Size><StorageClass>STANDARD</StorageClass></Version>`,
              ),
          )
          .join("");
        return sendXml(
          response,
          200,
          `<ListVersionsResult xmlns="${S3_XMLNS}"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
            `<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${items}</ListVersionsResult>`,
        );
      }
      case "DeleteObject": {
        if (key === undefined || !lockedBuckets.has(bucket)) break;
        const asked = query.get("versionId");
        const version = (versionsByKey.get(versionKey(bucket, key)) ?? []).find((candidate) => candidate.versionId === asked);
        if (version?.legalHold === "ON")
          throw new S3ProxyError(403, "AccessDenied", "Access Denied because object protected by object lock.");
        throw new S3ProxyError(501, "NotImplemented", "Delete markers and version deletes are not simulated");
      }
      default:
        break;
    }
    // Everything the simulation does not touch goes to s3rver as it came.
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : request;
    const answer = await upstreamRequest(request.method ?? "GET", url.pathname + url.search, forwardableHeaders(request.headers), body);
    relay(response, answer);
  }

  async function listPendingUploads(bucket: string): Promise<PendingUpload[]> {
    const folder = uploadsDir(bucket);
    if (!existsSync(folder)) return [];
    const pending: PendingUpload[] = [];
    for (const uploadId of (await readdir(folder)).sort()) {
      if (!(await stat(join(folder, uploadId))).isDirectory()) continue;
      const key = await readFile(join(folder, uploadId, "key"), "utf8").catch(() => undefined);
      const parts = (await readdir(join(folder, uploadId))).filter((name) => /^\d+$/.test(name)).length;
      const initiated = (await stat(join(folder, uploadId))).mtime;
      pending.push({ bucket, key, uploadId, parts, initiated });
    }
    return pending;
  }

  function settle(record: S3RequestRecord): void {
    record.finishedAt = Date.now();
    requests.push(record);
    for (const waiter of waiters) {
      if (waiter.predicate(record)) {
        waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  }

  const server: Server = createServer((request, response) => {
    if (options.gate && !options.gate.admit("s3", request)) return;
    const url = new URL(request.url ?? "/", "http://proxy.invalid");
    const segments = url.pathname.split("/").slice(1);
    const bucket = decodeURIComponent(segments[0] ?? "");
    const key = segments.length > 1 && segments.slice(1).join("/") !== "" ? decodeURIComponent(segments.slice(1).join("/")) : undefined;
    const operation = classify(request.method ?? "GET", key, url.searchParams);
    const partNumber = url.searchParams.get("partNumber");
    const record: S3RequestRecord = {
      operation,
      method: request.method ?? "GET",
      bucket,
      key,
      uploadId: url.searchParams.get("uploadId") ?? undefined,
      partNumber: partNumber === null ? undefined : Number(partNumber),
      versionId: url.searchParams.get("versionId") ?? undefined,
      headers: recordedHeaders(request.headers),
      status: 0,
      bytes: 0,
      startedAt: Date.now(),
      finishedAt: 0,
    };
    response.on("close", () => {
      record.status = response.headersSent ? response.statusCode : 0;
      settle(record);
    });
    handle(request, response, record, url).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const failure = error instanceof S3ProxyError ? error : new S3ProxyError(500, "InternalError", String((error as Error)?.message));
      // Drain what the client still sends so it reads the answer instead of a reset.
      request.resume();
      sendError(request, response, failure, key);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    versions: (bucket, key) => [...(versionsByKey.get(versionKey(bucket, key)) ?? [])],
    pendingUploads: listPendingUploads,
    refuseNext(predicate, error = { status: 403, code: "AccessDenied", message: "Access Denied" }) {
      refusals.push({ predicate, error: new S3ProxyError(error.status, error.code, error.message) });
    },
    waitForRequest(predicate, timeoutMs = 10_000) {
      const done = requests.find(predicate);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (found: S3RequestRecord) => {
            clearTimeout(timer);
            resolve(found);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching S3 request within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
