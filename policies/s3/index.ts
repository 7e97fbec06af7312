import { s3BucketDisallowForceDestroy } from "./bucketDisallowForceDestroy";
import { s3BucketEnableObjectLock } from "./bucketEnableObjectLock";
import { s3BucketMissingAccessLogging } from "./bucketMissingAccessLogging";
import { s3BucketMissingBucketPolicy } from "./bucketMissingBucketPolicy";
import { s3BucketMissingCrossAccountReplication } from "./bucketMissingCrossAccountReplication";
import { s3BucketMissingEncryption } from "./bucketMissingEncryption";
import { s3BucketMissingObjectLockConfiguration } from "./bucketMissingObjectLockConfiguration";
import { s3BucketMissingOwnershipControls } from "./bucketMissingOwnershipControls";
import { s3BucketMissingPublicAccessBlock } from "./bucketMissingPublicAccessBlock";
import { s3BucketMissingPurposeTag } from "./bucketMissingPurposeTag";
import { s3BucketMissingVersioning } from "./bucketMissingVersioning";
import { s3BucketPolicyConfigureSourceIpCidrs } from "./bucketPolicyConfigureSourceIpCidrs";
import { s3BucketPolicyDisallowNegatedConditionOnLockActions } from "./bucketPolicyDisallowNegatedConditionOnLockActions";
import { s3BucketPolicyDisallowSourceIpWriteAllow } from "./bucketPolicyDisallowSourceIpWriteAllow";
import { s3BucketPolicyDisallowUnconditionedPublicAllow } from "./bucketPolicyDisallowUnconditionedPublicAllow";
import { s3BucketPolicyRequirePrincipalExemptionOnIpDeny } from "./bucketPolicyRequirePrincipalExemptionOnIpDeny";
import { s3BucketPolicyRequireTlsDeny } from "./bucketPolicyRequireTlsDeny";
import { s3BucketRequireProtect } from "./bucketRequireProtect";
import { s3EncryptionEnableBucketKey } from "./encryptionEnableBucketKey";
import { s3EncryptionRequireCustomerKmsKey } from "./encryptionRequireCustomerKmsKey";
import { s3LifecycleDisallowEvidenceExpiration } from "./lifecycleDisallowEvidenceExpiration";
import { s3LifecycleRequireLandingExpiration } from "./lifecycleRequireLandingExpiration";
import { s3LoggingDisallowEvidenceTarget } from "./loggingDisallowEvidenceTarget";
import { s3ObjectLockConfigureMinimumRetention } from "./objectLockConfigureMinimumRetention";
import { s3ObjectLockRequireComplianceMode } from "./objectLockRequireComplianceMode";
import { s3OwnershipControlsRequireBucketOwnerEnforced } from "./ownershipControlsRequireBucketOwnerEnforced";
import { s3PublicAccessBlockEnableAllFlags } from "./publicAccessBlockEnableAllFlags";
import { s3VersioningEnableVersioning } from "./versioningEnableVersioning";

/** The s3 policies of the pack, in catalogue order. */
export const s3Policies = [
  s3BucketDisallowForceDestroy,
  s3BucketEnableObjectLock,
  s3BucketMissingAccessLogging,
  s3BucketMissingBucketPolicy,
  s3BucketMissingEncryption,
  s3BucketMissingObjectLockConfiguration,
  s3BucketMissingOwnershipControls,
  s3BucketMissingPublicAccessBlock,
  s3BucketMissingPurposeTag,
  s3BucketMissingVersioning,
  s3BucketPolicyConfigureSourceIpCidrs,
  s3BucketPolicyDisallowNegatedConditionOnLockActions,
  s3BucketPolicyDisallowSourceIpWriteAllow,
  s3BucketPolicyDisallowUnconditionedPublicAllow,
  s3BucketPolicyRequirePrincipalExemptionOnIpDeny,
  s3BucketPolicyRequireTlsDeny,
  s3BucketRequireProtect,
  s3EncryptionEnableBucketKey,
  s3EncryptionRequireCustomerKmsKey,
  s3LoggingDisallowEvidenceTarget,
  s3ObjectLockConfigureMinimumRetention,
  s3ObjectLockRequireComplianceMode,
  s3OwnershipControlsRequireBucketOwnerEnforced,
  s3PublicAccessBlockEnableAllFlags,
  s3VersioningEnableVersioning,
  s3LifecycleDisallowEvidenceExpiration,
  s3LifecycleRequireLandingExpiration,
  s3BucketMissingCrossAccountReplication,
];
