import { en } from "zod/locales";
// zod/mini, not "zod": the classic API cannot be tree-shaken and would add ~440 KB to each Lambda bundle.
import * as z from "zod/mini";

/**
 * The functions' configuration, read from the environment once at cold start
 * and validated, so a mis-deployed function fails on its first invocation with
 * a message naming the variable instead of half-way through an export.
 */

/** Media formats Genesys transcodes recordings into (NONE is excluded: it downloads nothing). */
export const RECORDING_FORMATS = ["WAV", "WEBM", "WAV_ULAW", "OGG_VORBIS", "OGG_OPUS", "MP3"] as const;
export type RecordingFormatId = (typeof RECORDING_FORMATS)[number];

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

export interface IntakeEnv {
  exportQueueUrl: string;
}

export interface WorkerEnv {
  archiveBucket: string;
  archiveKmsKeyArn: string;
  /** The asymmetric (ECC_NIST_P256, SIGN_VERIFY) KMS key that signs each custody manifest's digest. */
  signingKeyArn: string;
  genesysCredentialsSecretArn: string;
  /** Origin-style base without a trailing slash, e.g. https://api.euw2.pure.cloud. */
  genesysApiBaseUrl: string;
  genesysLoginBaseUrl: string;
  recordingFormatId: RecordingFormatId;
  transcodePollAttempts: number;
  transcodePollIntervalMs: number;
  /**
   * How long after a job was requested an empty recordings list is taken for
   * "Genesys has not listed them yet" (the message is retried) rather than
   * "this conversation has no recordings".
   */
  recordingsSettleMinutes: number;
  /** True when AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL points S3 at a local server, which needs path-style addressing. */
  s3ForcePathStyle: boolean;
}

/** The case-export function's configuration (bulk contract: no secret in the environment, only the secret's ARN). */
export interface CaseExportEnv {
  archiveBucket: string;
  archiveKmsKeyArn: string;
  signingKeyArn: string;
  landingBucket: string;
  genesysCredentialsSecretArn: string;
  genesysApiBaseUrl: string;
  genesysLoginBaseUrl: string;
  /** The id of the Genesys aws-s3-recording-bulk-actions-integration the jobs export through. */
  bulkIntegrationId: string;
  s3ForcePathStyle: boolean;
}

/** The landing sealer's settings (bulk-export mode). */
export interface SealerEnv {
  archiveBucket: string;
  archiveKmsKeyArn: string;
  signingKeyArn: string;
  /** The bucket Genesys' bulk export writes to; the only one the sealer reads. */
  landingBucket: string;
  /** Landing keys start with it; objects of any other organization are refused. */
  genesysOrganizationId: string;
  s3ForcePathStyle: boolean;
}

type Environment = Record<string, string | undefined>;

/** How to fix each variable, appended to the error so the message is actionable on its own. */
const FIXES: Record<string, string> = {
  EXPORT_QUEUE_URL: "set it to the export queue's URL (the ExportPipeline component sets it)",
  ARCHIVE_BUCKET: "set it to the archive bucket's name (3-63 lowercase letters, digits, dots, hyphens)",
  ARCHIVE_KMS_KEY_ARN: "set it to the ARN of the archive's KMS key (arn:aws:kms:<region>:<account>:key/<id>)",
  SIGNING_KEY_ARN:
    "set it to the key ARN (not an alias) of the custody signing key, an ECC_NIST_P256 SIGN_VERIFY KMS key (arn:aws:kms:<region>:<account>:key/<id>)",
  GENESYS_CREDENTIALS_SECRET_ARN: "set it to the ARN of the Secrets Manager secret holding { clientId, clientSecret }",
  GENESYS_API_BASE_URL: "set it to https://api.<genesys domain>, e.g. https://api.euw2.pure.cloud",
  GENESYS_LOGIN_BASE_URL: "set it to https://login.<genesys domain>, e.g. https://login.euw2.pure.cloud",
  LANDING_BUCKET: "set it to the landing bucket's name (the bulk export's LandingBucket component output)",
  BULK_INTEGRATION_ID: "set it to the id of the Genesys aws-s3-recording-bulk-actions-integration (a UUID)",
  RECORDING_FORMAT_ID: `set it to one of ${RECORDING_FORMATS.join(", ")} or leave it unset for WAV`,
  TRANSCODE_POLL_ATTEMPTS: "set it to a whole number from 1 to 100 or leave it unset for 10",
  TRANSCODE_POLL_INTERVAL_MS: "set it to a whole number of milliseconds from 0 to 60000 or leave it unset for 3000",
  RECORDINGS_SETTLE_MINUTES: "set it to a whole number of minutes from 0 to 1440 or leave it unset for 30",
};

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Lambda cannot set an empty variable, but shells can: treat "" as unset so defaults apply. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const required = z.string({ error: "is missing" }).check(z.minLength(1, "is empty"));

