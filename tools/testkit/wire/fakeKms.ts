import { createECDH, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { startAwsJsonServer } from "./awsJsonServer";
import type { CallGate } from "./callGate";

/**
 * KMS's Sign and GetPublicKey (AWS JSON 1.1 protocol, TrentService.*) on loopback,
 * with a local P-256 key standing in for an ECC_NIST_P256 SIGN_VERIFY key.
 * Point the SDK at it with AWS_ENDPOINT_URL_KMS. Only MessageType DIGEST with
 * ECDSA_SHA_256 is played, as the worker uses it.
 *
 * Why the signing is done by hand: the fake only sees the 32-byte digest, and
 * Node's crypto has no "sign this precomputed hash" for ECDSA keys.
 * crypto.sign(null, digest, ecKey) hashes the digest again with SHA-256, so
 * its signature verifies against sha256(digest), not against the manifest
 * (test/wire/fakeKms.test.ts shows it). KMS with MessageType DIGEST uses the
 * digest as the hash value, so this fake does textbook ECDSA over P-256:
 * k·G comes from crypto.ECDH (its public key for private key k is k·G), the
 * rest is bigint arithmetic modulo the group order. A random k per signature
 * is fine for a test fake; it is not hardened (not constant time) and must
 * never sign anything real.
 */

/** Order of the P-256 base point (SEC 2, secp256r1 "n"). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
const to32Bytes = (value: bigint) => Buffer.from(value.toString(16).padStart(64, "0"), "hex");
const mod = (value: bigint, modulus: bigint) => ((value % modulus) + modulus) % modulus;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = mod(base, modulus);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** DER INTEGER of a non-negative value: minimal big-endian bytes, a 0x00 first when the high bit is set. */
function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (at most 72 bytes, so short-form lengths). */
function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** ECDSA over P-256 of a precomputed 32-byte hash, DER-encoded, as KMS Sign with MessageType DIGEST returns it. */
export function signP256Digest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  if (digest.length !== 32) throw new Error(`an ECDSA_SHA_256 digest is 32 bytes, not ${digest.length}`);
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.crv !== "P-256" || !jwk.d) throw new Error("signP256Digest needs a P-256 private key");
  const d = toBigInt(Buffer.from(jwk.d, "base64url"));
  // The hash is as long as the order (256 bits): no truncation needed.
  const e = toBigInt(digest);
  for (;;) {
    const k = mod(toBigInt(randomBytes(48)), P256_ORDER - 1n) + 1n;
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(to32Bytes(k));
    const point = ecdh.getPublicKey(); // 0x04 || x || y
    const r = mod(toBigInt(point.subarray(1, 33)), P256_ORDER);
    if (r === 0n) continue;
    const kInverse = modPow(k, P256_ORDER - 2n, P256_ORDER); // the order is prime
    const s = mod(kInverse * (e + r * d), P256_ORDER);
    if (s === 0n) continue;
    return derSignature(r, s);
  }
}

export interface KmsSignRequest {
  keyId: string;
  messageType: string | undefined;
  signingAlgorithm: string | undefined;
  /** The Message as sent (for DIGEST, the 32-byte hash). */
  message: Buffer;
  status: number;
}

export interface FakeKms {
  endpoint: string;
  keyArn: string;
  /** The signing key's public key, as KMS GetPublicKey would give it (here as a KeyObject and PEM). */
  publicKey: KeyObject;
  publicKeyPem: string;
  readonly requests: readonly KmsSignRequest[];
  close(): Promise<void>;
}

export async function startFakeKms(keyArn: string, gate?: CallGate): Promise<FakeKms> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const requests: KmsSignRequest[] = [];
  const server = await startAwsJsonServer(({ target, input }) => {
    if (target === "TrentService.GetPublicKey") {
      if (input.KeyId !== keyArn)
        return { status: 400, payload: { __type: "NotFoundException", message: `Key '${input.KeyId}' does not exist` } };
      // The shape KMS documents for an ECC_NIST_P256 SIGN_VERIFY key: PublicKey is DER SubjectPublicKeyInfo (base64 on the wire).
      return {
        status: 200,
        payload: {
          KeyId: keyArn,
          PublicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
          KeySpec: "ECC_NIST_P256",
          CustomerMasterKeySpec: "ECC_NIST_P256",
          KeyUsage: "SIGN_VERIFY",
          SigningAlgorithms: ["ECDSA_SHA_256"],
        },
      };
    }
    if (target !== "TrentService.Sign")
      return { status: 400, payload: { __type: "UnknownOperationException", message: "only Sign and GetPublicKey are played" } };
    const message = Buffer.from(String(input.Message ?? ""), "base64");
    const messageType = input.MessageType as string | undefined;
    const signingAlgorithm = input.SigningAlgorithm as string | undefined;
    const record = (status: number) => requests.push({ keyId: String(input.KeyId ?? ""), messageType, signingAlgorithm, message, status });
    if (input.KeyId !== keyArn) {
      record(400);
      return { status: 400, payload: { __type: "NotFoundException", message: `Key '${input.KeyId}' does not exist` } };
    }
    if (signingAlgorithm !== "ECDSA_SHA_256" || messageType !== "DIGEST" || message.length !== 32) {
      record(400);
      return {
        status: 400,
        payload: { __type: "ValidationException", message: "the fake signs only 32-byte DIGEST messages with ECDSA_SHA_256" },
      };
    }
    record(200);
    return {
      status: 200,
      payload: { KeyId: keyArn, Signature: signP256Digest(privateKey, message).toString("base64"), SigningAlgorithm: "ECDSA_SHA_256" },
    };
  }, gate && { gate, service: "kms" });
  return {
    endpoint: server.endpoint,
    keyArn,
    publicKey,
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    requests,
    close: server.close,
  };
}
