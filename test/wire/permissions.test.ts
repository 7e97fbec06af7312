import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireEnvironment } from "../../tools/testkit/wire/environment";
import { expectNothingStored } from "../support/wire/assertions";
import { failureLogged, startWorkerOnWire, stopWorkerOnWire } from "../support/wire/harness";
import { exportJob, invokeWorker, sqsRecord, type WorkerHandler } from "../support/wire/worker";

/** A 403 from Genesys is a missing permission of the OAuth client's role: permanent, and the log names the permission. */

let wire: WireEnvironment;
let handler: WorkerHandler;

beforeAll(async () => {
  ({ wire, handler } = await startWorkerOnWire());
});

afterAll(() => stopWorkerOnWire(wire));

const MISSING = { status: 403, code: "missing.permissions", message: "You are missing the following permission(s)" } as const;

describe("worker over the wire: missing Genesys permissions", () => {
  it("fails a 403 on the recording permanently, naming recording:recording:view, without retrying or writing", async () => {
    const job = exportJob({ caseId: "MATTER-403" });
    wire.genesys.addConversation({
      id: job.conversationId,
      recordings: [{ id: "rec-403", bytes: 50_000, download: [{ status: 403, body: MISSING }] }],
    });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-403")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-403" }] });
    expect(failureLogged(logs, "msg-403")).toMatchObject({
      level: "ERROR",
      reason: "genesys-permission-missing",
      retryable: false,
      errorName: "GenesysPermissionError",
      errorMessage: expect.stringContaining("recording:recording:view"),
    });
    const calls = wire.genesys.requests.filter((r) => r.path === `/api/v2/conversations/${job.conversationId}/recordings/rec-403`);
    expect(calls.map((r) => r.status)).toEqual([403]);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-403");
  });

  it("fails a 403 on deletion protection permanently, naming recording:deletionProtection:apply, before listing recordings", async () => {
    const job = exportJob({ caseId: "MATTER-403" });
    wire.genesys.addConversation({
      id: job.conversationId,
      protect: [{ status: 403, body: MISSING }],
      recordings: [{ id: "rec-1", bytes: 50_000 }],
    });

    const { response, logs } = await invokeWorker(handler, [sqsRecord(job, "msg-403-protect")]);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-403-protect" }] });
    expect(failureLogged(logs, "msg-403-protect")).toMatchObject({
      level: "ERROR",
      reason: "genesys-permission-missing",
      retryable: false,
      errorMessage: expect.stringContaining("recording:deletionProtection:apply"),
    });
    expect(wire.genesys.requests.filter((r) => r.path.startsWith(`/api/v2/conversations/${job.conversationId}`))).toEqual([]);
    await expectNothingStored(wire, job.caseId, job.conversationId, "rec-1");
  });
});
