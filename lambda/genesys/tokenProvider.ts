import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";
import { GenesysAuthError, GenesysRateLimitError, GenesysServerError } from "./errors";

/**
 * A Genesys client-credentials token, cached for the life of the Lambda
 * container so warm invocations spend none of the ~300 requests/minute rate
 * limit on logins. Neither the client secret nor the token ever appears in an
 * error message or a log line.
 */

export interface TokenProviderOptions {
  secretsManager: SecretsManagerClient;
  /** ARN (or name) of the secret holding `{ "clientId": "…", "clientSecret": "…" }`. */
  secretId: string;
  /** https://login.<genesys domain>, without a trailing slash. */
  loginBaseUrl: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** A token is replaced this long before it expires, so no request starts with a token about to lapse. @default 60000 */
  refreshMarginMs?: number;
  /** @default 10000 */
  requestTimeoutMs?: number;
}

export interface TokenProvider {
  /** A valid bearer token, from the cache when it has more than the refresh margin left. */
  getToken(): Promise<string>;
  /** Forget the cached token (Genesys answered 401), so the next getToken logs in again. */
  invalidate(): void;
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

const credentialsSchema = z.object({ clientId: z.string().check(z.minLength(1)), clientSecret: z.string().check(z.minLength(1)) });
const tokenResponseSchema = z.object({ access_token: z.string().check(z.minLength(1)), expires_in: z.number().check(z.positive()) });

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const refreshMarginMs = options.refreshMarginMs ?? 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  let credentials: ClientCredentials | undefined;
  let cached: CachedToken | undefined;
  // Concurrent callers share one login instead of racing several.
  let pending: Promise<string> | undefined;

  async function readCredentials(): Promise<ClientCredentials> {
    const answer = await options.secretsManager.send(new GetSecretValueCommand({ SecretId: options.secretId }));
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.SecretString ?? "");
    } catch {
      // No cause: a JSON SyntaxError quotes the text it failed on, which is the secret.
      throw new GenesysAuthError(`Secret ${options.secretId} is not JSON; it must be { "clientId": "…", "clientSecret": "…" }`);
    }
    const result = credentialsSchema.safeParse(parsed);
    if (!result.success) {
      throw new GenesysAuthError(`Secret ${options.secretId} must hold non-empty strings "clientId" and "clientSecret"`);
    }
    return result.data;
  }

  async function login(): Promise<string> {
    credentials ??= await readCredentials();
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, "utf8").toString("base64");
    const url = `${options.loginBaseUrl}/oauth/token`;
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: "grant_type=client_credentials",
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw new GenesysServerError(`Genesys login at ${url} failed: ${(error as Error).name}`, { cause: error });
    }
    if (response.status === 429) throw new GenesysRateLimitError(`Genesys login at ${url} is rate limited (429)`);
    if (response.status >= 500)
      throw new GenesysServerError(`Genesys login at ${url} failed (${response.status})`, { status: response.status });
    if (!response.ok) {
      // The secret may have been rotated: read it again next time.
      credentials = undefined;
      const code = await oauthErrorCode(response);
      throw new GenesysAuthError(`Genesys refused the client credentials from ${options.secretId} (${response.status}${code})`, {
        status: response.status,
      });
    }
    const token = tokenResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!token.success) throw new GenesysAuthError(`Genesys login at ${url} answered without access_token and expires_in`);
    cached = { value: token.data.access_token, refreshAt: now() + token.data.expires_in * 1000 - refreshMarginMs };
    return cached.value;
  }

  return {
    async getToken() {
      if (cached && now() < cached.refreshAt) return cached.value;
      pending ??= login().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** Only the OAuth error code (e.g. invalid_client), never the rest of the body. */
async function oauthErrorCode(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  return typeof body?.error === "string" && /^[a-z_]{1,64}$/.test(body.error) ? `: ${body.error}` : "";
}
