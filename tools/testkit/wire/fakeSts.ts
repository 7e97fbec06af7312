import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * STS GetCallerIdentity (Query protocol, XML answer) on loopback, answering
 * as one fixed identity. Point a command at it with AWS_ENDPOINT_URL_STS.
 * A request that is not a SigV4-signed GetCallerIdentity is refused, as STS would.
 */

export interface FakeSts {
  endpoint: string;
  /** Authorization headers of the calls answered, in order. */
  readonly authorizations: readonly string[];
  close(): Promise<void>;
}

export interface FakeStsIdentity {
  arn: string;
  account: string;
  userId: string;
}

export async function startFakeSts(identity: FakeStsIdentity): Promise<FakeSts> {
  const authorizations: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      const authorization = request.headers.authorization ?? "";
      const params = new URLSearchParams(body);
      const ok = request.method === "POST" && params.get("Action") === "GetCallerIdentity" && authorization.startsWith("AWS4-HMAC-SHA256 ");
      const xml = ok
        ? `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
          `<Arn>${identity.arn}</Arn><UserId>${identity.userId}</UserId><Account>${identity.account}</Account>` +
          "</GetCallerIdentityResult></GetCallerIdentityResponse>"
        : "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>";
      if (ok) authorizations.push(authorization);
      response.writeHead(ok ? 200 : 403, { "content-type": "text/xml" });
      response.end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
