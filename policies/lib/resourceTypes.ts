// Type tokens the policies match. @pulumi/aws v7 keeps the deprecated `…V2`
// S3 classes as aliases with their own tokens: a policy must match both, or a
// stack written with BucketV2 would slip through.

export const S3_BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const S3_VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
export const S3_OBJECT_LOCK = [
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
];
export const S3_ENCRYPTION = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const S3_LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
export const S3_LIFECYCLE = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];
export const S3_PUBLIC_ACCESS_BLOCK = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
export const S3_OWNERSHIP_CONTROLS = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"];
export const S3_BUCKET_POLICY = ["aws:s3/bucketPolicy:BucketPolicy"];
export const S3_REPLICATION = ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"];

export const KMS_KEY = ["aws:kms/key:Key"];

export const IAM_ROLE = ["aws:iam/role:Role"];
export const IAM_ROLE_POLICY = ["aws:iam/rolePolicy:RolePolicy"];
export const IAM_POLICY = ["aws:iam/policy:Policy"];
export const IAM_ROLE_POLICY_ATTACHMENT = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"];

export const LAMBDA_FUNCTION = ["aws:lambda/function:Function"];
export const LAMBDA_EVENT_SOURCE_MAPPING = ["aws:lambda/eventSourceMapping:EventSourceMapping"];
export const LOG_GROUP = ["aws:cloudwatch/logGroup:LogGroup"];
export const SQS_QUEUE = ["aws:sqs/queue:Queue"];
export const SQS_QUEUE_POLICY = ["aws:sqs/queuePolicy:QueuePolicy"];
export const S3_NOTIFICATION = ["aws:s3/bucketNotification:BucketNotification"];
export const SECRETS_MANAGER_SECRET = ["aws:secretsmanager/secret:Secret"];
export const SECRETS_MANAGER_ROTATION = ["aws:secretsmanager/secretRotation:SecretRotation"];

export const GENESYS_INTEGRATION = ["genesyscloud:index/integration:Integration"];
export const GENESYS_INTEGRATION_CREDENTIAL = ["genesyscloud:index/integrationCredential:IntegrationCredential"];
export const GENESYS_INTEGRATION_ACTION = ["genesyscloud:index/integrationAction:IntegrationAction"];
export const GENESYS_OAUTH_CLIENT = ["genesyscloud:index/oauthClient:OauthClient"];
export const GENESYS_AUTH_ROLE = ["genesyscloud:index/authRole:AuthRole"];

export { BucketPurpose, PURPOSE_TAG } from "../shared/bucketPurpose";
