// What the stack's settings become: the names and args of each component, the
// parts that do not wire one component's outputs into another. A pure function,
// so a test can show that every setting reaches a component without running
// the Pulumi runtime once per setting.
import type { BulkExportIntegrationArgs } from "../components/bulk/bulkExportIntegration";
import type { BulkWriterRoleArgs } from "../components/bulk/bulkWriterRole";
import type { CaseExportFunctionArgs } from "../components/bulk/caseExportFunction";
import type { CaseExportRoleArgs } from "../components/bulk/caseExportRole";
import type { LandingBucketArgs } from "../components/bulk/landingBucket";
import type { LandingSealerArgs } from "../components/bulk/landingSealer";
import type { SealerRoleArgs } from "../components/bulk/sealerRole";
import type { ExportPipelineArgs } from "../components/exportPipeline";
import type { ExportWorkerRoleArgs } from "../components/exportWorkerRole";
import type { GenesysCredentialsSecretArgs } from "../components/genesysCredentialsSecret";
import type { GenesysIntegrationArgs } from "../components/genesysIntegration";
import type { HoldReleaseRoleArgs } from "../components/holdReleaseRole";
import type { LegalHoldArchiveArgs } from "../components/legalHoldArchive";
import type { StackConfig } from "./stackConfig";

/** Args index.ts completes with other components' outputs. */
export interface ComponentArgs {
  /** Lambda mode's components: absent when exportModes leaves "lambda" out. */
  exportWorkerRole?: { name: string; args: ExportWorkerRoleArgs };
  /** Absent when no principal may lift holds. */
  holdReleaseRole?: { name: string; args: HoldReleaseRoleArgs };
  archive: { name: string; args: Omit<LegalHoldArchiveArgs, "writerRoles" | "holdReleaseRole" | "loggedBuckets"> };
  exportPipeline?: {
    name: string;
    args: Omit<ExportPipelineArgs, "workerRole" | "archiveBucketName" | "archiveKeyArn" | "signingKeyArn" | "credentialsSecretArn">;
  };
  /** Both modes: the Genesys OAuth client, its secret and the data actions serve the worker and the case export alike. */
  genesysCredentialsSecret: { name: string; args: Omit<GenesysCredentialsSecretArgs, "workerRoleArn" | "caseExportRoleArn"> };
  genesysIntegration: {
    name: string;
    args: Omit<GenesysIntegrationArgs, "intakeFunctionArn" | "credentialsSecretId" | "caseExportFunctionArn">;
  };
  /** Bulk mode's components: absent when exportModes leaves "bulk" out. */
  bulkWriterRole?: { name: string; args: BulkWriterRoleArgs };
  landingBucket?: { name: string; args: Omit<LandingBucketArgs, "genesysWriterRoleArn" | "sealerRoleArn" | "caseExportRoleArn"> };
  bulkExportIntegration?: {
    name: string;
    args: Omit<BulkExportIntegrationArgs, "writerRole" | "landingBucketName" | "landingBucketArn" | "landingKeyArn">;
  };
  sealerRole?: { name: string; args: SealerRoleArgs };
  caseExportRole?: { name: string; args: CaseExportRoleArgs };
  landingSealer?: {
    name: string;
    args: Omit<LandingSealerArgs, "sealerRole" | `landing${string}` | `archive${string}` | "signingKeyArn">;
  };
  caseExportFunction?: {
    name: string;
    args: Omit<
      CaseExportFunctionArgs,
      "role" | "landingBucketName" | `archive${string}` | "signingKeyArn" | "genesysCredentialsSecretArn" | "bulkIntegrationId"
    >;
  };
}

