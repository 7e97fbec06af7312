import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";

/**
 * Deterministic "recordings": the AES-128-CTR keystream of a key derived from
 * a seed. Any prefix of any length can be regenerated on the fly, so tests
 * and the benchmark serve gigabytes without storing them, and the expected
 * SHA-256 is computed from the same generator rather than from a stored copy.
 */

export const MEDIA_CHUNK_BYTES = 64 * 1024;

const ZEROS = Buffer.alloc(MEDIA_CHUNK_BYTES);

function keystream(seed: string) {
  const key = createHash("sha256").update(`wire-media:${seed}`).digest().subarray(0, 16);
  return createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
}

/** Consecutive chunks of at most MEDIA_CHUNK_BYTES that together are the first `length` bytes of the seed's stream. */
export function* mediaChunks(seed: string, length: number): Generator<Buffer> {
  const cipher = keystream(seed);
  for (let offset = 0; offset < length; ) {
    const size = Math.min(MEDIA_CHUNK_BYTES, length - offset);
    yield cipher.update(size === MEDIA_CHUNK_BYTES ? ZEROS : ZEROS.subarray(0, size));
    offset += size;
  }
}

/** The first `length` bytes of the seed's stream, as a Readable that generates them lazily. */
export function mediaStream(seed: string, length: number): Readable {
  return Readable.from(mediaChunks(seed, length), { objectMode: false });
}

/** The first `length` bytes in memory (for small recordings and assertions). */
export function mediaBytes(seed: string, length: number): Buffer {
  return Buffer.concat([...mediaChunks(seed, length)]);
}

/** Hex SHA-256 of the first `length` bytes, computed without keeping them. */
export function mediaSha256(seed: string, length: number): string {
  const hash = createHash("sha256");
  for (const chunk of mediaChunks(seed, length)) hash.update(chunk);
  return hash.digest("hex");
}
