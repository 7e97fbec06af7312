// The few Platform API calls the Genesys commands make, under one deadline per
// request, with failures that name the method, the URL and the cause (used by
// genesys:bootstrap).
import { UsageError } from "./cliArgs";

/** Genesys could not be reached, refused, or answered something unusable: the command exits 1. */
export class GenesysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenesysError";
  }
}

export interface Http {
  fetch: typeof fetch;
  timeoutMs: number;
  /** What the command leaves undone when a request fails, appended to the message: "nothing written". */
  consequence: string;
}

export interface JsonAnswer {
  status: number;
  ok: boolean;
  body: unknown;
}

/** One request and its JSON body, under one deadline. */
export async function requestJson(http: Http, url: string, init: RequestInit = {}): Promise<JsonAnswer> {
  const what = `${init.method ?? "GET"} ${url}`;
  try {
    const response = await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs) });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, ok: response.ok, body };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      throw new GenesysError(
        `${what} did not answer within ${http.timeoutMs / 1000} s; ${http.consequence} (check the network, or raise --timeout-seconds)`,
      );
    // undici reports every network failure as "fetch failed"; the reason is in its cause.
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.message || cause?.code || (error as Error).message;
    throw new GenesysError(`${what} failed: ${reason}; ${http.consequence}`);
  }
}

/** A bearer token for a client-credentials client (POST /oauth/token, HTTP Basic); `credentialNames` are the variables that gave it. */
export async function token(
  http: Http,
  loginBaseUrl: string,
  clientId: string,
  clientSecret: string,
  credentialNames = "GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET",
): Promise<string> {
  const url = `${loginBaseUrl}/oauth/token`;
  const answer = await requestJson(http, url, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  if (!answer.ok) {
    throw new GenesysError(
      `Genesys refused the client credentials (HTTP ${answer.status} from ${url}); check ${credentialNames} and that the client uses the client-credentials grant`,
    );
  }
  const accessToken = (answer.body as { access_token?: unknown } | undefined)?.access_token;
  if (typeof accessToken !== "string") throw new GenesysError(`${url} answered without an access_token`);
  return accessToken;
}

/** Genesys' own error text from an error body ({ message }), or nothing. */
export function genesysMessage(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === "string" && message !== "" ? `: ${message}` : "";
}

/** --timeout-seconds as milliseconds. */
export function timeoutMs(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/u.test(value) || !(seconds > 0) || seconds > 600)
    throw new UsageError(
      `--timeout-seconds ${JSON.stringify(value)} is not a number of seconds from 0 to 600; give e.g. --timeout-seconds 30`,
    );
  return Math.round(seconds * 1000);
}
