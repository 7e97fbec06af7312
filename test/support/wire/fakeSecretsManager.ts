import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Secrets Manager's GetSecretValue (AWS JSON 1.1 protocol) on loopback, so the
 * worker's real token provider reads the Genesys client credentials the way it
 * does in Lambda. Point the SDK at it with AWS_ENDPOINT_URL_SECRETS_MANAGER.
 */

export interface FakeSecretsManager {
  endpoint: string;
  /** SecretIds asked for, in order. */
  readonly requestedSecretIds: readonly string[];
  close(): Promise<void>;
}

export async function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretsManager> {
  const requestedSecretIds: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      const answer = (status: number, payload: unknown) => {
        const text = JSON.stringify(payload);
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": String(Buffer.byteLength(text)) });
        response.end(text);
      };
      if (request.method !== "POST" || request.headers["x-amz-target"] !== "secretsmanager.GetSecretValue") {
        return answer(400, { __type: "UnknownOperationException", message: "only GetSecretValue is played" });
      }
      const secretId = String((JSON.parse(body || "{}") as { SecretId?: unknown }).SecretId ?? "");
      requestedSecretIds.push(secretId);
      const value = secrets[secretId];
      if (value === undefined) {
        return answer(400, { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." });
      }
      answer(200, { ARN: secretId, Name: secretId.split(":").pop(), SecretString: value, VersionId: "wire-1", CreatedDate: 1_700_000_000 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requestedSecretIds,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
