import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient } from "../../lambda/genesys/genesysClient";

/** Real sockets and Node's own fetch: proves redirect handling and streaming, which a fake fetch cannot. */

interface Seen {
  path: string;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
}

function listen(handler: (request: IncomingMessage, seen: Seen[]) => { status: number; headers?: Record<string, string>; body?: string }) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({
      path: request.url ?? "",
      authorization: request.headers.authorization,
      acceptEncoding: request.headers["accept-encoding"],
    });
    const answer = handler(request, seen);
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
  return { server, seen };
}

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const MEDIA = "x".repeat(200_000);

const media = listen(() => ({
  status: 200,
  headers: { "content-type": "audio/wav", "content-length": String(MEDIA.length) },
  body: MEDIA,
}));
const api = listen((request) =>
  request.url?.startsWith("/api/v2/downloads/")
    ? { status: 302, headers: { location: `${origin(media.server)}/media/r1.wav?sig=secret-sig` } }
    : { status: 404 },
);

beforeAll(async () => {
  await Promise.all([media.server, api.server].map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
});

afterAll(async () => {
  await Promise.all([media.server, api.server].map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("genesys client over HTTP", () => {
  it("follows the API's redirect to the media host without the token, and streams the whole body", async () => {
    const genesys = createGenesysClient({
      apiBaseUrl: origin(api.server),
      tokens: { getToken: async () => "token-1", invalidate: () => undefined },
      transcodePollAttempts: 1,
      transcodePollIntervalMs: 0,
    });

    const download = await genesys.openMedia(`${origin(api.server)}/api/v2/downloads/r1`);
    const body = Buffer.concat(await download.body.toArray()).toString();

    expect(api.seen[0]).toMatchObject({ authorization: "Bearer token-1" });
    expect(media.seen[0]).toMatchObject({ path: "/media/r1.wav?sig=secret-sig", authorization: undefined, acceptEncoding: "identity" });
    expect(download.contentLength).toBe(MEDIA.length);
    expect(body).toBe(MEDIA);
  });
});
