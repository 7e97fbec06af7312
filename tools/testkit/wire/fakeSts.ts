import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * STS on loopback (Query protocol, XML answers): GetCallerIdentity, and
 * AssumeRole as a profile with role_arn, external_id and mfa_serial makes the
 * SDK call it. Point a command at it with AWS_ENDPOINT_URL_STS. Requests that
 * are not SigV4-signed are refused, as STS would. The role's session gets the
 * S3RVER keys (s3rver accepts them) with a session token of its own, by which
 * GetCallerIdentity tells the assumed role from the caller that assumed it.
 */

export interface FakeStsIdentity {
  arn: string;
  account: string;
  userId: string;
}

export interface FakeStsOptions {
  /** Who a caller without the issued session token is. */
  caller: FakeStsIdentity;
  /** Who a caller with the issued session token is (the assumed role's session). */
  assumedRole?: FakeStsIdentity;
}

export interface FakeSts {
  endpoint: string;
  /** Authorization headers of the GetCallerIdentity calls answered, in order. */
  readonly authorizations: readonly string[];
  /** The parameters of every AssumeRole call answered (RoleArn, ExternalId, SerialNumber, TokenCode, …). */
  readonly assumeRoleCalls: readonly Record<string, string>[];
  close(): Promise<void>;
}

const SESSION_TOKEN = "wire-release-session-token";
const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const authorizations: string[] = [];
  const assumeRoleCalls: Record<string, string>[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const signed = request.method === "POST" && (request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ");
      const send = (status: number, xml: string) => {
        response.writeHead(status, { "content-type": "text/xml" });
        response.end(xml);
      };
      if (signed && params.Action === "GetCallerIdentity") {
        authorizations.push(request.headers.authorization ?? "");
        const assumed = request.headers["x-amz-security-token"] === SESSION_TOKEN && options.assumedRole;
        const who = assumed || options.caller;
        return send(
          200,
          `<GetCallerIdentityResponse xmlns="${XMLNS}"><GetCallerIdentityResult><Arn>${who.arn}</Arn><UserId>${who.userId}</UserId>` +
            `<Account>${who.account}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
        );
      }
      if (signed && params.Action === "AssumeRole" && options.assumedRole) {
        assumeRoleCalls.push(params);
        const expiration = new Date(Date.now() + 3_600_000).toISOString();
        return send(
          200,
          `<AssumeRoleResponse xmlns="${XMLNS}"><AssumeRoleResult><Credentials><AccessKeyId>S3RVER</AccessKeyId>` +
            `<SecretAccessKey>S3RVER</SecretAccessKey><SessionToken>${SESSION_TOKEN}</SessionToken><Expiration>${expiration}</Expiration>` +
            `</Credentials><AssumedRoleUser><Arn>${options.assumedRole.arn}</Arn><AssumedRoleId>${options.assumedRole.userId}</AssumedRoleId>` +
            "</AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>",
        );
      }
      send(
        403,
        "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>",
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    assumeRoleCalls,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
