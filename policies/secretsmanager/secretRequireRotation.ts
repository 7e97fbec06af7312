import { stackPolicy } from "../lib/projectPolicy";
import { SECRETS_MANAGER_ROTATION, SECRETS_MANAGER_SECRET } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { linkedResource } from "../lib/stackLinks";

export const secretsmanagerSecretRequireRotation = stackPolicy(
  {
    name: "secretsmanager-secret-require-rotation",
    description: "Recommendation (advisory, off by default): every Secrets Manager secret of the stack has a rotation schedule.",
    severity: "low",
    why: "A rotated client secret limits how long a leaked copy works. Rotating the Genesys client secret needs a rotation Lambda allowed to reset the OAuth client's secret in Genesys, which the kit does not ship, so it is a recommendation.",
    remediationSteps:
      "Add an aws.secretsmanager.SecretRotation for the secret with a rotation Lambda and rotationRules; turn this check on with policy config { enabled: true }.",
    recommendation: true,
  },
  (resources, report) => {
    const secrets = resourcesOfType(resources, SECRETS_MANAGER_SECRET);
    const rotated = new Set(resourcesOfType(resources, SECRETS_MANAGER_ROTATION).map((r) => linkedResource(r, "secretId", secrets, "arn")));
    for (const secret of secrets) {
      if (!rotated.has(secret)) {
        report(`Secret "${secret.name}" has no rotation schedule; add an aws.secretsmanager.SecretRotation for it.`, secret.urn);
      }
    }
  },
);
