import { startAwsJsonServer } from "./awsJsonServer";
import type { CallGate } from "./callGate";

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

export async function startFakeSecretsManager(secrets: Record<string, string>, gate?: CallGate): Promise<FakeSecretsManager> {
  const requestedSecretIds: string[] = [];
  const server = await startAwsJsonServer(({ target, input }) => {
    if (target !== "secretsmanager.GetSecretValue") {
      return { status: 400, payload: { __type: "UnknownOperationException", message: "only GetSecretValue is played" } };
    }
    const secretId = String(input.SecretId ?? "");
    requestedSecretIds.push(secretId);
    const value = secrets[secretId];
    if (value === undefined) {
      return { status: 400, payload: { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." } };
    }
    return {
      status: 200,
      payload: { ARN: secretId, Name: secretId.split(":").pop(), SecretString: value, VersionId: "wire-1", CreatedDate: 1_700_000_000 },
    };
  }, gate && { gate, service: "secretsmanager" });
  return { endpoint: server.endpoint, requestedSecretIds, close: server.close };
}
