import type { ProjectPolicy } from "../lib/projectPolicy";
import { iamPolicyDisallowEvidenceDestruction } from "./policyDisallowEvidenceDestruction";
import { iamPolicyDisallowPrivilegeEscalation } from "./policyDisallowPrivilegeEscalation";
import { iamPolicyDisallowWildcardAction } from "./policyDisallowWildcardAction";
import { iamPolicyDisallowWildcardResource } from "./policyDisallowWildcardResource";
import { iamPolicyMissingKmsDecrypt } from "./policyMissingKmsDecrypt";
import { iamPolicyMissingLegalHoldAction } from "./policyMissingLegalHoldAction";
import { iamRoleDisallowAwsManagedPolicy } from "./roleDisallowAwsManagedPolicy";
import { iamRoleDisallowGenesysWritesOutsideLanding } from "./roleDisallowGenesysWritesOutsideLanding";
import { iamRoleDisallowPublicTrust } from "./roleDisallowPublicTrust";
import { iamRoleRequireExternalId } from "./roleRequireExternalId";
import { iamStackRequireExportAccessProof } from "./stackRequireExportAccessProof";

/** The iam policies of the pack, in catalogue order. */
export const iamPolicies: ProjectPolicy[] = [
  iamPolicyDisallowWildcardAction,
  iamPolicyDisallowWildcardResource,
  iamPolicyMissingKmsDecrypt,
  iamPolicyMissingLegalHoldAction,
  iamRoleDisallowPublicTrust,
  iamRoleRequireExternalId,
  iamStackRequireExportAccessProof,
  iamPolicyDisallowEvidenceDestruction,
  iamPolicyDisallowPrivilegeEscalation,
  iamRoleDisallowAwsManagedPolicy,
  iamRoleDisallowGenesysWritesOutsideLanding,
];
