import { S3Client } from "@aws-sdk/client-s3";
import type { CallGate } from "./callGate";
import { type FakeGenesys, startFakeGenesys } from "./fakeGenesys";
import { type FakeKms, startFakeKms } from "./fakeKms";
import { type FakeSecretsManager, startFakeSecretsManager } from "./fakeSecretsManager";
import { type LocalS3, S3RVER_CREDENTIALS, startLocalS3 } from "./s3";

/**
 * Everything the worker talks to, on 127.0.0.1: s3rver behind the Object Lock
 * proxy, Secrets Manager, KMS (Sign, for the custody signatures), and Genesys
 * (login, API, CDN). `workerEnv` is the
 * Lambda environment that points the real handler at them.
 */

export const WIRE_BUCKET = "legal-hold-archive-wire";
export const WIRE_KMS_KEY_ARN = "arn:aws:kms:eu-west-2:111122223333:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
export const WIRE_SIGNING_KEY_ARN = "arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f";
export const WIRE_SECRET_ARN = "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-wire-AbCdEf";
export const WIRE_FUNCTION_ARN = "arn:aws:lambda:eu-west-2:111122223333:function:legal-hold-worker";
export const WIRE_REGION = "eu-west-2";

export interface WireEnvironment {
  s3: LocalS3;
  genesys: FakeGenesys;
  secrets: FakeSecretsManager;
  /** Signs with a local P-256 key; its public key verifies the stored signature files. */
  kms: FakeKms;
  /** The worker's Lambda environment, pointing at the loopback servers. */
  workerEnv: Record<string, string>;
  /** An S3 client for assertions; it goes through the proxy like the worker. */
  client: S3Client;
  close(): Promise<void>;
}

export interface WireEnvironmentOptions {
  /** @default 3 */
  transcodePollAttempts?: number;
  /** @default 50 */
  transcodePollIntervalMs?: number;
  /** Extra buckets (without Object Lock), e.g. for a baseline copy. */
  plainBuckets?: string[];
  /** Parent folder of s3rver's store. @default os.tmpdir() */
  parentDirectory?: string;
  /** Shared by every fake: sees each call the worker makes first, and may stop it (see callGate.ts). */
  gate?: CallGate;
}

export async function startWireEnvironment(options: WireEnvironmentOptions = {}): Promise<WireEnvironment> {
  const s3 = await startLocalS3({
    buckets: [{ name: WIRE_BUCKET, objectLock: true }, ...(options.plainBuckets ?? []).map((name) => ({ name, objectLock: false }))],
    parentDirectory: options.parentDirectory,
    gate: options.gate,
  });
  const genesys = await startFakeGenesys({ gate: options.gate });
  const secrets = await startFakeSecretsManager(
    { [WIRE_SECRET_ARN]: JSON.stringify({ clientId: genesys.clientId, clientSecret: genesys.clientSecret }) },
    options.gate,
  );
  const kms = await startFakeKms(WIRE_SIGNING_KEY_ARN, options.gate);
  const workerEnv: Record<string, string> = {
    ARCHIVE_BUCKET: WIRE_BUCKET,
    ARCHIVE_KMS_KEY_ARN: WIRE_KMS_KEY_ARN,
    SIGNING_KEY_ARN: WIRE_SIGNING_KEY_ARN,
    GENESYS_CREDENTIALS_SECRET_ARN: WIRE_SECRET_ARN,
    GENESYS_API_BASE_URL: genesys.apiBaseUrl,
    GENESYS_LOGIN_BASE_URL: genesys.loginBaseUrl,
    RECORDING_FORMAT_ID: "WAV",
    TRANSCODE_POLL_ATTEMPTS: String(options.transcodePollAttempts ?? 3),
    TRANSCODE_POLL_INTERVAL_MS: String(options.transcodePollIntervalMs ?? 50),
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL: "",
    AWS_REGION: WIRE_REGION,
    AWS_DEFAULT_REGION: WIRE_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    AWS_EC2_METADATA_DISABLED: "true",
    // Powertools prints through the global console in dev mode, where tests can read the log lines.
    POWERTOOLS_DEV: "true",
    POWERTOOLS_LOG_LEVEL: "INFO",
    AWS_LAMBDA_FUNCTION_NAME: "legal-hold-worker",
    // The Lambda runtime is Node 22+; this test host may be older, which is not what the tests are about.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  let client: S3Client | undefined;
  return {
    s3,
    genesys,
    secrets,
    kms,
    workerEnv,
    get client() {
      // Built on first use, once the test has stubbed the environment.
      client ??= new S3Client({ region: WIRE_REGION, endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
      return client;
    },
    async close() {
      client?.destroy();
      await Promise.all([s3.close(), genesys.close(), secrets.close(), kms.close()]);
    },
  };
}
