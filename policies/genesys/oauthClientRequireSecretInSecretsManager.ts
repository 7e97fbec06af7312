import { stackPolicy } from "../lib/projectPolicy";
import { GENESYS_OAUTH_CLIENT } from "../lib/resourceTypes";
import { dependedOnBy } from "../lib/stackIndex";

const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

export const genesysOauthClientRequireSecretInSecretsManager = stackPolicy(
  {
    name: "genesys-oauthclient-require-secret-in-secrets-manager",
    description: "An OAuth client whose secret is exposed to Pulumi hands it to an AWS Secrets Manager secret of the stack.",
    severity: "high",
    why: "exposeClientSecret puts the client secret into the clientSecret output (encrypted in the Pulumi state); its only use here is the export worker's Secrets Manager secret, never a plain output, an environment variable or a file.",
    remediationSteps:
      "Write { clientId, clientSecret } into an aws.secretsmanager.SecretVersion's secretString (the GenesysIntegration component does), or leave exposeClientSecret unset.",
  },
  (resources, report) => {
    for (const client of resources.filter((r) => GENESYS_OAUTH_CLIENT.includes(r.type))) {
      if (client.props.exposeClientSecret !== true) continue;
      const stored = dependedOnBy(resources, [SECRET_VERSION], "secretString").has(client);
      if (!stored) {
        report(
          `OAuth client "${client.name}" exposes its secret to Pulumi but no Secrets Manager secret version stores it; write it into the export worker's secret with aws.secretsmanager.SecretVersion, or unset exposeClientSecret.`,
          client.urn,
        );
      }
    }
  },
);
