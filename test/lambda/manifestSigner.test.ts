import { createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { canonicalJsonBytes } from "../../lambda/custody/canonicalJson";
import { createManifestSigner, ManifestSigningError } from "../../lambda/custody/manifestSigner";

const SIGNING_KEY = "arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f";
const MANIFEST_KEY = "cases/MATTER-1/conversations/c/recordings/r1.wav.custody.json";
const manifestBytes = canonicalJsonBytes({ schemaVersion: 1, recordingId: "r1", sha256: "ab".repeat(32), bytes: 12 });
const digest = createHash("sha256").update(manifestBytes).digest();

// A local P-256 key stands in for the KMS key. Signing the message with "sha256" gives exactly the signature
// KMS returns for ECDSA_SHA_256 over the message's SHA-256 DIGEST: DER-encoded ECDSA over that hash.
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const derSignature = sign("sha256", manifestBytes, { key: privateKey, dsaEncoding: "der" });

const kmsMock = mockClient(KMSClient);
const kms = new KMSClient({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
const signer = createManifestSigner({ kms, signingKeyArn: SIGNING_KEY, now: () => new Date("2025-03-04T06:00:01.000Z") });

beforeEach(() => {
  kmsMock.reset();
  kmsMock.on(SignCommand).resolves({ KeyId: SIGNING_KEY, Signature: derSignature, SigningAlgorithm: "ECDSA_SHA_256" });
});

describe("createManifestSigner", () => {
  it("asks KMS to sign the SHA-256 digest of the canonical bytes with ECDSA_SHA_256, as a DIGEST, with the signing key", async () => {
    await signer.sign(MANIFEST_KEY, manifestBytes);

    const calls = kmsMock.commandCalls(SignCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input).toEqual({ KeyId: SIGNING_KEY, Message: expect.anything(), MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" });
    expect(Buffer.from(input.Message as Uint8Array)).toEqual(digest);
  });

  it("returns exactly the signature record's fields, the signature as base64 of KMS's DER bytes", async () => {
    const record = await signer.sign(MANIFEST_KEY, manifestBytes);

    expect(record).toEqual({
      schemaVersion: 1,
      manifestKey: MANIFEST_KEY,
      manifestSha256: digest.toString("hex"),
      algorithm: "ECDSA_SHA_256",
      messageType: "DIGEST",
      signingKeyArn: SIGNING_KEY,
      signature: derSignature.toString("base64"),
      signedAt: "2025-03-04T06:00:01.000Z",
    });
    expect(record.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("meets the verification contract: crypto.verify('sha256', manifest bytes, public key, signature) is true", async () => {
    const record = await signer.sign(MANIFEST_KEY, manifestBytes);
    const signature = Buffer.from(record.signature, "base64");
    const publicKeyPem = publicKey.export({ format: "pem", type: "spki" });

    expect(verify("sha256", manifestBytes, publicKeyPem, signature)).toBe(true);
  });

  it("fails verification when any manifest byte is changed", async () => {
    const record = await signer.sign(MANIFEST_KEY, manifestBytes);
    const tampered = Buffer.from(manifestBytes);
    tampered[10] ^= 1;

    expect(verify("sha256", tampered, publicKey, Buffer.from(record.signature, "base64"))).toBe(false);
  });

  it("wraps a KMS refusal in ManifestSigningError naming the manifest, with the SDK error as cause", async () => {
    const denied = Object.assign(new Error("not authorized to perform kms:Sign"), { name: "AccessDeniedException" });
    kmsMock.on(SignCommand).rejects(denied);

    const failure = signer.sign(MANIFEST_KEY, manifestBytes);

    await expect(failure).rejects.toBeInstanceOf(ManifestSigningError);
    await expect(failure).rejects.toThrow(MANIFEST_KEY);
    await expect(failure).rejects.toMatchObject({ cause: { name: "AccessDeniedException" } });
  });

  it("refuses an answer without a signature or with another algorithm", async () => {
    kmsMock.on(SignCommand).resolves({ KeyId: SIGNING_KEY });
    await expect(signer.sign(MANIFEST_KEY, manifestBytes)).rejects.toThrow("KMS returned no signature");

    kmsMock.on(SignCommand).resolves({ KeyId: SIGNING_KEY, Signature: derSignature, SigningAlgorithm: "ECDSA_SHA_384" });
    await expect(signer.sign(MANIFEST_KEY, manifestBytes)).rejects.toThrow("ECDSA_SHA_384");
  });
});
