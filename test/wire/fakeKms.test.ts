import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { GetPublicKeyCommand, KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeKms, signP256Digest, startFakeKms } from "../../tools/testkit/wire/fakeKms";

/** The fake KMS must produce what real KMS does, or the wire tests' signature checks prove nothing. */

const KEY_ARN = "arn:aws:kms:eu-west-2:111122223333:key/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
const manifest = Buffer.from('{"schemaVersion":1,"sha256":"ab"}', "utf8");
const digest = createHash("sha256").update(manifest).digest();

let kms: FakeKms;
let client: KMSClient;

beforeAll(async () => {
  kms = await startFakeKms(KEY_ARN);
  client = new KMSClient({
    region: "eu-west-2",
    endpoint: kms.endpoint,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
  });
});

afterAll(async () => {
  client.destroy();
  await kms.close();
});

describe("signP256Digest", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });

  it("signs a digest so that crypto.verify('sha256', message, …) accepts it, DER-encoded", () => {
    for (let i = 0; i < 20; i++) {
      const signature = signP256Digest(privateKey, digest);
      expect(signature[0]).toBe(0x30);
      expect(verify("sha256", manifest, publicKey, signature)).toBe(true);
    }
  });

  it("is rejected for any other message", () => {
    const tampered = Buffer.from(manifest);
    tampered[5] ^= 1;
    expect(verify("sha256", tampered, publicKey, signP256Digest(privateKey, digest))).toBe(false);
  });

  it("is needed: crypto.sign(null, digest, ecKey) hashes the digest again, so it does not verify against the message", () => {
    const naive = sign(null, digest, { key: privateKey, dsaEncoding: "der" });
    expect(verify("sha256", manifest, publicKey, naive)).toBe(false);
    expect(verify("sha256", digest, publicKey, naive)).toBe(true);
  });
});

describe("fake KMS Sign over the wire", () => {
  it("answers the SDK's Sign (DIGEST, ECDSA_SHA_256) with a DER signature that verifies against the message", async () => {
    const answer = await client.send(
      new SignCommand({ KeyId: KEY_ARN, Message: digest, MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" }),
    );

    expect(answer).toMatchObject({ KeyId: KEY_ARN, SigningAlgorithm: "ECDSA_SHA_256" });
    expect(verify("sha256", manifest, kms.publicKeyPem, Buffer.from(answer.Signature ?? []))).toBe(true);
    expect(kms.requests.at(-1)).toMatchObject({ keyId: KEY_ARN, messageType: "DIGEST", signingAlgorithm: "ECDSA_SHA_256", status: 200 });
    expect(kms.requests.at(-1)?.message).toEqual(digest);
  });

  it("refuses an unknown key and a RAW message like KMS would", async () => {
    await expect(
      client.send(new SignCommand({ KeyId: `${KEY_ARN}x`, Message: digest, MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" })),
    ).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(
      client.send(new SignCommand({ KeyId: KEY_ARN, Message: manifest, MessageType: "RAW", SigningAlgorithm: "ECDSA_SHA_256" })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("fake KMS GetPublicKey over the wire", () => {
  it("answers KMS's documented shape: DER SubjectPublicKeyInfo of the signing key, key spec, usage and algorithms", async () => {
    const answer = await client.send(new GetPublicKeyCommand({ KeyId: KEY_ARN }));

    expect(answer).toMatchObject({
      KeyId: KEY_ARN,
      KeySpec: "ECC_NIST_P256",
      KeyUsage: "SIGN_VERIFY",
      SigningAlgorithms: ["ECDSA_SHA_256"],
    });
    const key = createPublicKey({ key: Buffer.from(answer.PublicKey ?? []), format: "der", type: "spki" });
    expect(key.export({ format: "pem", type: "spki" })).toBe(kms.publicKeyPem);
    const signed = await client.send(
      new SignCommand({ KeyId: KEY_ARN, Message: digest, MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" }),
    );
    expect(verify("sha256", manifest, key, Buffer.from(signed.Signature ?? []))).toBe(true);
  });

  it("refuses an unknown key like KMS would", async () => {
    await expect(client.send(new GetPublicKeyCommand({ KeyId: `${KEY_ARN}x` }))).rejects.toMatchObject({ name: "NotFoundException" });
  });
});
