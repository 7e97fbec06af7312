/**
 * CRC-64/NVME, the checksum S3 keeps for every object (`x-amz-checksum-crc64nvme`),
 * written here independently of the AWS SDK so the wire tests check the SDK's
 * value against a second implementation rather than against itself.
 *
 * Parameters (reflected): polynomial 0xAD93D23594C93659 (reversed
 * 0x9A6C9329AC4BC9B5), init and xorout all ones; check value of "123456789"
 * is 0xAE8B14860A799888. The 64-bit register is kept as two uint32 halves and
 * bytes are consumed eight at a time (slicing-by-8) so a proxy can hash a
 * gigabyte without becoming the bottleneck.
 */

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_HI/LO[k * 256 + b]: the register after byte b followed by k zero bytes. */
const TABLE_HI = new Uint32Array(8 * 256);
const TABLE_LO = new Uint32Array(8 * 256);

for (let byte = 0; byte < 256; byte++) {
  let hi = 0;
  let lo = byte;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[byte] = hi;
  TABLE_LO[byte] = lo;
}
for (let k = 1; k < 8; k++) {
  for (let byte = 0; byte < 256; byte++) {
    const prevHi = TABLE_HI[(k - 1) * 256 + byte];
    const prevLo = TABLE_LO[(k - 1) * 256 + byte];
    const index = prevLo & 0xff;
    TABLE_HI[k * 256 + byte] = ((prevHi >>> 8) ^ TABLE_HI[index]) >>> 0;
    TABLE_LO[k * 256 + byte] = (((prevLo >>> 8) | ((prevHi & 0xff) << 24)) ^ TABLE_LO[index]) >>> 0;
  }
}

/** An incremental CRC-64/NVME. */
export class Crc64Nvme {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  /** Bytes hashed so far. */
  length = 0;

  update(data: Uint8Array): this {
    let hi = this.hi;
    let lo = this.lo;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    for (; i < end8; i += 8) {
      const l = lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
      const h = hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
      const a = 7 * 256 + (l & 0xff);
      const b = 6 * 256 + ((l >>> 8) & 0xff);
      const c = 5 * 256 + ((l >>> 16) & 0xff);
      const d = 4 * 256 + (l >>> 24);
      const e = 3 * 256 + (h & 0xff);
      const f = 2 * 256 + ((h >>> 8) & 0xff);
      const g = 256 + ((h >>> 16) & 0xff);
      const k = h >>> 24;
      lo = TABLE_LO[a] ^ TABLE_LO[b] ^ TABLE_LO[c] ^ TABLE_LO[d] ^ TABLE_LO[e] ^ TABLE_LO[f] ^ TABLE_LO[g] ^ TABLE_LO[k];
      hi = TABLE_HI[a] ^ TABLE_HI[b] ^ TABLE_HI[c] ^ TABLE_HI[d] ^ TABLE_HI[e] ^ TABLE_HI[f] ^ TABLE_HI[g] ^ TABLE_HI[k];
    }
    for (; i < data.length; i++) {
      const index = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ TABLE_LO[index];
      hi = (hi >>> 8) ^ TABLE_HI[index];
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    this.length += data.length;
    return this;
  }

  /** The finished CRC as an unsigned 64-bit integer. */
  value(): bigint {
    return (BigInt((this.hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((this.lo ^ 0xffffffff) >>> 0);
  }

  /** Base64 of the 8 big-endian bytes, as S3 puts it in `x-amz-checksum-crc64nvme`. */
  base64(): string {
    return crc64ToBase64(this.value());
  }
}

export function crc64nvme(data: Uint8Array): bigint {
  return new Crc64Nvme().update(data).value();
}

export function crc64ToBase64(crc: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(crc);
  return bytes.toString("base64");
}

export function crc64FromBase64(text: string): bigint | undefined {
  const bytes = Buffer.from(text, "base64");
  return bytes.length === 8 ? bytes.readBigUInt64BE() : undefined;
}

// Combining (as zlib's crc32_combine): with init = xorout, crc(A‖B) = crc(A)·x^(8·|B|) mod P  ⊕  crc(B).
// Polynomials are in the reflected representation: the top bit is x^0.
const POLY = (BigInt(POLY_HI) << 32n) | BigInt(POLY_LO);
const X0 = 1n << 63n;

/** a·b mod P, both reflected. */
function multiplyModP(a: bigint, b: bigint): bigint {
  let product = 0n;
  let multiplier = b;
  for (let mask = X0; mask > 0n; mask >>= 1n) {
    if (a & mask) product ^= multiplier;
    multiplier = multiplier & 1n ? (multiplier >> 1n) ^ POLY : multiplier >> 1n;
  }
  return product;
}

/** x^(2^k) mod P for k = 0..63. */
const X_POW_2K: bigint[] = [];
{
  let power = X0 >> 1n; // x^1
  for (let k = 0; k < 64; k++) {
    X_POW_2K.push(power);
    power = multiplyModP(power, power);
  }
}

/** x^(8·bytes) mod P. */
function shiftForBytes(bytes: number): bigint {
  let result = X0;
  let exponent = BigInt(bytes) * 8n;
  for (let k = 0; exponent > 0n; k++, exponent >>= 1n) {
    if (exponent & 1n) result = multiplyModP(X_POW_2K[k], result);
  }
  return result;
}

/** The CRC of A followed by B, from crc(A), crc(B) and the length of B: how S3 derives a full-object checksum from parts. */
export function combineCrc64(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  return multiplyModP(shiftForBytes(lengthB), crcA) ^ crcB;
}
