// The program: typed config in, components composed, outputs out. No resource
// logic lives here; see components/.
import { ExportPipeline } from "../components/exportPipeline";
import { ExportWorkerRole } from "../components/exportWorkerRole";
import { GenesysIntegration } from "../components/genesysIntegration";
import { LegalHoldArchive } from "../components/legalHoldArchive";
import { loadStackConfig } from "./stackConfig";

const config = loadStackConfig();
const { genesys } = config;
const tags = { ...config.tags, Project: "legal-hold-archive", ManagedBy: "pulumi" };

// Created first so the archive's bucket and key policies can name the writer.
const exportWorker = new ExportWorkerRole(`${config.namePrefix}-export-worker`, { tags });

const archive = new LegalHoldArchive(`${config.namePrefix}-archive`, {
  writerRoles: [exportWorker],
  adminPrincipalArns: config.adminPrincipalArns,
  reviewerPrincipalArns: config.reviewerPrincipalArns,
  reviewerCidrs: config.reviewerCidrs,
  retention: config.retention,
  coldStorageAfterDays: config.coldStorageAfterDays,
  deepArchiveAfterDays: config.deepArchiveAfterDays,
  accessLogRetentionDays: config.accessLogRetentionDays,
  tags,
});

const pipeline = new ExportPipeline(`${config.namePrefix}-export`, {
  workerRole: exportWorker,
  archiveBucketName: archive.bucketName,
  archiveKeyArn: archive.keyArn,
  signingKeyArn: archive.signingKeyArn,
  genesysApiBaseUrl: genesys.apiBaseUrl,
  genesysLoginBaseUrl: genesys.loginBaseUrl,
  recordingFormatId: genesys.recordingFormatId,
  genesysRateLimitPerMinute: genesys.rateLimitPerMinute,
  logRetentionDays: config.logRetentionDays,
  alarmTopicArn: config.alarmTopicArn || undefined,
  tags,
});

const genesysSide = new GenesysIntegration(`${config.namePrefix}-genesys`, {
  organizationId: genesys.organizationId,
  genesysAccountId: genesys.invokerAccountId,
  intakeFunctionArn: pipeline.intakeFunctionArn,
  credentialsSecretId: pipeline.credentialsSecretArn,
  exportUnredactedMedia: genesys.exportUnredactedMedia,
  tokenValiditySeconds: genesys.tokenValiditySeconds,
  divisionId: genesys.roleDivisionId,
  tags,
});

export const archiveBucketName = archive.bucketName;
export const archiveBucketArn = archive.bucketArn;
export const archiveKeyArn = archive.keyArn;
export const archiveKeyAlias = archive.keyAliasName;
export const custodySigningKeyArn = archive.signingKeyArn;
export const accessLogBucketName = archive.accessLogBucketName;
export const exportWorkerRoleArn = exportWorker.arn;
export const intakeFunctionArn = pipeline.intakeFunctionArn;
export const exportQueueUrl = pipeline.queueUrl;
export const deadLetterQueueUrl = pipeline.deadLetterQueueUrl;
export const genesysCredentialsSecretArn = pipeline.credentialsSecretArn;
export const genesysApiBaseUrl = genesys.apiBaseUrl;
export const genesysLoginBaseUrl = genesys.loginBaseUrl;
export const genesysInvokerRoleArn = genesysSide.invokerRoleArn;
export const genesysIntegrationId = genesysSide.integrationId;
export const genesysExportActionId = genesysSide.actionId;
export const genesysOauthClientId = genesysSide.oauthClientId;
