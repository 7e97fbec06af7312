// The program: typed config in, components composed, outputs out. No resource
// logic lives here; see components/.
import { ExportPipeline } from "../components/exportPipeline";
import { ExportWorkerRole } from "../components/exportWorkerRole";
import { GenesysIntegration } from "../components/genesysIntegration";
import { HoldReleaseRole } from "../components/holdReleaseRole";
import { LegalHoldArchive } from "../components/legalHoldArchive";
import { componentArgs } from "./componentArgs";
import { loadStackConfig } from "./stackConfig";

const config = loadStackConfig();
const { genesys } = config;
const components = componentArgs(config);

// Created first so the archive's bucket and key policies can name the writer.
const exportWorker = new ExportWorkerRole(components.exportWorkerRole.name, components.exportWorkerRole.args);

// Also first, so the bucket policy can name the one role that may set a hold OFF.
const holdRelease = components.holdReleaseRole
  ? new HoldReleaseRole(components.holdReleaseRole.name, components.holdReleaseRole.args)
  : undefined;

const archive = new LegalHoldArchive(components.archive.name, {
  ...components.archive.args,
  writerRoles: [exportWorker],
  holdReleaseRole: holdRelease,
});

const pipeline = new ExportPipeline(components.exportPipeline.name, {
  ...components.exportPipeline.args,
  workerRole: exportWorker,
  archiveBucketName: archive.bucketName,
  archiveKeyArn: archive.keyArn,
  signingKeyArn: archive.signingKeyArn,
});

const genesysSide = new GenesysIntegration(components.genesysIntegration.name, {
  ...components.genesysIntegration.args,
  intakeFunctionArn: pipeline.intakeFunctionArn,
  credentialsSecretId: pipeline.credentialsSecretArn,
});

export const archiveBucketName = archive.bucketName;
export const archiveBucketArn = archive.bucketArn;
export const archiveKeyArn = archive.keyArn;
export const archiveKeyAlias = archive.keyAliasName;
export const custodySigningKeyArn = archive.signingKeyArn;
export const accessLogBucketName = archive.accessLogBucketName;
export const exportWorkerRoleArn = exportWorker.arn;
export const holdReleaseRoleArn = holdRelease?.arn ?? "";
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
