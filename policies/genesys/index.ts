import type { ProjectPolicy } from "../lib/projectPolicy";
import { genesysAuthRoleConfigurePermissionAllowlist } from "./authRoleConfigurePermissionAllowlist";
import { genesysIntegrationActionConfigureTimeout } from "./integrationActionConfigureTimeout";
import { genesysIntegrationActionRequireContractFields } from "./integrationActionRequireContractFields";
import { genesysIntegrationCredentialRequireAwsArnType } from "./integrationCredentialRequireAwsArnType";
import { genesysIntegrationRequireLambdaDataActions } from "./integrationRequireLambdaDataActions";
import { genesysOauthClientConfigureTokenLifetime } from "./oauthClientConfigureTokenLifetime";
import { genesysOauthClientRequireClientCredentials } from "./oauthClientRequireClientCredentials";
import { genesysOauthClientRequireSecretInSecretsManager } from "./oauthClientRequireSecretInSecretsManager";

/** The genesys policies of the pack, in catalogue order. */
export const genesysPolicies: ProjectPolicy[] = [
  genesysAuthRoleConfigurePermissionAllowlist,
  genesysIntegrationActionConfigureTimeout,
  genesysIntegrationActionRequireContractFields,
  genesysIntegrationCredentialRequireAwsArnType,
  genesysIntegrationRequireLambdaDataActions,
  genesysOauthClientConfigureTokenLifetime,
  genesysOauthClientRequireSecretInSecretsManager,
  genesysOauthClientRequireClientCredentials,
];
