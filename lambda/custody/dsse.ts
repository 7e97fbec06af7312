/**
 * DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse,
 * protocol v1) as the custody record uses it: the payload is signed through
 * its pre-authentication encoding (PAE), so the payload type is signed too and
 * nobody has to canonicalize JSON to check a signature.
 *
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 *
 * where LEN is the byte length in ASCII decimal and SP one space. The
 * envelope is `{ payload, payloadType, signatures: [{ keyid, sig }] }` with
 * payload and sig in standard base64. Our sig is what KMS returns for
 * ECDSA_SHA_256: a DER-encoded ECDSA-Sig-Value, which is what DSSE verifiers
 * for ecdsa-sha2-nistp256 (securesystemslib, sigstore-go, in-toto-golang)
 * accept.
 */

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

export interface DsseSignature {
  /** Which key signed: the KMS signing key's ARN. */
  keyid: string;
  /** Base64 of the signature bytes. */
  sig: string;
}

export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

/** The bytes a DSSE signature covers. */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, "utf8"), type, Buffer.from(` ${payload.length} `, "utf8"), payload]);
}

export class DsseEnvelopeError extends Error {
  constructor(problem: string) {
    super(`Not a DSSE envelope: ${problem}`);
    this.name = "DsseEnvelopeError";
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/u;

/** Parses an envelope's JSON text; throws DsseEnvelopeError naming the field that is wrong. */
export function parseEnvelope(text: string): DsseEnvelope & { payloadBytes: Buffer } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DsseEnvelopeError(`not JSON (${(error as Error).message})`);
  }
  const envelope = value as Partial<DsseEnvelope> | null;
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) throw new DsseEnvelopeError("not a JSON object");
  if (typeof envelope.payloadType !== "string" || envelope.payloadType === "") throw new DsseEnvelopeError("payloadType is missing");
  if (typeof envelope.payload !== "string" || !BASE64.test(envelope.payload)) throw new DsseEnvelopeError("payload is not base64");
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0) throw new DsseEnvelopeError("signatures is empty");
  for (const [index, signature] of envelope.signatures.entries()) {
    if (typeof signature?.sig !== "string" || !BASE64.test(signature.sig) || signature.sig === "") {
      throw new DsseEnvelopeError(`signatures[${index}].sig is not base64`);
    }
    if (signature.keyid !== undefined && typeof signature.keyid !== "string")
      throw new DsseEnvelopeError(`signatures[${index}].keyid is not a string`);
  }
  return {
    payload: envelope.payload,
    payloadType: envelope.payloadType,
    signatures: envelope.signatures.map((s) => ({ keyid: s.keyid ?? "", sig: s.sig })),
    payloadBytes: Buffer.from(envelope.payload, "base64"),
  };
}
