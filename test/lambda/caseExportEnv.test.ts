import { describe, expect, it } from "vitest";
import { ConfigError, readCaseExportEnv } from "../../lambda/shared/env";

/** The case-export function's environment (bulk contract), validated at cold start with errors naming variable and fix. */

const VALID = {
  ARCHIVE_BUCKET: "legal-hold-archive",
  ARCHIVE_KMS_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/archive",
  SIGNING_KEY_ARN: "arn:aws:kms:eu-west-2:111122223333:key/signing",
  LANDING_BUCKET: "legal-hold-landing",
  GENESYS_CREDENTIALS_SECRET_ARN: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-AbCdEf",
  GENESYS_API_BASE_URL: "https://api.euw2.pure.cloud/",
  GENESYS_LOGIN_BASE_URL: "https://login.euw2.pure.cloud",
  BULK_INTEGRATION_ID: "0b6f7d3e-1111-4222-9333-444455556666",
};

describe("readCaseExportEnv", () => {
  it("reads the contract's variables", () => {
    expect(readCaseExportEnv(VALID)).toEqual({
      archiveBucket: "legal-hold-archive",
      archiveKmsKeyArn: VALID.ARCHIVE_KMS_KEY_ARN,
      signingKeyArn: VALID.SIGNING_KEY_ARN,
      landingBucket: "legal-hold-landing",
      genesysCredentialsSecretArn: VALID.GENESYS_CREDENTIALS_SECRET_ARN,
      genesysApiBaseUrl: "https://api.euw2.pure.cloud",
      genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
      bulkIntegrationId: VALID.BULK_INTEGRATION_ID,
      s3ForcePathStyle: false,
    });
  });

  it.each([
    [{ LANDING_BUCKET: undefined }, "LANDING_BUCKET is missing: set it to the landing bucket's name"],
    [
      { BULK_INTEGRATION_ID: "bulk" },
      "BULK_INTEGRATION_ID is not a UUID: set it to the id of the Genesys aws-s3-recording-bulk-actions-integration",
    ],
    [{ GENESYS_API_BASE_URL: "http://api.example.com" }, "GENESYS_API_BASE_URL must be an https URL"],
  ])("refuses %j naming the variable and the fix", (change, message) => {
    expect(() => readCaseExportEnv({ ...VALID, ...change })).toThrow(ConfigError);
    expect(() => readCaseExportEnv({ ...VALID, ...change })).toThrow(message);
  });
});
