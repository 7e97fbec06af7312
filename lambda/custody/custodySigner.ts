import { createHash } from "node:crypto";
import { type KMSClient, SignCommand, type SignCommandOutput } from "@aws-sdk/client-kms";
import { type DsseEnvelope, preAuthEncoding } from "./dsse";

/**
 * Signs a custody record's DSSE envelope with the asymmetric KMS key
 * (ECC_NIST_P256, SIGN_VERIFY). KMS gets the SHA-256 of the envelope's
 * pre-authentication encoding with MessageType DIGEST and ECDSA_SHA_256, so
 * the request stays small whatever the payload's size; the signature is the
 * same value an ECDSA-with-SHA-256 signature over the PAE bytes would be:
 *
 *   crypto.verify("sha256", preAuthEncoding(payloadType, payload), publicKey, Buffer.from(sig, "base64")) === true
 *
 * KMS returns DER (SEQUENCE { r, s }), as Node's default dsaEncoding and
 * securesystemslib's ecdsa-sha2-nistp256 verifier expect.
 */

export const SIGNING_ALGORITHM = "ECDSA_SHA_256";
export const SIGNATURE_MESSAGE_TYPE = "DIGEST";

/** KMS refused or failed to sign; `cause` is the SDK's error. */
export class CustodySigningError extends Error {
  constructor(
    readonly key: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`Signing the custody record ${key} failed: ${problem}`, options);
    this.name = "CustodySigningError";
  }
}

export interface CustodySigner {
  /** The signing key's ARN, recorded as the signature's keyid. */
  readonly keyId: string;
  /** A DSSE envelope over `payload`; `recordKey` names the record in errors. */
  signEnvelope(recordKey: string, payloadType: string, payload: Uint8Array): Promise<DsseEnvelope>;
}

export interface CustodySignerDeps {
  kms: Pick<KMSClient, "send">;
  signingKeyArn: string;
}

export function createCustodySigner(deps: CustodySignerDeps): CustodySigner {
  return {
    keyId: deps.signingKeyArn,
    async signEnvelope(recordKey, payloadType, payload) {
      const digest = createHash("sha256").update(preAuthEncoding(payloadType, payload)).digest();
      let answer: SignCommandOutput;
      try {
        answer = await deps.kms.send(
          new SignCommand({
            KeyId: deps.signingKeyArn,
            Message: digest,
            MessageType: SIGNATURE_MESSAGE_TYPE,
            SigningAlgorithm: SIGNING_ALGORITHM,
          }),
        );
      } catch (error) {
        throw new CustodySigningError(recordKey, `KMS Sign with ${deps.signingKeyArn} was refused or failed`, { cause: error });
      }
      if (!answer.Signature || answer.Signature.length === 0) throw new CustodySigningError(recordKey, "KMS returned no signature");
      if (answer.SigningAlgorithm !== undefined && answer.SigningAlgorithm !== SIGNING_ALGORITHM) {
        throw new CustodySigningError(recordKey, `KMS signed with ${answer.SigningAlgorithm}, not ${SIGNING_ALGORITHM}`);
      }
      return {
        payload: Buffer.from(payload).toString("base64"),
        payloadType,
        signatures: [{ keyid: deps.signingKeyArn, sig: Buffer.from(answer.Signature).toString("base64") }],
      };
    },
  };
}
