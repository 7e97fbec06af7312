import type { ProjectPolicy } from "../lib/projectPolicy";
import { secretsmanagerSecretRequireCustomerKmsKey } from "./secretRequireCustomerKmsKey";
import { secretsmanagerSecretRequireRotation } from "./secretRequireRotation";

/** The secretsmanager policies of the pack, in catalogue order. */
export const secretsmanagerPolicies: ProjectPolicy[] = [secretsmanagerSecretRequireCustomerKmsKey, secretsmanagerSecretRequireRotation];
