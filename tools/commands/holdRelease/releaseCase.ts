import { PutObjectLegalHoldCommand, type S3Client } from "@aws-sdk/client-s3";
import type { CustodySigner } from "../../../lambda/custody/custodySigner";
import { InputError } from "../cliArgs";
import { describeError } from "../custodyVerify/sources";
import { GenesysError } from "../genesysHttp";
import type { CallerIdentity } from "./callerIdentity";
import { type CaseVersion, casePrefixOf, planGenesysRevocation, readArchiveCases, readCaseVersions } from "./caseInventory";
import { type RevocationTarget, revokeDeletionProtection } from "./genesysRevocation";
import { buildReleaseStatement, RETENTION_NOTE, versionToken, writeReleaseRecord } from "./releaseRecord";

/**
 * Releasing a case, in an order that a re-run can always complete: read
 * everything, set each hold that is ON to OFF (versions already OFF are not
 * touched again), then, only once no hold is left, store one signed release
 * record, then revoke Genesys deletion protection. A run stopped anywhere
 * leaves holds OFF or ON (never half), no record or the one record, and the
 * next run picks up what is left.
 */

export interface ReleaseOptions {
  bucket: string;
  caseId: string;
  reason: string;
  yes: boolean;
  skipGenesys: boolean;
}

export interface ReleaseDeps {
  s3: S3Client;
  identity: CallerIdentity;
  /** Needed with --yes. */
  signer?: CustodySigner;
  /** Needed with --yes and without --skip-genesys. */
  revocation?: RevocationTarget;
  out: (line: string) => void;
  progress: (line: string) => void;
  now: () => Date;
}

export const EXIT_DONE = 0;
export const EXIT_NOT_COMPLETED = 1;

const describeVersion = (v: CaseVersion) => `${v.key} (version ${v.versionId}${v.sha256 ? `, sha256 ${v.sha256}` : ""})`;

export async function releaseCase(deps: ReleaseDeps, options: ReleaseOptions): Promise<number> {
  const { s3, out } = deps;
  const { bucket, caseId } = options;
  out(`running as ${deps.identity.arn} (account ${deps.identity.account})`);
  const versions = await readCaseVersions(s3, bucket, caseId, deps.progress);
  if (versions.length === 0)
    throw new InputError(`s3://${bucket}/${casePrefixOf(caseId)} holds no object versions; check --case and --bucket; nothing changed`);
  const cases = await readArchiveCases(s3, bucket);
  const plan = planGenesysRevocation(caseId, cases);
  const held = versions.filter((v) => v.hold === "ON");

  out(`case ${caseId}: ${versions.length} object version(s), ${held.length} with a legal hold ON`);
  for (const v of versions) out(`  hold ${v.hold.padEnd(3)} ${describeVersion(v)}`);
  out(`Genesys deletion protection to revoke: ${plan.revoke.length > 0 ? plan.revoke.join(", ") : "none"}`);
  for (const { conversationId, heldBy } of plan.keep)
    out(`  kept: ${conversationId} is still held by unreleased case(s) ${heldBy.join(", ")}`);

  if (!options.yes) {
    out(`dry run: nothing changed. To release, run again with --yes. ${RETENTION_NOTE}`);
    return EXIT_DONE;
  }
  const { signer } = deps;
  if (!signer) throw new InputError("--signing-key is required with --yes");

  const releasedNow = new Set<string>();
  for (const [index, v] of held.entries()) {
    deps.progress(`setting legal hold OFF: ${index + 1} of ${held.length}: ${v.key}`);
    try {
      await s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId, LegalHold: { Status: "OFF" } }));
    } catch (error) {
      const left = held.slice(index);
      out(
        `NOT COMPLETED: setting the legal hold of ${describeVersion(v)} OFF failed: ${describeError(error)}.\n` +
          `${releasedNow.size} of ${held.length} hold(s) set OFF by this run; ${left.length} still ON:\n` +
          `${left.map((l) => `  ${describeVersion(l)}`).join("\n")}\n` +
          "No release record was written. Run the same command again to finish: holds already OFF are left as they are.",
      );
      return EXIT_NOT_COMPLETED;
    }
    releasedNow.add(versionToken(v));
  }

  if (releasedNow.size === 0 && cases.released.has(caseId)) {
    out(`every hold of case ${caseId} was already OFF and its release record exists; no new record written`);
  } else {
    const statement = buildReleaseStatement({
      caseId,
      bucket,
      reason: options.reason,
      releasedBy: deps.identity,
      releasedAt: deps.now(),
      versions,
      releasedNow,
      revoke: plan.revoke,
    });
    let written: Awaited<ReturnType<typeof writeReleaseRecord>>;
    try {
      written = await writeReleaseRecord({ s3, signer, bucket }, statement);
    } catch (error) {
      out(
        `NOT COMPLETED: every hold of case ${caseId} is OFF, but ${(error as Error).message}. ` +
          "Run the same command again to write the release record and revoke Genesys deletion protection.",
      );
      return EXIT_NOT_COMPLETED;
    }
    out(
      written.outcome === "written"
        ? `released ${releasedNow.size} hold(s); release record written: s3://${bucket}/${written.key}`
        : `released ${releasedNow.size} hold(s); the release record s3://${bucket}/${written.key} was already written by another run`,
    );
  }

  if (plan.revoke.length === 0) {
    out(`no Genesys deletion protection to revoke. ${RETENTION_NOTE}`);
    return EXIT_DONE;
  }
  if (options.skipGenesys) {
    out(
      `--skip-genesys: revoke Genesys deletion protection by hand (PUT /api/v2/recordings/deletionprotection?protect=false, permission recording:deletionProtection:revoke) for: ${plan.revoke.join(", ")}. ${RETENTION_NOTE}`,
    );
    return EXIT_DONE;
  }
  if (!deps.revocation) throw new InputError("the Genesys release client is not configured");
  try {
    await revokeDeletionProtection(deps.revocation, plan.revoke);
  } catch (error) {
    if (!(error instanceof GenesysError)) throw error;
    out(
      `NOT COMPLETED: the holds are OFF and the release record is stored, but revoking Genesys deletion protection failed: ${error.message}. ` +
        "Run the same command again to finish (or add --skip-genesys and revoke by hand).",
    );
    return EXIT_NOT_COMPLETED;
  }
  out(`revoked Genesys deletion protection of ${plan.revoke.length} conversation(s): ${plan.revoke.join(", ")}. ${RETENTION_NOTE}`);
  return EXIT_DONE;
}
