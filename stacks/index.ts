// The program: typed config in, components composed, outputs out. No resource
// logic lives here; see components/.
import { ExportWorkerRole } from "../components/exportWorkerRole";
import { LegalHoldArchive } from "../components/legalHoldArchive";
import { loadStackConfig } from "./stackConfig";

const config = loadStackConfig();
const tags = { ...config.tags, Project: "legal-hold-archive", ManagedBy: "pulumi" };

// Seam: the export pipeline (Lambdas, queue, secret) will run as this role.
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

export const archiveBucketName = archive.bucketName;
export const archiveBucketArn = archive.bucketArn;
export const archiveKeyArn = archive.keyArn;
export const archiveKeyAlias = archive.keyAliasName;
export const accessLogBucketName = archive.accessLogBucketName;
export const exportWorkerRoleArn = exportWorker.arn;
export const genesysApiBaseUrl = config.genesys.apiBaseUrl;
export const genesysLoginBaseUrl = config.genesys.loginBaseUrl;
