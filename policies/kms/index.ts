import type { ProjectPolicy } from "../lib/projectPolicy";
import { kmsKeyConfigureDeletionWindow } from "./keyConfigureDeletionWindow";
import { kmsKeyConfigureSigningKeySpec } from "./keyConfigureSigningKeySpec";
import { kmsKeyDisallowDisabledKey } from "./keyDisallowDisabledKey";
import { kmsKeyDisallowLockoutBypass } from "./keyDisallowLockoutBypass";
import { kmsKeyDisallowPublicGrant } from "./keyDisallowPublicGrant";
import { kmsKeyEnableRotation } from "./keyEnableRotation";
import { kmsKeyMissingKeyPolicy } from "./keyMissingKeyPolicy";
import { kmsKeyMissingWriterPrincipal } from "./keyMissingWriterPrincipal";
import { kmsKeyRequireBucketArnContext } from "./keyRequireBucketArnContext";
import { kmsKeyRequireProtect } from "./keyRequireProtect";

/** The kms policies of the pack, in catalogue order. */
export const kmsPolicies: ProjectPolicy[] = [
  kmsKeyConfigureDeletionWindow,
  kmsKeyConfigureSigningKeySpec,
  kmsKeyDisallowLockoutBypass,
  kmsKeyDisallowPublicGrant,
  kmsKeyEnableRotation,
  kmsKeyMissingWriterPrincipal,
  kmsKeyRequireBucketArnContext,
  kmsKeyRequireProtect,
  kmsKeyDisallowDisabledKey,
  kmsKeyMissingKeyPolicy,
];
