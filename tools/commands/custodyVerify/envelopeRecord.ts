import type { KeyObject } from "node:crypto";
import { CUSTODY_PREDICATE_TYPE, STATEMENT_TYPE } from "../../../lambda/custody/custodyStatement";
import { IN_TOTO_PAYLOAD_TYPE, parseEnvelope } from "../../../lambda/custody/dsse";
import { dsseSignatureCheck } from "./dsseSignature";

/**
 * Checks one custody record as the worker stores it now: a DSSE envelope
 * whose payload is an in-toto Statement v1 about the media key. Answers the
 * predicate (the manifest's facts), to compare with the media and with S3
 * like an old-style manifest, and the record's own checks.
 */

type Json = Record<string, unknown>;
export type EnvelopeCheck = { name: "custody record" | "subject" | "signature"; status: "ok" | "FAILED" | "UNKNOWN"; detail: string };

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export async function checkEnvelopeRecord(
  bytes: Buffer,
  mediaKey: string,
  publicKeyFor: (keyId: string) => Promise<KeyObject>,
  describeError: (error: unknown) => string,
): Promise<{ predicate: Json | undefined; checks: EnvelopeCheck[] }> {
  const checks: EnvelopeCheck[] = [];
  let envelope: ReturnType<typeof parseEnvelope>;
  try {
    envelope = parseEnvelope(bytes.toString("utf8"));
  } catch (error) {
    checks.push({ name: "custody record", status: "FAILED", detail: (error as Error).message });
    checks.push({ name: "subject", status: "FAILED", detail: "no valid record" });
    checks.push({ name: "signature", status: "FAILED", detail: "no valid record" });
    return { predicate: undefined, checks };
  }

  // The statement.
  const problems: string[] = [];
  let statement: Json | undefined;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    problems.push(`payloadType is ${envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  try {
    const parsed: unknown = JSON.parse(envelope.payloadBytes.toString("utf8"));
    if (isObject(parsed)) statement = parsed;
    else problems.push("the payload is not a JSON object");
  } catch (error) {
    problems.push(`the payload is not JSON (${(error as Error).message})`);
  }
  if (statement) {
    if (statement._type !== STATEMENT_TYPE) problems.push(`_type is ${shown(statement._type)}, expected ${STATEMENT_TYPE}`);
    if (statement.predicateType !== CUSTODY_PREDICATE_TYPE) {
      problems.push(`predicateType is ${shown(statement.predicateType)}, expected ${CUSTODY_PREDICATE_TYPE}`);
    }
    if (!isObject(statement.predicate)) problems.push("predicate is missing");
  }
  const predicate = problems.length === 0 && statement && isObject(statement.predicate) ? statement.predicate : undefined;
  checks.push({
    name: "custody record",
    status: problems.length === 0 ? "ok" : "FAILED",
    detail: problems.join("; ") || "DSSE, in-toto Statement v1",
  });

  // The subject: exactly this media key, with the digest the predicate records.
  const subjects = Array.isArray(statement?.subject) ? (statement.subject as unknown[]) : [];
  const subject = subjects.length === 1 && isObject(subjects[0]) ? subjects[0] : undefined;
  const digest = subject && isObject(subject.digest) ? subject.digest.sha256 : undefined;
  if (!subject) checks.push({ name: "subject", status: "FAILED", detail: `expected one subject, found ${subjects.length}` });
  else if (subject.name !== mediaKey)
    checks.push({ name: "subject", status: "FAILED", detail: `names ${shown(subject.name)}, not this media` });
  else if (!predicate || digest !== predicate.sha256) {
    checks.push({
      name: "subject",
      status: "FAILED",
      detail: `digest ${shown(digest)} differs from the predicate's sha256 ${shown(predicate?.sha256)}`,
    });
  } else checks.push({ name: "subject", status: "ok", detail: "" });

  checks.push({ name: "signature", ...(await dsseSignatureCheck(envelope, publicKeyFor, describeError)) });
  return { predicate, checks };
}