export function componentArgs(config: StackConfig): ComponentArgs {
  const { namePrefix } = config;
  const tags = { ...config.tags, Project: "legal-hold-archive", ManagedBy: "pulumi" };
  const lambda = config.exportModes.includes("lambda");
  const bulk = config.exportModes.includes("bulk");
  return {
    // The worker function is named `${exportPipeline name}-worker`; its role's trust policy is pinned to it.
    ...(lambda
      ? { exportWorkerRole: { name: `${namePrefix}-export-worker`, args: { functionName: `${namePrefix}-export-worker`, tags } } }
      : {}),
    ...(config.holdReleasePrincipalArns.length > 0
      ? { holdReleaseRole: { name: `${namePrefix}-hold-release`, args: { principalArns: config.holdReleasePrincipalArns, tags } } }
      : {}),
    archive: {
      name: `${namePrefix}-archive`,
      args: {
        adminPrincipalArns: config.adminPrincipalArns,
        breakGlassPrincipalArn: config.breakGlassPrincipalArn || undefined,
        alarmTopicArn: config.alarmTopicArn || undefined,
        reviewerPrincipalArns: config.reviewerPrincipalArns,
        reviewerCidrs: config.reviewerCidrs,
        cidrRules: config.cidrRules,
        retention: config.retention,
        coldStorageAfterDays: config.coldStorageAfterDays,
        deepArchiveAfterDays: config.deepArchiveAfterDays,
        accessLogRetentionDays: config.accessLogRetentionDays,
        tags,
      },
    },
    // Named as when they were ExportPipeline's children (GenesysCredentialsSecret aliases them): deployed stacks keep them.
    genesysCredentialsSecret: {
      name: `${namePrefix}-export`,
      args: { adminPrincipalArns: config.adminPrincipalArns, breakGlassPrincipalArn: config.breakGlassPrincipalArn || undefined, tags },
    },
    genesysIntegration: {
      name: `${namePrefix}-genesys`,
      args: {
        organizationId: config.genesys.organizationId,
        genesysAccountId: config.genesys.invokerAccountId,
        exportUnredactedMedia: config.genesys.exportUnredactedMedia,
        tokenValiditySeconds: config.genesys.tokenValiditySeconds,
        divisionId: config.genesys.roleDivisionId,
        tags,
      },
    },
    ...(lambda ? lambdaMode(config, tags) : {}),
    ...(bulk ? bulkMode(config, tags) : {}),
  };
}

function lambdaMode(config: StackConfig, tags: Record<string, string>): Pick<ComponentArgs, "exportPipeline"> {
  const { genesys, namePrefix } = config;
  return {
    exportPipeline: {
      name: `${namePrefix}-export`,
      args: {
        adminPrincipalArns: config.adminPrincipalArns,
        genesysApiBaseUrl: genesys.apiBaseUrl,
        genesysLoginBaseUrl: genesys.loginBaseUrl,
        recordingFormatId: genesys.recordingFormatId,
        genesysRateLimitPerMinute: genesys.rateLimitPerMinute,
        logRetentionDays: config.logRetentionDays,
        alarmTopicArn: config.alarmTopicArn || undefined,
        tags,
      },
    },
  };
}

function bulkMode(
  config: StackConfig,
  tags: Record<string, string>,
): Pick<
  ComponentArgs,
  "bulkWriterRole" | "landingBucket" | "bulkExportIntegration" | "sealerRole" | "caseExportRole" | "landingSealer" | "caseExportFunction"
> {
  const { genesys, namePrefix } = config;
  return {
    bulkWriterRole: {
      name: `${namePrefix}-bulk-writer`,
      args: { organizationId: genesys.organizationId, genesysAccountId: genesys.invokerAccountId, tags },
    },
    landingBucket: {
      name: `${namePrefix}-landing`,
      args: {
        organizationId: genesys.organizationId,
        adminPrincipalArns: config.adminPrincipalArns,
        expiryDays: config.landingExpiryDays,
        alarmTopicArn: config.alarmTopicArn || undefined,
        tags,
      },
    },
    bulkExportIntegration: { name: `${namePrefix}-bulk-export`, args: { organizationId: genesys.organizationId, tags } },
    // Fixed function names (bulk contract): each role's trust policy is pinned to its function's ARN.
    sealerRole: { name: `${namePrefix}-sealer`, args: { functionName: `${namePrefix}-landing-sealer`, tags } },
    caseExportRole: { name: `${namePrefix}-case-export`, args: { namePrefix, tags } },
    landingSealer: {
      name: `${namePrefix}-sealer`,
      args: {
        functionName: `${namePrefix}-landing-sealer`,
        organizationId: genesys.organizationId,
        adminPrincipalArns: config.adminPrincipalArns,
        logRetentionDays: config.logRetentionDays,
        alarmTopicArn: config.alarmTopicArn || undefined,
        tags,
      },
    },
    caseExportFunction: {
      name: `${namePrefix}-case-export`,
      args: {
        genesysApiBaseUrl: genesys.apiBaseUrl,
        genesysLoginBaseUrl: genesys.loginBaseUrl,
        logRetentionDays: config.logRetentionDays,
        tags,
      },
    },
  };
}
