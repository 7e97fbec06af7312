import { resourcePolicy } from "../lib/projectPolicy";
import { SECRETS_MANAGER_SECRET } from "../lib/resourceTypes";

/** The key Secrets Manager uses when none is named, and the aliases of AWS-managed keys generally. */
const AWS_MANAGED_KEY = /^(arn:aws[a-z-]*:kms:[^:]*:[^:]*:)?alias\/aws\//;

export const secretsmanagerSecretRequireCustomerKmsKey = resourcePolicy(
  {
    name: "secretsmanager-secret-require-customer-kms-key",
    description:
      "Every Secrets Manager secret of the stack is encrypted with a customer-managed KMS key (kmsKeyId), not the AWS-managed aws/secretsmanager key.",
    severity: "high",
    why: "The Genesys client secret lets its holder export recordings and change deletion protection; under the AWS-managed key anyone in the account with secretsmanager:GetSecretValue can read it, while a customer key's policy names who may decrypt it and can revoke that at once.",
    remediationSteps: "Create an aws.kms.Key (rotation on, a key policy naming the worker role) and set the secret's kmsKeyId to its ARN.",
    resourceTypes: SECRETS_MANAGER_SECRET,
  },
  (secret, report) => {
    const keyId = secret.props.kmsKeyId;
    if (keyId === undefined || keyId === null || keyId === "") {
      report(
        `Secret "${secret.name}" has no kmsKeyId, so Secrets Manager encrypts it with the AWS-managed aws/secretsmanager key; set kmsKeyId to a customer-managed key's ARN.`,
      );
    } else if (typeof keyId === "string" && AWS_MANAGED_KEY.test(keyId)) {
      report(`Secret "${secret.name}" is encrypted with the AWS-managed key ${keyId}; set kmsKeyId to a customer-managed key's ARN.`);
    }
  },
);
