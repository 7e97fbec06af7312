// `npm run hold:release -- --bucket BUCKET --case ID --reason TEXT [--yes]`:
// lifts the legal holds of one case, as the hold-release role (an AWS profile
// with role_arn, external_id and mfa_serial). Dry run by default: lists every
// object version under cases/{ID}/ with its hold, and the conversations whose
// Genesys deletion protection the release would revoke. With --yes: sets each
// hold OFF, writes one signed release record beside the case, then revokes
// Genesys deletion protection for conversations no other unreleased case
// holds. COMPLIANCE retention still applies afterwards.
// Exit 0 done (or dry run), 1 not completed (the output names what is left;
// run it again), 2 bad usage or configuration (nothing changed).

import { join } from "node:path";
import { KMSClient } from "@aws-sdk/client-kms";
import { CASE_ID_PATTERN } from "../../components/genesys/exportRequestContract";
import { genesysEndpoints, isGenesysRegion } from "../../components/genesysRegions";
import { createCustodySigner } from "../../lambda/custody/custodySigner";
import { loadStackSettings } from "../engine/stackSettings";
import { archiveS3Client } from "./archiveS3Client";
import { type CliValues, type CommandSpec, InputError, UsageError } from "./cliArgs";
import { CallerIdentityError, getCallerIdentity } from "./holdRelease/callerIdentity";
import { ArchiveReadError } from "./holdRelease/caseInventory";
import { type RevocationTarget, releaseClientFrom } from "./holdRelease/genesysRevocation";
import { EXIT_NOT_COMPLETED, type ReleaseOptions, releaseCase } from "./holdRelease/releaseCase";
import { releaseCredentials } from "./holdRelease/releaseCredentials";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const HOLD_RELEASE: CommandSpec = {
  name: "hold:release",
  summary:
    "Lifts the legal holds of one case, run as the hold-release role. Without --yes it only lists every object version of the case with its hold and the Genesys conversations whose deletion protection it would revoke. With --yes it sets each hold OFF, writes one signed release record (cases/ID/releases/…release.dsse.json), then revokes Genesys deletion protection (client from GENESYS_RELEASE_CLIENT_ID/GENESYS_RELEASE_CLIENT_SECRET) for conversations no other unreleased case holds. COMPLIANCE retention still applies. A run that stops part-way is completed by running it again.",
  options: {
    bucket: { type: "string", value: "BUCKET", description: "The archive bucket." },
    case: { type: "string", value: "ID", description: "The case to release." },
    reason: { type: "string", value: "TEXT", description: "Why the case is released (recorded, signed, in the release record)." },
    yes: { type: "boolean", default: false, description: "Release: without it nothing changes (dry run)." },
    "signing-key": { type: "string", value: "ARN", description: "The custody signing key (KMS, ECC_NIST_P256); needed with --yes." },
    "skip-genesys": {
      type: "boolean",
      default: false,
      description: "Do not call Genesys; print the conversations whose deletion protection to revoke by hand.",
    },
    stack: { type: "string", value: "NAME", default: "prod", description: "The stack whose Genesys region to use: Pulumi.NAME.yaml." },
  },
  exitCodes: "0 released (or dry run), 1 not completed (what is left is named; run again), 2 bad usage or configuration (nothing changed)",
};

const CASE_ID = new RegExp(CASE_ID_PATTERN, "u");
const MAX_REASON = 1000;

function parseOptions(values: CliValues): ReleaseOptions & { signingKeyArn?: string; stack: string } {
  const caseId = values.case;
  if (typeof caseId !== "string" || caseId === "") throw new UsageError("--case is required: the case id to release");
  if (!CASE_ID.test(caseId))
    throw new UsageError(`--case ${JSON.stringify(caseId)} is not a case id (1-64 of letters, digits, . _ -, not starting with .)`);
  const reason = typeof values.reason === "string" ? values.reason.trim() : "";
  if (reason === "")
    throw new UsageError('--reason is required and may not be empty: say why the case is released, e.g. --reason "matter closed"');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (reason.length > MAX_REASON || /[\u0000-\u001f\u007f]/u.test(reason))
    throw new UsageError(`--reason must be one line of at most ${MAX_REASON} printable characters`);
  const bucket = values.bucket;
  if (typeof bucket !== "string" || bucket.trim() === "") throw new UsageError("--bucket is required: the archive bucket");
  const signingKeyArn = values["signing-key"] as string | undefined;
  const yes = values.yes === true;
  if (yes && (signingKeyArn === undefined || !/^arn:aws[\w-]*:kms:/u.test(signingKeyArn)))
    throw new UsageError("--signing-key ARN is required with --yes: the custody signing key's ARN (stack output signingKeyArn)");
  return { bucket, caseId, reason, yes, skipGenesys: values["skip-genesys"] === true, signingKeyArn, stack: values.stack as string };
}

