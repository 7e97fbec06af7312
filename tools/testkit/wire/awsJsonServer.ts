import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type CallGate, gated } from "./callGate";

/** One AWS JSON 1.1 call: the operation named by X-Amz-Target, and its parsed body. */
export interface AwsJsonCall {
  target: string;
  input: Record<string, unknown>;
}

export type AwsJsonAnswer = { status: number; payload: unknown };

export interface AwsJsonServer {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A loopback server speaking the AWS JSON 1.1 protocol (the one KMS and
 * Secrets Manager use), for fakes that answer one or two operations.
 */
export async function startAwsJsonServer(
  handle: (call: AwsJsonCall) => AwsJsonAnswer,
  gate?: { gate: CallGate; service: string },
): Promise<AwsJsonServer> {
  const server = createServer(
    gated(gate?.gate, gate?.service ?? "", (request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        const target = request.method === "POST" ? String(request.headers["x-amz-target"] ?? "") : "";
        const { status, payload } = handle({ target, input: JSON.parse(body || "{}") as Record<string, unknown> });
        const text = JSON.stringify(payload);
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": String(Buffer.byteLength(text)) });
        response.end(text);
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
