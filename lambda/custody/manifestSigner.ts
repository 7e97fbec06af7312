import { createHash } from "node:crypto";
import { type KMSClient, SignCommand, type SignCommandOutput } from "@aws-sdk/client-kms";

/**
 * Signs a custody manifest with an asymmetric KMS key (ECC_NIST_P256,
 * SIGN_VERIFY), so anyone holding the key's public key can prove the manifest
 * was written by the archive and not changed since.
 *
 * What is signed: the SHA-256 of the manifest's canonical JSON bytes (exactly
 * the bytes stored in S3, see canonicalJson.ts), sent to KMS Sign with
 * MessageType DIGEST and SigningAlgorithm ECDSA_SHA_256. Sending the digest
 * rather than the message keeps the request small whatever the manifest's
 * size, and KMS treats it as the already-computed hash of the message.
 *
 * Verification contract (what `npm run verify` relies on): KMS returns a
 * DER-encoded ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }) over that
 * digest, which is the same value an ECDSA-with-SHA-256 signature over the
 * manifest bytes themselves would be. So, with the key's public key from
 * KMS GetPublicKey (DER SubjectPublicKeyInfo, wrap it as PEM or pass
 * `{ key, format: "der", type: "spki" }`):
 *
 *   crypto.verify("sha256", canonicalManifestBytes, publicKey, Buffer.from(signature, "base64")) === true
 *
 * where canonicalManifestBytes are the stored manifest object's bytes and
 * `signature` is the signature file's base64 field. Node's default
 * dsaEncoding is "der", matching KMS. Verify against the manifest bytes, not
 * the digest: crypto.verify hashes what it is given.
 */

export const SIGNATURE_SCHEMA_VERSION = 1;
export const SIGNING_ALGORITHM = "ECDSA_SHA_256";
export const SIGNATURE_MESSAGE_TYPE = "DIGEST";

/** The signature file stored beside the manifest, as canonical JSON. */
export interface ManifestSignature {
  schemaVersion: typeof SIGNATURE_SCHEMA_VERSION;
  /** S3 key of the manifest this signs. */
  manifestKey: string;
  /** Lowercase hex SHA-256 of the manifest's canonical JSON bytes: the digest KMS signed. */
  manifestSha256: string;
  algorithm: typeof SIGNING_ALGORITHM;
  messageType: typeof SIGNATURE_MESSAGE_TYPE;
  signingKeyArn: string;
  /** Base64 of the DER-encoded ECDSA signature KMS returned. */
  signature: string;
  /** ISO 8601 time of signing. */
  signedAt: string;
}

/** KMS refused or failed to sign; `cause` is the SDK's error. */
export class ManifestSigningError extends Error {
  constructor(
    readonly key: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`Signing the custody manifest ${key} failed: ${problem}`, options);
    this.name = "ManifestSigningError";
  }
}

export interface ManifestSigner {
  sign(manifestKey: string, manifestBytes: Uint8Array): Promise<ManifestSignature>;
}

export interface ManifestSignerDeps {
  kms: Pick<KMSClient, "send">;
  signingKeyArn: string;
  /** @default () => new Date() */
  now?: () => Date;
}

export function createManifestSigner(deps: ManifestSignerDeps): ManifestSigner {
  const now = deps.now ?? (() => new Date());
  return {
    async sign(manifestKey, manifestBytes) {
      const digest = createHash("sha256").update(manifestBytes).digest();
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
        throw new ManifestSigningError(manifestKey, `KMS Sign with ${deps.signingKeyArn} was refused or failed`, { cause: error });
      }
      if (!answer.Signature || answer.Signature.length === 0) throw new ManifestSigningError(manifestKey, "KMS returned no signature");
      if (answer.SigningAlgorithm !== undefined && answer.SigningAlgorithm !== SIGNING_ALGORITHM) {
        throw new ManifestSigningError(manifestKey, `KMS signed with ${answer.SigningAlgorithm}, not ${SIGNING_ALGORITHM}`);
      }
      return {
        schemaVersion: SIGNATURE_SCHEMA_VERSION,
        manifestKey,
        manifestSha256: digest.toString("hex"),
        algorithm: SIGNING_ALGORITHM,
        messageType: SIGNATURE_MESSAGE_TYPE,
        signingKeyArn: deps.signingKeyArn,
        signature: Buffer.from(answer.Signature).toString("base64"),
        signedAt: now().toISOString(),
      };
    },
  };
}
