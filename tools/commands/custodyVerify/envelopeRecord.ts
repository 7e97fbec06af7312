import type { KeyObject } from "node:crypto";
import { CUSTODY_PREDICATE_TYPE } from "../../../lambda/custody/custodyStatement";
import { checkSignedStatement, isObject, shown } from "./signedStatement";

/**
 * Checks one custody record as the worker stores it now: a DSSE envelope
 * whose payload is an in-toto Statement v1 about the media key. Answers the
 * predicate (the manifest's facts), to compare with the media and with S3
 * like an old-style manifest, and the record's own checks.
 */

type Json = Record<string, unknown>;
export type EnvelopeCheck = { name: "custody record" | "subject" | "signature"; status: "ok" | "FAILED" | "UNKNOWN"; detail: string };

export async function checkEnvelopeRecord(
  bytes: Buffer,
  mediaKey: string,
  publicKeyFor: (keyId: string) => Promise<KeyObject>,
  describeError: (error: unknown) => string,
): Promise<{ predicate: Json | undefined; checks: EnvelopeCheck[] }> {
  const signed = await checkSignedStatement(bytes, CUSTODY_PREDICATE_TYPE, publicKeyFor, describeError);
  const checks = signed.checks.map((c) => ({ ...c, name: c.name === "record" ? "custody record" : "signature" }) as EnvelopeCheck);
  const predicate = signed.statement?.predicate;

  // The subject: exactly this media key, with the digest the predicate records.
  const subjects = Array.isArray(signed.statement?.subject) ? (signed.statement.subject as unknown[]) : [];
  const subject = subjects.length === 1 && isObject(subjects[0]) ? subjects[0] : undefined;
  const digest = subject && isObject(subject.digest) ? subject.digest.sha256 : undefined;
  if (!signed.statement) checks.push({ name: "subject", status: "FAILED", detail: "no valid record" });
  else if (!subject) checks.push({ name: "subject", status: "FAILED", detail: `expected one subject, found ${subjects.length}` });
  else if (subject.name !== mediaKey)
    checks.push({ name: "subject", status: "FAILED", detail: `names ${shown(subject.name)}, not this media` });
  else if (!predicate || digest !== predicate.sha256) {
    checks.push({
      name: "subject",
      status: "FAILED",
      detail: `digest ${shown(digest)} differs from the predicate's sha256 ${shown(predicate?.sha256)}`,
    });
  } else checks.push({ name: "subject", status: "ok", detail: "" });
  return { predicate, checks };
}
