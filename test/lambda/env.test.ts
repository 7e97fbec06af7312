import { describe, expect, it } from "vitest";
import { ConfigError, readIntakeEnv, readWorkerEnv } from "../../lambda/shared/env";

const WORKER_ENV = {
  ARCHIVE_BUCKET: "legal-hold-archive",
  ARCHIVE_KMS_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  SIGNING_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/7c6d5e4f-3a2b-4c1d-9e8f-7a6b5c4d3e2f",
  GENESYS_CREDENTIALS_SECRET_ARN: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-AbCdEf",
  GENESYS_API_BASE_URL: "https://api.euw2.pure.cloud",
  GENESYS_LOGIN_BASE_URL: "https://login.euw2.pure.cloud/",
};

describe("worker environment", () => {
  it("applies the defaults and trims trailing slashes", () => {
    expect(readWorkerEnv(WORKER_ENV)).toEqual({
      archiveBucket: "legal-hold-archive",
      archiveKmsKeyArn: WORKER_ENV.ARCHIVE_KMS_KEY_ARN,
      signingKeyArn: WORKER_ENV.SIGNING_KEY_ARN,
      genesysCredentialsSecretArn: WORKER_ENV.GENESYS_CREDENTIALS_SECRET_ARN,
      genesysApiBaseUrl: "https://api.euw2.pure.cloud",
      genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
      recordingFormatId: "WAV",
      transcodePollAttempts: 10,
      transcodePollIntervalMs: 3000,
      recordingsSettleMinutes: 30,
      s3ForcePathStyle: false,
    });
  });

  it("reads the optional settings", () => {
    const env = readWorkerEnv({
      ...WORKER_ENV,
      RECORDING_FORMAT_ID: "OGG_OPUS",
      TRANSCODE_POLL_ATTEMPTS: "3",
      TRANSCODE_POLL_INTERVAL_MS: "0",
      RECORDINGS_SETTLE_MINUTES: "0",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4568",
    });

    expect(env).toMatchObject({
      recordingFormatId: "OGG_OPUS",
      transcodePollAttempts: 3,
      transcodePollIntervalMs: 0,
      recordingsSettleMinutes: 0,
      s3ForcePathStyle: true,
    });
  });

  it("accepts plain http only for a local fake Genesys", () => {
    expect(readWorkerEnv({ ...WORKER_ENV, GENESYS_API_BASE_URL: "http://127.0.0.1:8080" }).genesysApiBaseUrl).toBe("http://127.0.0.1:8080");
    expect(() => readWorkerEnv({ ...WORKER_ENV, GENESYS_API_BASE_URL: "http://api.euw2.pure.cloud" })).toThrow(
      /GENESYS_API_BASE_URL must be an https URL.*set it to https:\/\/api\.<genesys domain>/,
    );
  });

  it.each([
    [{ ARCHIVE_BUCKET: undefined }, "ARCHIVE_BUCKET is missing: set it to the archive bucket's name"],
    [{ ARCHIVE_KMS_KEY_ARN: "alias/archive" }, "ARCHIVE_KMS_KEY_ARN is not a KMS key ARN"],
    [{ SIGNING_KEY_ARN: undefined }, "SIGNING_KEY_ARN is missing: set it to the key ARN (not an alias) of the custody signing key"],
    [{ SIGNING_KEY_ARN: "" }, "SIGNING_KEY_ARN is empty"],
    [{ SIGNING_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:alias/custody" }, "SIGNING_KEY_ARN is not a KMS key ARN"],
    [{ RECORDING_FORMAT_ID: "FLAC" }, "RECORDING_FORMAT_ID is not a known format: set it to one of WAV, WEBM"],
    [{ TRANSCODE_POLL_ATTEMPTS: "ten" }, "TRANSCODE_POLL_ATTEMPTS is not a number"],
    [{ TRANSCODE_POLL_ATTEMPTS: "0" }, "TRANSCODE_POLL_ATTEMPTS must be at least 1"],
    [{ TRANSCODE_POLL_INTERVAL_MS: "1.5" }, "TRANSCODE_POLL_INTERVAL_MS must be a whole number"],
  ])("names the variable and the fix for %j", (change, message) => {
    expect(() => readWorkerEnv({ ...WORKER_ENV, ...change })).toThrow(ConfigError);
    expect(() => readWorkerEnv({ ...WORKER_ENV, ...change })).toThrow(message);
  });
});

describe("intake environment", () => {
  it("reads the queue URL", () => {
    expect(readIntakeEnv({ EXPORT_QUEUE_URL: "https://sqs.eu-west-2.amazonaws.com/111122223333/jobs" })).toEqual({
      exportQueueUrl: "https://sqs.eu-west-2.amazonaws.com/111122223333/jobs",
    });
  });

  it("names EXPORT_QUEUE_URL when it is missing", () => {
    expect(() => readIntakeEnv({})).toThrow("EXPORT_QUEUE_URL is missing: set it to the export queue's URL");
  });
});