/** The Genesys release client and hosts; checked before anything changes. */
function revocationTarget(env: NodeJS.ProcessEnv, stack: string): RevocationTarget {
  const client = releaseClientFrom(env);
  if (Array.isArray(client))
    throw new InputError(
      `set ${client.join(" and ")} to the Genesys release OAuth client (only recording:deletionProtection:revoke), or give --skip-genesys and revoke by hand; nothing changed`,
    );
  let apiBaseUrl = env.GENESYS_API_BASE_URL;
  let loginBaseUrl = env.GENESYS_LOGIN_BASE_URL;
  if (!apiBaseUrl || !loginBaseUrl) {
    const settings = loadStackSettings(join(__dirname, "..", ".."), stack);
    const region = settings.config[`${settings.project}:genesysRegion`] ?? "";
    if (!isGenesysRegion(region))
      throw new InputError(`Pulumi.${stack}.yaml: genesysRegion ${JSON.stringify(region)} is not a Genesys Cloud region`);
    const endpoints = genesysEndpoints(region);
    apiBaseUrl ||= endpoints.apiBaseUrl;
    loginBaseUrl ||= endpoints.loginBaseUrl;
  }
  return { http: { fetch, timeoutMs: 30_000, consequence: "deletion protection not revoked" }, apiBaseUrl, loginBaseUrl, client };
}

export interface HoldReleaseIo {
  /** Where the MFA code is read from. @default process.stdin */
  input?: NodeJS.ReadableStream;
  out?: Writable;
  err?: Writable;
  env?: NodeJS.ProcessEnv;
}

export function main(argv: string[], io: HoldReleaseIo = {}): Promise<number> {
  const out = io.out ?? process.stdout;
  const err = io.err ?? process.stderr;
  const env = io.env ?? process.env;
  return runCommand(HOLD_RELEASE, argv, { out, err, env }, async (values) => {
    const options = parseOptions(values);
    const revocation = options.yes && !options.skipGenesys ? revocationTarget(env, options.stack) : undefined;
    const credentials = releaseCredentials({ env, input: io.input, prompt: process.stderr });
    const s3 = archiveS3Client(env, credentials);
    const kms = options.signingKeyArn
      ? new KMSClient({ credentials, ...(env.AWS_ENDPOINT_URL_KMS ? { endpoint: env.AWS_ENDPOINT_URL_KMS } : {}) })
      : undefined;
    try {
      let identity: Awaited<ReturnType<typeof getCallerIdentity>>;
      try {
        identity = await getCallerIdentity(env, credentials);
      } catch (error) {
        if (error instanceof CallerIdentityError) throw new InputError(`${error.message}; nothing changed`);
        throw error;
      }
      return await releaseCase(
        {
          s3,
          identity,
          signer: kms && options.signingKeyArn ? createCustodySigner({ kms, signingKeyArn: options.signingKeyArn }) : undefined,
          revocation,
          out: (line) => out.write(`${line}\n`),
          progress: (line) => err.write(`${line}\n`),
          now: () => new Date(),
        },
        options,
      );
    } catch (error) {
      if (!(error instanceof ArchiveReadError)) throw error;
      err.write(`NOT COMPLETED: ${error.message}; nothing was changed. Run the same command again once S3 answers.\n`);
      return EXIT_NOT_COMPLETED;
    } finally {
      s3.destroy();
      kms?.destroy();
    }
  });
}

if (require.main === module) startCommand((argv) => main(argv));
