import type { StoredFacts } from "./sources";

/**
 * What S3 Object Lock says about a stored version, as checks: its legal hold
 * is ON and its retention runs past `now`. Recordings and every case record
 * but release records are stored under a hold; all keep a retention.
 */

type Check = { status: "ok" | "FAILED" | "UNKNOWN"; detail: string };

export function legalHoldCheck(facts: Pick<StoredFacts, "legalHold">): Check {
  if (!facts.legalHold.ok) return { status: "UNKNOWN", detail: facts.legalHold.error };
  if (facts.legalHold.value !== "ON") return { status: "FAILED", detail: `is ${facts.legalHold.value ?? "not set"}, expected ON` };
  return { status: "ok", detail: "ON" };
}

export function retentionCheck(facts: Pick<StoredFacts, "retainUntil">, now: Date): Check {
  const until = facts.retainUntil;
  if (!until.ok) return { status: "UNKNOWN", detail: until.error };
  if (until.value === undefined) return { status: "FAILED", detail: "no retention set" };
  if (until.value.getTime() <= now.getTime()) return { status: "FAILED", detail: `expired ${until.value.toISOString()}` };
  return { status: "ok", detail: `until ${until.value.toISOString()}` };
}
