// The program: typed config in, components composed, outputs out. No resource
// logic lives here; see components/.
import { BulkExportIntegration } from "../components/bulk/bulkExportIntegration";
import { BulkWriterRole } from "../components/bulk/bulkWriterRole";
import { CaseExportFunction } from "../components/bulk/caseExportFunction";
import { CaseExportRole } from "../components/bulk/caseExportRole";
import { LandingBucket } from "../components/bulk/landingBucket";
import { LandingSealer } from "../components/bulk/landingSealer";
import { SealerRole } from "../components/bulk/sealerRole";
import { ExportPipeline } from "../components/exportPipeline";
import { ExportWorkerRole } from "../components/exportWorkerRole";
import { GenesysCredentialsSecret } from "../components/genesysCredentialsSecret";
import { GenesysIntegration } from "../components/genesysIntegration";
import { HoldReleaseRole } from "../components/holdReleaseRole";
import { LegalHoldArchive } from "../components/legalHoldArchive";
import { componentArgs } from "./componentArgs";
import { loadStackConfig } from "./stackConfig";

const config = loadStackConfig();
const { genesys } = config;
const components = componentArgs(config);

// Roles first, so the archive's and the landing bucket's policies can name them.
const exportWorker = components.exportWorkerRole
  ? new ExportWorkerRole(components.exportWorkerRole.name, components.exportWorkerRole.args)
  : undefined;
const bulkWriter = components.bulkWriterRole
  ? new BulkWriterRole(components.bulkWriterRole.name, components.bulkWriterRole.args)
  : undefined;
const sealerRole = components.sealerRole ? new SealerRole(components.sealerRole.name, components.sealerRole.args) : undefined;
const caseExportRole = components.caseExportRole
  ? new CaseExportRole(components.caseExportRole.name, components.caseExportRole.args)
  : undefined;

// Also first, so the bucket policy can name the one role that may set a hold OFF.
const holdRelease = components.holdReleaseRole
  ? new HoldReleaseRole(components.holdReleaseRole.name, components.holdReleaseRole.args)
  : undefined;

// Before the archive, so the archive's log bucket can admit exactly its access logs.
const landing =
  components.landingBucket && bulkWriter
    ? new LandingBucket(components.landingBucket.name, {
        ...components.landingBucket.args,
        genesysWriterRoleArn: bulkWriter.arn,
        sealerRoleArn: sealerRole?.arn,
        caseExportRoleArn: caseExportRole?.arn,
      })
    : undefined;

const archive = new LegalHoldArchive(components.archive.name, {
  ...components.archive.args,
  // Everyone who writes evidence or signed records into the archive: the writer grant and the bucket-policy exemption.
  writerRoles: [exportWorker, sealerRole, caseExportRole].filter((role) => role !== undefined),
  holdReleaseRole: holdRelease,
  loggedBuckets: landing ? [{ label: "landing", bucketName: landing.bucketName, bucketArn: landing.bucketArn }] : [],
});

// What every archive writer's component is told about the archive, and the landing side's about the landing bucket.
const archiveOutputs = { archiveBucketName: archive.bucketName, archiveKeyArn: archive.keyArn, signingKeyArn: archive.signingKeyArn };
const landingOutputs = landing && {
  landingBucketName: landing.bucketName,
  landingBucketArn: landing.bucketArn,
  landingKeyArn: landing.keyArn,
};

// Either mode: the worker and the case export sign in to Genesys as the same OAuth client.
const credentials = new GenesysCredentialsSecret(components.genesysCredentialsSecret.name, {
  ...components.genesysCredentialsSecret.args,
  workerRoleArn: exportWorker?.arn,
  caseExportRoleArn: caseExportRole?.arn,
});

const pipeline =
  components.exportPipeline && exportWorker
    ? new ExportPipeline(components.exportPipeline.name, {
        ...components.exportPipeline.args,
        workerRole: exportWorker,
        ...archiveOutputs,
        credentialsSecretArn: credentials.secretArn,
      })
    : undefined;

const bulkExport =
  components.bulkExportIntegration && bulkWriter && landingOutputs
    ? new BulkExportIntegration(components.bulkExportIntegration.name, {
        ...components.bulkExportIntegration.args,
        writerRole: bulkWriter,
        ...landingOutputs,
      })
    : undefined;

const sealer =
  components.landingSealer && sealerRole && landingOutputs
    ? new LandingSealer(components.landingSealer.name, {
        ...components.landingSealer.args,
        sealerRole,
        ...landingOutputs,
        ...archiveOutputs,
      })
    : undefined;

const caseExport =
  components.caseExportFunction && caseExportRole && landing && bulkExport
    ? new CaseExportFunction(components.caseExportFunction.name, {
        ...components.caseExportFunction.args,
        role: caseExportRole,
        landingBucketName: landing.bucketName,
        ...archiveOutputs,
        genesysCredentialsSecretArn: credentials.secretArn,
        bulkIntegrationId: bulkExport.integrationId,
      })
    : undefined;

// The data actions of whichever modes are on, and the OAuth client whose credentials go into the secret.
const genesysSide = new GenesysIntegration(components.genesysIntegration.name, {
  ...components.genesysIntegration.args,
  intakeFunctionArn: pipeline?.intakeFunctionArn,
  credentialsSecretId: credentials.secretArn,
  caseExportFunctionArn: caseExport?.functionArn,
});

export const exportModes = config.exportModes;
export const archiveBucketName = archive.bucketName;
export const archiveBucketArn = archive.bucketArn;
export const archiveKeyArn = archive.keyArn;
export const archiveKeyAlias = archive.keyAliasName;
export const custodySigningKeyArn = archive.signingKeyArn;
export const accessLogBucketName = archive.accessLogBucketName;
export const holdReleaseRoleArn = holdRelease?.arn ?? "";
export const genesysApiBaseUrl = genesys.apiBaseUrl;
export const genesysLoginBaseUrl = genesys.loginBaseUrl;
// Lambda mode ("" when exportModes leaves it out).
export const exportWorkerRoleArn = exportWorker?.arn ?? "";
export const intakeFunctionArn = pipeline?.intakeFunctionArn ?? "";
export const exportQueueUrl = pipeline?.queueUrl ?? "";
export const deadLetterQueueUrl = pipeline?.deadLetterQueueUrl ?? "";
export const genesysExportActionId = genesysSide.actionId;
// Both modes: the Genesys side the worker and the case export share.
export const genesysCredentialsSecretArn = credentials.secretArn;
export const genesysInvokerRoleArn = genesysSide.invokerRoleArn;
export const genesysIntegrationId = genesysSide.integrationId;
export const genesysOauthClientId = genesysSide.oauthClientId;
// Bulk mode ("" when exportModes leaves it out).
export const landingBucketName = landing?.bucketName ?? "";
export const bulkIntegrationId = bulkExport?.integrationId ?? "";
export const bulkWriterRoleArn = bulkExport?.writerRoleArn ?? "";
export const sealerQueueUrl = sealer?.queueUrl ?? "";
export const sealerDeadLetterQueueUrl = sealer?.deadLetterQueueUrl ?? "";
export const caseExportFunctionName = caseExport?.functionName ?? "";
export const caseExportFunctionArn = caseExport?.functionArn ?? "";
