import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logsKeyPolicy } from "./logsKeyPolicy";

/**
 * The KMS key that encrypts a component's log groups (they name cases and
 * conversations). Usable by CloudWatch Logs only for log groups whose names
 * start with `logGroupNamePrefix` (default `${name}-`); protected and retained,
 * since old log events stay encrypted under it.
 */
export function createLogsKey(
  name: string,
  args: { description: string; tags: Record<string, string>; logGroupNamePrefix?: string },
  parent: pulumi.Resource,
): aws.kms.Key {
  const account = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  return new aws.kms.Key(
    `${name}-logs-key`,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: pulumi.all([partition.partition, region.region, account.accountId]).apply(([partitionName, regionName, accountId]) =>
        JSON.stringify(
          logsKeyPolicy({
            partition: partitionName,
            region: regionName,
            accountId,
            logGroupNamePrefix: args.logGroupNamePrefix ?? `${name}-`,
          }),
        ),
      ),
      tags: args.tags,
    },
    { parent, protect: true, retainOnDelete: true },
  );
}
