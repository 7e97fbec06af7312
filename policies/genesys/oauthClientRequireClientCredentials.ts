import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_OAUTH_CLIENT } from "../lib/resourceTypes";

export const CLIENT_CREDENTIALS_GRANT = "CLIENT-CREDENTIALS";

export const genesysOauthClientRequireClientCredentials = resourcePolicy(
  {
    name: "genesys-oauthclient-require-client-credentials",
    description: "Every Genesys Cloud OAuth client uses the CLIENT-CREDENTIALS grant.",
    severity: "high",
    why: "The exporter is a server with no user in the loop: only a client-credentials client gets its permissions from the roles this stack manages; user grants (CODE, TOKEN, PASSWORD, SAML2-BEARER) act with a person's permissions and need a person to sign in.",
    remediationSteps:
      'Set authorizedGrantType: "CLIENT-CREDENTIALS" and grant permissions through roles [{ roleId, divisionId }], not scopes.',
    resourceTypes: GENESYS_OAUTH_CLIENT,
  },
  (client, report) => {
    const grant = client.props.authorizedGrantType;
    if (grant !== CLIENT_CREDENTIALS_GRANT) {
      report(`OAuth client "${client.name}" has authorizedGrantType ${JSON.stringify(grant)}; set it to "${CLIENT_CREDENTIALS_GRANT}".`);
    }
  },
);
