import { Logger } from "@aws-lambda-powertools/logger";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Context } from "aws-lambda";
import type { CustodySigner } from "../custody/custodySigner";
import { createCustodySigner } from "../custody/custodySigner";
import { createGenesysBulkClient, type GenesysBulkClient } from "../genesys/bulkExportClient";
import { createGenesysTransport } from "../genesys/genesysClient";
import { createTokenProvider } from "../genesys/tokenProvider";
import { type CaseExportEnv, readCaseExportEnv } from "../shared/env";
import { InvalidCaseExportRequestError, parseCaseExportEvent } from "./caseExportRequest";
import { type CaseStatusAnswer, caseStatus } from "./caseStatus";
import { type CaseExportAnswer, exportCase } from "./exportCase";

/**
 * The case-export function: the CLI (case:export, case:status) and the
 * Genesys data action invoke it. A data action waits at most 60 s; a large
 * case can take longer, but a synchronously invoked function runs on to its
 * own timeout when the caller stops waiting, and a re-run continues where
 * the last one stopped (see exportCase.ts).
 */

export interface CaseExportHandlerDeps {
  env: CaseExportEnv;
  s3: S3Client;
  genesys: GenesysBulkClient;
  signer: CustodySigner;
  logger: Logger;
  /** @default () => new Date() */
  now?: () => Date;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** @default 10 */
  jobReadyPollAttempts?: number;
  /** @default 3000 */
  jobReadyPollIntervalMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createCaseExportHandler(deps: CaseExportHandlerDeps) {
  const { env, s3, logger } = deps;
  return async (event: unknown, context?: Context): Promise<CaseExportAnswer | CaseStatusAnswer> => {
    if (context) logger.addContext(context);
    let request: ReturnType<typeof parseCaseExportEvent>;
    try {
      request = parseCaseExportEvent(event);
    } catch (error) {
      if (error instanceof InvalidCaseExportRequestError) logger.warn("case export request rejected", { problems: error.problems });
      throw error;
    }
    const landing = { s3, bucket: env.landingBucket };
    if (request.operation === "status") {
      return caseStatus({ archive: { s3, bucket: env.archiveBucket }, landing, genesys: deps.genesys }, request.caseId);
    }
    const answer = await exportCase(
      {
        archive: { s3, bucket: env.archiveBucket, kmsKeyArn: env.archiveKmsKeyArn, signer: deps.signer },
        landing,
        genesys: deps.genesys,
        integrationId: env.bulkIntegrationId,
        functionArn: context?.invokedFunctionArn ?? "unknown",
        awsRequestId: context?.awsRequestId ?? "unknown",
        now: deps.now ?? (() => new Date()),
        sleep: deps.sleep ?? defaultSleep,
        jobReadyPollAttempts: deps.jobReadyPollAttempts ?? 10,
        jobReadyPollIntervalMs: deps.jobReadyPollIntervalMs ?? 3000,
        includeScreenRecordings: true,
        log: (message, details) => logger.info(message, details),
      },
      request,
    );
    // Ids and counts only: requestedBy may be a person's name.
    logger.info("case export", { caseId: answer.caseId, exportId: answer.exportId, status: answer.status, jobs: answer.jobs.length });
    return answer;
  };
}

/** The deployed dependencies, from the environment (exported so wire tests can shorten the job polling). */
export function defaultCaseExportDeps(): CaseExportHandlerDeps {
  const env = readCaseExportEnv();
  // Clients honour AWS_ENDPOINT_URL_S3 / _SECRETS_MANAGER / _KMS themselves; local S3 servers need path-style URLs.
  const s3 = new S3Client({ forcePathStyle: env.s3ForcePathStyle });
  const tokens = createTokenProvider({
    secretsManager: new SecretsManagerClient({}),
    secretId: env.genesysCredentialsSecretArn,
    loginBaseUrl: env.genesysLoginBaseUrl,
  });
  const genesys = createGenesysBulkClient(createGenesysTransport({ apiBaseUrl: env.genesysApiBaseUrl, tokens }));
  const signer = createCustodySigner({ kms: new KMSClient({}), signingKeyArn: env.signingKeyArn });
  return { env, s3, genesys, signer, logger: new Logger() };
}

/** Built once per cold start: clients, the cached token and configuration errors live with the container. */
export const handler = createCaseExportHandler(defaultCaseExportDeps());