/** zod/mini ships no messages; English keeps any default message zod words (a non-string variable) as it was. */
const englishMessages = en().localeError;

/**
 * An https base URL without query or fragment. Plain http is accepted only for
 * loopback hosts (tests run fake Genesys servers locally): a bearer token must
 * never cross the network in clear text.
 */
const baseUrl = z.pipe(
  required,
  z.transform((value: string, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.issues.push({ code: "custom", message: `is not a URL ("${value}")`, input: value });
      return z.NEVER;
    }
    const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
    if (!secure || url.search || url.hash || url.username || url.password) {
      ctx.issues.push({
        code: "custom",
        message: `must be an https URL without query, fragment or credentials ("${value}")`,
        input: value,
      });
      return z.NEVER;
    }
    return url.href.replace(/\/+$/, "");
  }),
);

/** What classic zod's z.preprocess builds: a transform piped into the schema. */
const preprocess = <T extends z.ZodMiniType>(fn: (value: unknown) => unknown, schema: T) => z.pipe(z.transform(fn), schema);

const wholeNumber = (min: number, max: number, fallback: number) =>
  preprocess(
    unsetIfEmpty,
    z._default(
      z.coerce
        .number({ error: "is not a number" })
        .check(z.int("must be a whole number"), z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`)),
      fallback,
    ),
  );

const intakeSchema = z.pipe(
  z.object({ EXPORT_QUEUE_URL: z.pipe(required, z.url({ error: "is not a URL" })) }),
  z.transform((env): IntakeEnv => ({ exportQueueUrl: env.EXPORT_QUEUE_URL })),
);

const bucketName = required.check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "is not a valid S3 bucket name"));

/** Where the archive is and who signs its records: the same for the worker, the case export and the sealer. */
const archiveVariables = {
  ARCHIVE_BUCKET: bucketName,
  ARCHIVE_KMS_KEY_ARN: required.check(z.regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/, "is not a KMS key ARN")),
  // A key ARN, not an alias: each signature file names the exact key its public key is fetched from.
  SIGNING_KEY_ARN: required.check(z.regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/, "is not a KMS key ARN")),
  AWS_ENDPOINT_URL_S3: z.optional(z.string()),
  AWS_ENDPOINT_URL: z.optional(z.string()),
};

/** What the worker and the case export add: the archive, the signer, and Genesys. */
const archiveAndGenesysVariables = {
  ...archiveVariables,
  GENESYS_CREDENTIALS_SECRET_ARN: required.check(
    z.regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, "is not a secret ARN"),
  ),
  GENESYS_API_BASE_URL: baseUrl,
  GENESYS_LOGIN_BASE_URL: baseUrl,
};

const workerSchema = z.pipe(
  z.object({
    ...archiveAndGenesysVariables,
    RECORDING_FORMAT_ID: preprocess(unsetIfEmpty, z._default(z.enum(RECORDING_FORMATS, { error: "is not a known format" }), "WAV")),
    TRANSCODE_POLL_ATTEMPTS: wholeNumber(1, 100, 10),
    TRANSCODE_POLL_INTERVAL_MS: wholeNumber(0, 60_000, 3000),
    RECORDINGS_SETTLE_MINUTES: wholeNumber(0, 1440, 30),
  }),
  z.transform(
    (env): WorkerEnv => ({
      archiveBucket: env.ARCHIVE_BUCKET,
      archiveKmsKeyArn: env.ARCHIVE_KMS_KEY_ARN,
      signingKeyArn: env.SIGNING_KEY_ARN,
      genesysCredentialsSecretArn: env.GENESYS_CREDENTIALS_SECRET_ARN,
      genesysApiBaseUrl: env.GENESYS_API_BASE_URL,
      genesysLoginBaseUrl: env.GENESYS_LOGIN_BASE_URL,
      recordingFormatId: env.RECORDING_FORMAT_ID,
      transcodePollAttempts: env.TRANSCODE_POLL_ATTEMPTS,
      transcodePollIntervalMs: env.TRANSCODE_POLL_INTERVAL_MS,
      recordingsSettleMinutes: env.RECORDINGS_SETTLE_MINUTES,
      s3ForcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
    }),
  ),
);

const caseExportSchema = z.pipe(
  z.object({
    ...archiveAndGenesysVariables,
    LANDING_BUCKET: bucketName,
    BULK_INTEGRATION_ID: required.check(
      z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "is not a UUID"),
    ),
  }),
  z.transform(
    (env): CaseExportEnv => ({
      archiveBucket: env.ARCHIVE_BUCKET,
      archiveKmsKeyArn: env.ARCHIVE_KMS_KEY_ARN,
      signingKeyArn: env.SIGNING_KEY_ARN,
      landingBucket: env.LANDING_BUCKET,
      genesysCredentialsSecretArn: env.GENESYS_CREDENTIALS_SECRET_ARN,
      genesysApiBaseUrl: env.GENESYS_API_BASE_URL,
      genesysLoginBaseUrl: env.GENESYS_LOGIN_BASE_URL,
      bulkIntegrationId: env.BULK_INTEGRATION_ID,
      s3ForcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
    }),
  ),
);

const sealerSchema = z.pipe(
  z.object({
    ...archiveVariables,
    LANDING_BUCKET: bucketName,
    GENESYS_ORGANIZATION_ID: required.check(
      z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "is not a UUID"),
    ),
  }),
  z.transform(
    (env): SealerEnv => ({
      archiveBucket: env.ARCHIVE_BUCKET,
      archiveKmsKeyArn: env.ARCHIVE_KMS_KEY_ARN,
      signingKeyArn: env.SIGNING_KEY_ARN,
      landingBucket: env.LANDING_BUCKET,
      genesysOrganizationId: env.GENESYS_ORGANIZATION_ID,
      s3ForcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
    }),
  ),
);

function parseEnv<T>(schema: z.ZodMiniType<T>, env: Environment, role: string): T {
  const result = schema.safeParse(env, { error: englishMessages });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? "environment");
    const fix = FIXES[variable];
    return `${variable} ${issue.message}${fix ? `: ${fix}` : ""}`;
  });
  throw new ConfigError(`The ${role} function is misconfigured. ${problems.join("; ")}.`);
}

/** The intake function's configuration. */
export function readIntakeEnv(env: Environment = process.env): IntakeEnv {
  return parseEnv(intakeSchema, env, "intake");
}

/** The worker function's configuration. */
export function readWorkerEnv(env: Environment = process.env): WorkerEnv {
  return parseEnv(workerSchema, env, "worker");
}

/** The case-export function's configuration. */
export function readCaseExportEnv(env: Environment = process.env): CaseExportEnv {
  return parseEnv(caseExportSchema, env, "case-export");
}

/** The landing sealer's configuration. */
export function readSealerEnv(env: Environment = process.env): SealerEnv {
  return parseEnv(sealerSchema, env, "landing sealer");
}
