import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Lambda's Invoke API on loopback (POST /2015-03-31/functions/{name}/invocations),
 * running an in-process handler as the named function: what the case:export
 * and case:status commands call through the real LambdaClient. A handler that
 * throws answers like Lambda does: 200 with X-Amz-Function-Error: Unhandled and
 * `{ errorType, errorMessage }`.
 */

export interface FakeLambda {
  endpoint: string;
  readonly invocations: ReadonlyArray<{ functionName: string; event: unknown }>;
  close(): Promise<void>;
}

export async function startFakeLambda(functions: Record<string, (event: unknown) => Promise<unknown>>): Promise<FakeLambda> {
  const invocations: Array<{ functionName: string; event: unknown }> = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", async () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/u.exec(new URL(request.url ?? "/", "http://fake.invalid").pathname);
      const functionName = decodeURIComponent(match?.[1] ?? "");
      const handler = functions[functionName];
      if (request.method !== "POST" || !handler) {
        response.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
        response.end(JSON.stringify({ Type: "User", message: `Function not found: ${functionName}` }));
        return;
      }
      const event = JSON.parse(body || "null") as unknown;
      invocations.push({ functionName, event });
      try {
        const text = JSON.stringify(await handler(event));
        response.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" });
        response.end(text);
      } catch (error) {
        response.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" });
        response.end(JSON.stringify({ errorType: (error as Error).name, errorMessage: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
