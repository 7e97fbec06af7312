// `npm run case:produce`: produces a case out of the archive as an evidence
// package anyone can re-check without AWS access or this project's code: every
// recording and custody record (streamed to disk, resumable), the signing
// public key, verify's checks, a manifest and SHA256SUMS, and the custody
// report (report.html; report.pdf with --pdf). Needs read access only.
// Exit 0: produced, every recording verified; 1: produced, with problems (the
// report lists them); 2: bad usage, unreadable input, or --out holds another package.

import { hostname, userInfo } from "node:os";
import { archiveS3Client } from "./archiveS3Client";
import { describeIdentity, MANIFEST_FILE, REPORT_HTML, REPORT_PDF } from "./caseProduction/packageLayout";
import { type ProductionOptions, produceCase } from "./caseProduction/production";
import { type CliValues, type CommandSpec, UsageError } from "./cliArgs";
import { runCommand, startCommand, type Writable } from "./runCommand";

export const CASE_PRODUCE: CommandSpec = {
  name: "case:produce",
  summary:
    "Downloads every recording and custody record of a case from the archive bucket into --out, with the signing public key, verifies them as `verify` does, and writes a manifest, SHA256SUMS and a custody report (report.html; report.pdf with --pdf). Re-running resumes and keeps what is complete and verified. Reads only.",
  options: {
    bucket: { type: "string", value: "BUCKET", description: "The archive bucket." },
    case: { type: "string", value: "CASE", description: "The case to produce." },
    out: { type: "string", value: "DIR", description: "The package folder: new, empty, or this same production to resume." },
    conversation: { type: "string", value: "ID[,ID…]", description: "Only these conversations of the case (comma-separated)." },
    "public-key": {
      type: "string",
      value: "FILE.pem",
      description: "The signing key's EC P-256 public key (PEM); without it, it is read from KMS (kms:GetPublicKey).",
    },
    "produced-by": {
      type: "string",
      value: "NAME",
      description: "Who produces the package, as the report names them (default: the local user@host).",
    },
    pdf: { type: "boolean", default: false, description: "Also render report.pdf with headless Chromium (Debian package chromium)." },
  },
  exitCodes:
    "0 produced and every recording verified, 1 produced with problems (listed in the report), 2 bad usage, unreadable input, or --out holds a different package",
};

const ID = /^[A-Za-z0-9._-]+$/u;

function parseOptions(values: CliValues): ProductionOptions {
  const need = (flag: string) => {
    const value = values[flag];
    if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${flag} is required`);
    return value;
  };
  const caseId = need("case");
  if (!ID.test(caseId)) throw new UsageError(`--case ${JSON.stringify(caseId)} is not an id (letters, digits, . _ -)`);
  let conversations: string[] | null = null;
  if (values.conversation !== undefined) {
    conversations = [
      ...new Set(
        String(values.conversation)
          .split(",")
          .map((id) => id.trim()),
      ),
    ].sort();
    for (const id of conversations) {
      if (!ID.test(id))
        throw new UsageError(`--conversation ${JSON.stringify(id)} is not an id (letters, digits, . _ -; several separated by commas)`);
    }
  }
  const publicKeyFile = values["public-key"] as string | undefined;
  if (publicKeyFile !== undefined && publicKeyFile.trim() === "") throw new UsageError("--public-key is empty");
  const producedBy = (values["produced-by"] as string | undefined) ?? defaultProducer();
  if (producedBy.trim() === "") throw new UsageError("--produced-by is empty");
  return { bucket: need("bucket"), caseId, conversations, out: need("out"), publicKeyFile, producedBy, pdf: values.pdf === true };
}

function defaultProducer(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `unknown user@${hostname()}`;
  }
}

export function main(argv: string[], out: Writable = process.stdout, err: Writable = process.stderr): Promise<number> {
  return runCommand(CASE_PRODUCE, argv, { out, err }, async (values) => {
    const options = parseOptions(values);
    const s3 = archiveS3Client();
    try {
      const result = await produceCase(s3, options, (line) => err.write(`${line}\n`));
      const failed = result.recordings.filter((r) => !r.ok).length;
      out.write(
        `produced ${describeIdentity(options)} into ${options.out}: ${result.recordings.length} recording(s), ${result.files.length} files ` +
          `(${result.downloaded} downloaded, ${result.kept} kept from an earlier run); ${result.recordings.length - failed} verified, ${failed} with problems\n` +
          `report: ${options.out}/${REPORT_HTML}${options.pdf ? ` and ${REPORT_PDF}` : ""}; manifest: ${MANIFEST_FILE}; check it offline with npm run verify -- --package ${options.out}\n`,
      );
      for (const problem of result.problems)
        err.write(`${problem.where}: ${problem.check} ${problem.status}${problem.detail ? ` (${problem.detail})` : ""}\n`);
      return failed === 0 ? 0 : 1;
    } finally {
      s3.destroy();
    }
  });
}

if (require.main === module) startCommand(main);
