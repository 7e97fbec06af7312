import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, Provider } from "@smithy/types";

/**
 * Who runs the release, as STS GetCallerIdentity answers for the credentials
 * the S3 client resolved (so the record names the very identity that lifted
 * the holds). The project carries no @aws-sdk/client-sts; this is the one
 * Query-protocol call signed with the SDK's own SigV4 signer. Honours
 * AWS_ENDPOINT_URL_STS like the SDK clients honour their overrides.
 */

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

export class CallerIdentityError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CallerIdentityError";
  }
}

export interface CallerIdentityDeps {
  credentials: Provider<AwsCredentialIdentity>;
  region: string;
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

const BODY = "Action=GetCallerIdentity&Version=2011-06-15";

function element(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]+)</${name}>`, "u").exec(xml)?.[1];
}

export async function getCallerIdentity(deps: CallerIdentityDeps): Promise<CallerIdentity> {
  const endpoint = new URL(deps.env.AWS_ENDPOINT_URL_STS || `https://sts.${deps.region}.amazonaws.com`);
  const signer = new SignatureV4({ service: "sts", region: deps.region, credentials: deps.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path: endpoint.pathname,
    query: {},
    headers: { host: endpoint.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: BODY,
  });
  let text: string;
  let status: number;
  try {
    const response = await (deps.fetch ?? fetch)(endpoint, {
      method: "POST",
      headers: signed.headers,
      body: BODY,
      signal: AbortSignal.timeout(15_000),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw new CallerIdentityError(`STS GetCallerIdentity at ${endpoint.origin} failed: ${(error as Error).message}`, { cause: error });
  }
  const arn = element(text, "Arn");
  const account = element(text, "Account");
  const userId = element(text, "UserId");
  if (status !== 200 || !arn || !account || !userId) {
    const code = element(text, "Code");
    throw new CallerIdentityError(
      `STS GetCallerIdentity answered HTTP ${status}${code ? ` ${code}` : ""}; sign in as the hold-release role (AWS_PROFILE of a profile with role_arn, external_id and mfa_serial)`,
    );
  }
  return { arn, account, userId };
}
