import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_OAUTH_CLIENT } from "../lib/resourceTypes";

export const genesysOauthClientDisallowExposedSecret = resourcePolicy(
  {
    name: "genesys-oauthclient-disallow-exposed-secret",
    description: "No Genesys Cloud OAuth client sets exposeClientSecret to true.",
    severity: "high",
    why: "exposeClientSecret copies the client secret into the clientSecret output and so into the Pulumi state, where everyone who can read the state or its backups can read it; this project keeps the secret in AWS Secrets Manager only.",
    remediationSteps: "Remove exposeClientSecret (it defaults to false) and store the secret in the exporter's Secrets Manager secret.",
    resourceTypes: GENESYS_OAUTH_CLIENT,
  },
  (client, report) => {
    if (client.props.exposeClientSecret === true) {
      report(
        `OAuth client "${client.name}" has exposeClientSecret true, which writes its secret into the Pulumi state; remove it and keep the secret in AWS Secrets Manager.`,
      );
    }
  },
);
