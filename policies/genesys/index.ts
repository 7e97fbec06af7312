import type { ProjectPolicy } from "../lib/projectPolicy";
import { genesysAuthRoleConfigurePermissionAllowlist } from "./authRoleConfigurePermissionAllowlist";
import { genesysIntegrationActionConfigureTimeout } from "./integrationActionConfigureTimeout";
import { genesysIntegrationActionRequireContractFields } from "./integrationActionRequireContractFields";
import { genesysIntegrationCredentialRequireAwsArnType } from "./integrationCredentialRequireAwsArnType";
import { genesysIntegrationRequireLambdaDataActions } from "./integrationRequireLambdaDataActions";
import { genesysOauthClientConfigureTokenLifetime } from "./oauthClientConfigureTokenLifetime";
import { genesysOauthClientDisallowExposedSecret } from "./oauthClientDisallowExposedSecret";
import { genesysOauthClientRequireClientCredentials } from "./oauthClientRequireClientCredentials";

/** The genesys policies of the pack, in catalogue order. */
export const genesysPolicies: ProjectPolicy[] = [
  genesysAuthRoleConfigurePermissionAllowlist,
  genesysIntegrationActionConfigureTimeout,
  genesysIntegrationActionRequireContractFields,
  genesysIntegrationCredentialRequireAwsArnType,
  genesysIntegrationRequireLambdaDataActions,
  genesysOauthClientConfigureTokenLifetime,
  genesysOauthClientDisallowExposedSecret,
  genesysOauthClientRequireClientCredentials,
];
