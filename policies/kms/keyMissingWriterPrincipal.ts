import type { PolicyResource } from "@pulumi/policy";
import { allowsAction, parsePolicyDocument, statementCoversAction } from "../lib/iamDocument";
import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, IAM_ROLE, IAM_ROLE_POLICY, KMS_KEY, S3_ENCRYPTION } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { configuredBucket, encryptionKeysOf, linkedResource, purposeOf } from "../lib/stackLinks";

/** The KMS key resource an evidence bucket's default encryption uses. */
function evidenceKeys(resources: PolicyResource[]): PolicyResource[] {
  const keys = resourcesOfType(resources, KMS_KEY);
  return resources
    .filter((r) => S3_ENCRYPTION.includes(r.type))
    .filter((r) => {
      const bucket = configuredBucket(r, resources);
      return bucket !== undefined && purposeOf(bucket) === BucketPurpose.evidence;
    })
    .flatMap((r) => encryptionKeysOf(r, keys));
}

function keyLetsIn(key: PolicyResource, roleArn: string, accountRoot: string): boolean {
  const statements = parsePolicyDocument(key.props.policy) ?? [];
  return statements.some(
    (s) =>
      s.effect === "Allow" &&
      statementCoversAction(s, "kms:GenerateDataKey") &&
      (s.awsPrincipals.includes(roleArn) || s.awsPrincipals.includes(accountRoot)),
  );
}

export const kmsKeyMissingWriterPrincipal = stackPolicy(
  {
    name: "kms-key-missing-writer-principal",
    description: "The evidence key's policy lets in every role whose identity policy writes objects with it.",
    severity: "critical",
    why: "Legal-hold 403 cause 4: an IAM grant on a KMS key has no effect unless the key policy names the principal (or delegates to IAM through the account root).",
    remediationSteps: "Add the writer role's ARN to the key policy statement that allows kms:GenerateDataKey and kms:Decrypt via S3.",
  },
  (resources, report) => {
    const keys = [...new Set(evidenceKeys(resources))];
    const keyOrder = new Map(keys.map((key, i) => [key, i]));
    const roles = resourcesOfType(resources, IAM_ROLE);
    for (const rolePolicy of resources.filter((r) => IAM_ROLE_POLICY.includes(r.type))) {
      const statements = parsePolicyDocument(rolePolicy.props.policy) ?? [];
      if (!allowsAction(statements, "s3:PutObject") || !allowsAction(statements, "kms:GenerateDataKey")) continue;
      const role = linkedResource(rolePolicy, "role", roles, "name");
      const roleArn = role?.props.arn as string | undefined;
      if (!roleArn) continue;
      const accountRoot = roleArn.replace(/:role\/.*$/, ":root");
      // The evidence keys the policy depends on, in the order of `keys`.
      const usedKeys =
        keys.length === 0
          ? []
          : [...new Set((rolePolicy.propertyDependencies.policy ?? []).filter((d) => keyOrder.has(d)))].sort(
              (a, b) => (keyOrder.get(a) as number) - (keyOrder.get(b) as number),
            );
      for (const key of usedKeys) {
        if (!keyLetsIn(key, roleArn, accountRoot)) {
          report(
            `Key "${key.name}" policy does not let writer role "${role?.name}" (${roleArn}) use it, so its uploads get 403 whatever IAM says; add the role to the key policy's kms:GenerateDataKey statement.`,
            key.urn,
          );
        }
      }
    }
  },
);
