import { resourcePolicy } from "../lib/projectPolicy";
import { LOG_GROUP } from "../lib/resourceTypes";

export const cloudwatchLogGroupRequireKmsKey = resourcePolicy(
  {
    name: "cloudwatch-loggroup-require-kms-key",
    description: "Every CloudWatch log group of the stack is encrypted with a customer-managed KMS key (kmsKeyId).",
    severity: "medium",
    why: "The export Lambdas log conversation ids, case ids and who asked for each export; with only CloudWatch's default encryption anyone allowed logs:GetLogEvents reads them, while a customer key's policy limits decryption to the log service for these groups and can revoke it.",
    remediationSteps:
      "Create an aws.kms.Key whose policy lets the logs.<region>.amazonaws.com service principal use it for this account's log groups (condition kms:EncryptionContext:aws:logs:arn), and set the log group's kmsKeyId to its ARN.",
    resourceTypes: LOG_GROUP,
  },
  (group, report) => {
    const keyId = group.props.kmsKeyId;
    if (keyId === undefined || keyId === null || keyId === "") {
      report(
        `Log group "${group.name}" has no kmsKeyId, so its events are under CloudWatch's default encryption only; set kmsKeyId to a customer-managed key the logs service may use.`,
      );
    }
  },
);
