import type { KeyObject } from "node:crypto";
import { STATEMENT_TYPE } from "../../../lambda/custody/custodyStatement";
import { IN_TOTO_PAYLOAD_TYPE, parseEnvelope } from "../../../lambda/custody/dsse";
import { dsseSignatureCheck } from "./dsseSignature";
import type { RecordCheck } from "./recordReport";

/**
 * Reads a signed case record (release, case export, export job): a DSSE
 * envelope whose payload is an in-toto Statement v1 of `predicateType`.
 * Answers the "record" and "signature" checks, and the statement when it has
 * the expected shape (its subject and predicate are the caller's to check).
 */

type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
export const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

export interface SignedStatement {
  subject: unknown;
  predicate: Json;
}

export async function checkSignedStatement(
  bytes: Buffer,
  predicateType: string,
  publicKeyFor: (keyId: string) => Promise<KeyObject>,
  describeError: (error: unknown) => string,
): Promise<{ statement: SignedStatement | undefined; checks: RecordCheck[] }> {
  let envelope: ReturnType<typeof parseEnvelope>;
  try {
    envelope = parseEnvelope(bytes.toString("utf8"));
  } catch (error) {
    return {
      statement: undefined,
      checks: [
        { name: "record", status: "FAILED", detail: (error as Error).message },
        { name: "signature", status: "FAILED", detail: "no valid record" },
      ],
    };
  }
  const problems: string[] = [];
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    problems.push(`payloadType is ${envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope.payloadBytes.toString("utf8"));
  } catch (error) {
    problems.push(`the payload is not JSON (${(error as Error).message})`);
  }
  if (parsed !== undefined && !isObject(parsed)) problems.push("the payload is not a JSON object");
  const statement = isObject(parsed) ? parsed : undefined;
  if (statement) {
    if (statement._type !== STATEMENT_TYPE) problems.push(`_type is ${shown(statement._type)}, expected ${STATEMENT_TYPE}`);
    if (statement.predicateType !== predicateType)
      problems.push(`predicateType is ${shown(statement.predicateType)}, expected ${predicateType}`);
    if (!isObject(statement.predicate)) problems.push("predicate is missing");
  }
  const checks: RecordCheck[] = [
    { name: "record", status: problems.length === 0 ? "ok" : "FAILED", detail: problems.join("; ") || "DSSE, in-toto Statement v1" },
    { name: "signature", ...(await dsseSignatureCheck(envelope, publicKeyFor, describeError)) },
  ];
  const valid = problems.length === 0 && statement && isObject(statement.predicate);
  return { statement: valid ? { subject: statement.subject, predicate: statement.predicate as Json } : undefined, checks };
}
