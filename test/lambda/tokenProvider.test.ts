import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { GenesysAuthError, GenesysServerError } from "../../lambda/genesys/errors";
import { createTokenProvider } from "../../lambda/genesys/tokenProvider";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-AbCdEf";
const LOGIN = "https://login.euw2.pure.cloud";
const CLIENT_ID = "3f2e1d0c-aaaa-bbbb-cccc-111122223333";
const CLIENT_SECRET = "s3cr3t-Sh0uld-Never-Leak_xyz";
const secretsMock = mockClient(SecretsManagerClient);

function tokenResponse(token: string, expiresIn = 300) {
  return new Response(JSON.stringify({ access_token: token, token_type: "bearer", expires_in: expiresIn }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}

function setup(responses: Array<() => Response>) {
  let clock = 1_000_000;
  let call = 0;
  const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => {
    const next = responses[Math.min(call, responses.length - 1)];
    call += 1;
    return next();
  });
  const provider = createTokenProvider({
    secretsManager: new SecretsManagerClient({ region: "eu-west-2" }),
    secretId: SECRET_ARN,
    loginBaseUrl: LOGIN,
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => clock,
  });
  return { provider, fetch, advance: (ms: number) => (clock += ms) };
}

beforeEach(() => {
  secretsMock.reset();
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }) });
});

describe("token provider", () => {
  it("logs in with HTTP Basic client credentials at /oauth/token", async () => {
    const { provider, fetch } = setup([() => tokenResponse("t1")]);

    await expect(provider.getToken()).resolves.toBe("t1");

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${LOGIN}/oauth/token`);
    expect(init?.method).toBe("POST");
    expect(init?.body).toBe("grant_type=client_credentials");
    const headers = new Headers(init?.headers);
    expect(headers.get("authorization")).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`);
    expect(headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0].args[0].input.SecretId).toBe(SECRET_ARN);
  });

  it("caches the token until 60 s before it expires", async () => {
    const { provider, fetch, advance } = setup([() => tokenResponse("t1", 300), () => tokenResponse("t2", 300)]);

    await provider.getToken();
    advance(239_999);
    await expect(provider.getToken()).resolves.toBe("t1");
    expect(fetch).toHaveBeenCalledTimes(1);

    advance(1);
    await expect(provider.getToken()).resolves.toBe("t2");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("reads the secret once while the container lives", async () => {
    const { provider, advance } = setup([() => tokenResponse("t1", 300), () => tokenResponse("t2", 300)]);

    await provider.getToken();
    advance(300_000);
    await provider.getToken();

    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("logs in again after invalidate", async () => {
    const { provider, fetch } = setup([() => tokenResponse("t1"), () => tokenResponse("t2")]);

    await provider.getToken();
    provider.invalidate();

    await expect(provider.getToken()).resolves.toBe("t2");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("shares one login between concurrent callers", async () => {
    const { provider, fetch } = setup([() => tokenResponse("t1")]);

    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);

    expect(tokens).toEqual(["t1", "t1", "t1"]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("refuses refused credentials without quoting the secret or the response body", async () => {
    const body = JSON.stringify({ error: "invalid_client", description: `bad secret ${CLIENT_SECRET}` });
    const { provider } = setup([() => new Response(body, { status: 401 })]);

    const error = await provider.getToken().catch((e: Error) => e);

    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as Error).message).toContain("invalid_client");
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(CLIENT_SECRET);
  });

  it("rereads the secret after the credentials were refused (it may have been rotated)", async () => {
    const { provider } = setup([() => new Response("{}", { status: 400 }), () => tokenResponse("t2")]);

    await expect(provider.getToken()).rejects.toBeInstanceOf(GenesysAuthError);
    await expect(provider.getToken()).resolves.toBe("t2");
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("reports a secret that is not JSON without quoting it", async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: `{"clientId":"${CLIENT_ID}","clientSecret":"${CLIENT_SECRET}"` });
    const { provider } = setup([() => tokenResponse("t1")]);

    const error = await provider.getToken().catch((e: Error) => e);

    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as Error).message).not.toContain(CLIENT_SECRET);
    expect((error as Error).cause).toBeUndefined();
  });

  it("reports a secret without clientSecret without quoting it", async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ clientId: CLIENT_SECRET }) });
    const { provider } = setup([() => tokenResponse("t1")]);

    await expect(provider.getToken()).rejects.toThrow(/must hold non-empty strings "clientId" and "clientSecret"/);
    await expect(provider.getToken()).rejects.not.toThrow(CLIENT_SECRET);
  });

  it("treats a login outage as retryable", async () => {
    const { provider } = setup([() => new Response("down", { status: 503 })]);

    const error = await provider.getToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GenesysServerError);
    expect((error as GenesysServerError).retryable).toBe(true);
  });
});
