import { vi } from "vitest";
import { startWireEnvironment, type WireEnvironment, type WireEnvironmentOptions } from "../../../tools/testkit/wire/environment";
import type { WorkerHandler } from "./worker";

/**
 * Starts the loopback servers, stubs the worker's environment with them and
 * imports the real handler module, which builds its clients from that
 * environment as at a Lambda cold start. Call once per test file (in
 * beforeAll): vitest gives each file its own process, so its own cold start.
 */
export async function startWorkerOnWire(options: WireEnvironmentOptions = {}): Promise<{ wire: WireEnvironment; handler: WorkerHandler }> {
  const wire = await startWireEnvironment(options);
  for (const [name, value] of Object.entries(wire.workerEnv)) vi.stubEnv(name, value);
  const { handler } = await import("../../../lambda/worker/handler");
  return { wire, handler };
}

/** Restores the environment and closes every server. */
export async function stopWorkerOnWire(wire: WireEnvironment | undefined): Promise<void> {
  vi.unstubAllEnvs();
  await wire?.close();
}

/** The reason, retryability and error of the worker's "export failed" log line for a message. */
export function failureLogged(logs: Array<Record<string, unknown>>, messageId: string) {
  const line = logs.find((entry) => entry.message === "export failed" && entry.messageId === messageId);
  if (!line) return undefined;
  const error = line.error as { name?: string; message?: string; cause?: unknown } | undefined;
  return {
    level: line.level as string,
    reason: line.reason as string,
    retryable: line.retryable as boolean,
    errorName: error?.name,
    errorMessage: error?.message,
    error,
  };
}

/** The per-recording outcomes of the worker's "export finished" log line for a message. */
export function recordingsLogged(logs: Array<Record<string, unknown>>, messageId: string) {
  const line = logs.find((entry) => entry.message === "export finished" && entry.messageId === messageId);
  return line?.recordings as Array<{ recordingId: string; status: string; versionId?: string }> | undefined;
}
