import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * One counter shared by every fake the worker talks to (S3, KMS, Secrets
 * Manager, Genesys login, API and CDN), so a test can stop the worker at an
 * exact point of its conversation with the outside world: "kill it when its
 * Nth call arrives". The Nth request is never served; the calls before it
 * were answered in full. Stopping at every N in turn kills the worker between
 * every pair of consecutive calls.
 */

export interface CallGate {
  /** Asked by a fake when a request arrives: false means "do not serve it" (the caller is being stopped). */
  admit(service: string, request: IncomingMessage): boolean;
}

export interface CountingGate extends CallGate {
  /** What arrived since the last `arm`, as "service METHOD path", in order. */
  readonly calls: readonly string[];
  /**
   * Counts from zero again; when `stopAt` is given, the call with that (1-based) number, or the first call it
   * matches (e.g. "s3 DELETE /bucket/…"), runs `onStop` instead of being served.
   */
  arm(stopAt?: number | ((call: string) => boolean), onStop?: () => void): void;
}

export function createCountingGate(): CountingGate {
  const calls: string[] = [];
  let stopAt: number | ((call: string) => boolean) | undefined;
  let onStop: (() => void) | undefined;
  let stopped = false;
  return {
    calls,
    arm(at, stop) {
      calls.length = 0;
      stopAt = at;
      onStop = stop;
      stopped = false;
    },
    admit(service, request) {
      // Once stopped, nothing more is served: the caller is dying, and a call racing its death must not count.
      if (stopped) return false;
      const path = (request.url ?? "/").split("?")[0];
      const call = `${service} ${request.method ?? "GET"} ${path}`;
      calls.push(call);
      if (typeof stopAt === "function" ? stopAt(call) : calls.length === stopAt) {
        stopped = true;
        onStop?.();
        return false;
      }
      return true;
    },
  };
}

/** Wraps a fake's request handler so the gate sees every request first; a refused request is left unanswered. */
export function gated(
  gate: CallGate | undefined,
  service: string,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  if (!gate) return handler;
  return (request, response) => {
    if (gate.admit(service, request)) handler(request, response);
    // else: never answered; the socket closes when the stopped caller dies.
  };
}
