/**
 * The key policy of the key that encrypts the export Lambdas' log groups.
 * CloudWatch Logs uses the key on the groups' behalf, so its regional service
 * principal is allowed the key, but only for log groups of this account whose
 * names start with the pipeline's prefix (the encryption context CloudWatch
 * Logs sends names the log group). The account administers the key through
 * IAM, as with KMS's default policy; the logs hold no evidence.
 */
export function logsKeyPolicy(args: { partition: string; region: string; accountId: string; logGroupNamePrefix: string }) {
  const { partition, region, accountId, logGroupNamePrefix } = args;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersLogsKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsEncryptsPipelineLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupNamePrefix}*`,
          },
        },
      },
    ],
  };
}
