import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { CustodySigningError, createCustodySigner } from "../../lambda/custody/custodySigner";
import { DsseEnvelopeError, parseEnvelope, preAuthEncoding } from "../../lambda/custody/dsse";

describe("preAuthEncoding", () => {
  it("matches the DSSE protocol's worked example", () => {
    // github.com/secure-systems-lab/dsse protocol.md: PAE of "hello world" with type http://example.com/HelloWorld.
    expect(preAuthEncoding("http://example.com/HelloWorld", Buffer.from("hello world")).toString("utf8")).toBe(
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
    );
  });

  it("counts bytes, not characters", () => {
    expect(preAuthEncoding("t", Buffer.from("é", "utf8")).toString("utf8")).toBe("DSSEv1 1 t 2 é");
  });
});

describe("parseEnvelope", () => {
  const good = {
    payload: Buffer.from("{}").toString("base64"),
    payloadType: "application/vnd.in-toto+json",
    signatures: [{ keyid: "k", sig: "AA==" }],
  };

  it("reads an envelope and decodes its payload", () => {
    expect(parseEnvelope(JSON.stringify(good)).payloadBytes.toString()).toBe("{}");
  });

  it.each([
    ["{", /not JSON/],
    [JSON.stringify({ ...good, payloadType: "" }), /payloadType is missing/],
    [JSON.stringify({ ...good, payload: "not base64!" }), /payload is not base64/],
    [JSON.stringify({ ...good, signatures: [] }), /signatures is empty/],
    [JSON.stringify({ ...good, signatures: [{ keyid: "k" }] }), /signatures\[0\]\.sig/],
  ])("names the field that is wrong in %s", (text, message) => {
    expect(() => parseEnvelope(text)).toThrow(DsseEnvelopeError);
    expect(() => parseEnvelope(text)).toThrow(message);
  });
});

describe("createCustodySigner", () => {
  const kmsMock = mockClient(KMSClient);
  const kms = new KMSClient({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
  const signer = createCustodySigner({ kms, signingKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/k" });

  it("fails when KMS answers without a signature or with another algorithm", async () => {
    kmsMock.on(SignCommand).resolves({});
    await expect(signer.signEnvelope("r", "t", Buffer.from("x"))).rejects.toThrow(CustodySigningError);
    kmsMock.on(SignCommand).resolves({ Signature: Buffer.from([1]), SigningAlgorithm: "ECDSA_SHA_384" });
    await expect(signer.signEnvelope("r", "t", Buffer.from("x"))).rejects.toThrow(/ECDSA_SHA_384/);
  });
});
