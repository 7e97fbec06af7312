import { caseExportRecordKey, caseRoutingKey } from "../../../lambda/bulk/caseRouting";
import { type LandingKeyError, metadataKeysFor, parseLandingKey } from "../../../lambda/bulk/landingKey";

/**
 * The checks a record of a bulk-exported recording (written by the landing
 * sealer) gets beyond those of every record: its `bulkExport` origin must be
 * consistent with the rest of the signed statement and with where the media
 * was found — the landing key names the same conversation, recording and file,
 * the landing object had the archived size, the Genesys metadata named the
 * same ids, and the routing points at this case's case-export record.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const SHA256_HEX = /^[0-9a-f]{64}$/u;

/** Problems with a record's bulkExport origin; empty when consistent. `mediaKey` is where the media was found. */
export function bulkExportProblems(manifest: Json, mediaKey: string): string[] {
  const origin = manifest.bulkExport;
  if (!isObject(origin)) return ["bulkExport is not an object"];
  const problems: string[] = [];
  const landing = isObject(origin.landing) ? origin.landing : {};
  const metadata = isObject(origin.genesysMetadata) ? origin.genesysMetadata : {};
  const summary = isObject(metadata.summary) ? metadata.summary : {};
  const routing = isObject(origin.routing) ? origin.routing : {};
  const caseId = String(manifest.caseId);
  const conversationId = String(manifest.conversationId);

  let landed: ReturnType<typeof parseLandingKey> | undefined;
  try {
    landed = parseLandingKey(String(landing.key));
  } catch (error) {
    problems.push(`landing.key ${(error as LandingKeyError).reason ?? "is not a landing key"}`);
  }
  if (landed) {
    if (landed.kind !== "recording") problems.push("landing.key names a metadata file, not a recording");
    else {
      if (landed.conversationId !== conversationId) problems.push(`landing.key names conversation ${landed.conversationId}`);
      if (landed.recordingId !== manifest.recordingId) problems.push(`landing.key names recording ${landed.recordingId}`);
      if (!mediaKey.endsWith(`/recordings/${landed.fileName}`)) problems.push(`landing file ${landed.fileName} is not the archived file`);
      if (!metadataKeysFor(landed).includes(String(metadata.key)))
        problems.push(`genesysMetadata.key ${shown(metadata.key)} is not beside the landing recording`);
    }
  }
  if (landing.bytes !== manifest.bytes)
    problems.push(`landing.bytes is ${shown(landing.bytes)}, the archived copy ${shown(manifest.bytes)}`);
  if (typeof metadata.sha256 !== "string" || !SHA256_HEX.test(metadata.sha256)) problems.push("genesysMetadata.sha256 is not a SHA-256");
  if (summary.conversationId !== conversationId) problems.push(`the Genesys metadata names conversation ${shown(summary.conversationId)}`);
  if (summary.recordingId !== manifest.recordingId) problems.push(`the Genesys metadata names recording ${shown(summary.recordingId)}`);
  if (routing.key !== caseRoutingKey(conversationId, caseId))
    problems.push(`routing.key ${shown(routing.key)} does not route this conversation to this case`);
  if (routing.exportId !== manifest.jobId) problems.push(`routing.exportId ${shown(routing.exportId)} is not the record's jobId`);
  if (routing.caseRecordKey !== caseExportRecordKey(caseId, String(routing.exportId))) {
    problems.push(`routing.caseRecordKey ${shown(routing.caseRecordKey)} is not this case's export record`);
  }
  const times = isObject(manifest.times) ? manifest.times : {};
  if (routing.requestedAt !== times.requestedAt) problems.push("routing.requestedAt differs from the record's requestedAt");
  if (routing.requestedBy !== manifest.requestedBy) problems.push("routing.requestedBy differs from the record's requestedBy");
  if (manifest.source !== null) problems.push("source must be null: the bytes came from the landing bucket, not a Genesys media URI");
  return problems;
}
