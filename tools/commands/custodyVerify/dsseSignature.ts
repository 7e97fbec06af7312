import { type KeyObject, verify } from "node:crypto";
import { type DsseEnvelope, preAuthEncoding } from "../../../lambda/custody/dsse";

/**
 * Whether a DSSE envelope is signed by a key verify trusts: one signature
 * that verifies over the pre-authentication encoding is enough. UNKNOWN when
 * no signature's key could be resolved (KMS unreachable), so a missing key is
 * not reported as a forgery.
 */
export async function dsseSignatureCheck(
  envelope: Pick<DsseEnvelope, "payloadType" | "signatures"> & { payloadBytes: Buffer },
  publicKeyFor: (keyId: string) => Promise<KeyObject>,
  describeError: (error: unknown) => string,
): Promise<{ status: "ok" | "FAILED" | "UNKNOWN"; detail: string }> {
  const pae = preAuthEncoding(envelope.payloadType, envelope.payloadBytes);
  const unknown: string[] = [];
  for (const signature of envelope.signatures) {
    let key: KeyObject;
    try {
      key = await publicKeyFor(signature.keyid);
    } catch (error) {
      unknown.push(`no public key for ${signature.keyid || "(no keyid)"}: ${describeError(error)}`);
      continue;
    }
    let valid = false;
    try {
      valid = verify("sha256", pae, key, Buffer.from(signature.sig, "base64"));
    } catch {
      valid = false;
    }
    if (valid) return { status: "ok", detail: `ECDSA P-256 over the DSSE PAE, ${signature.keyid}` };
  }
  if (unknown.length === envelope.signatures.length) return { status: "UNKNOWN", detail: unknown.join("; ") };
  return { status: "FAILED", detail: "no signature verifies over the record's DSSE pre-authentication encoding" };
}
