import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyDocument, policyDocument } from "./iam/policyDocument";

export interface ExportWorkerRoleArgs {
  /** The name the worker function will have: the trust policy is pinned to that function's ARN. */
  functionName: string;
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/** A function's ARN from its parts: the role must name its function before the function (which needs the role) exists. */
export function lambdaFunctionArn(parts: { partition: string; region: string; accountId: string; functionName: string }): string {
  return `arn:${parts.partition}:lambda:${parts.region}:${parts.accountId}:function:${parts.functionName}`;
}

/**
 * Trust policy for a Lambda execution role: only the Lambda service, only on
 * behalf of functions in this account (`aws:SourceAccount`) and, when the
 * function's ARN is given, only for that function (`aws:SourceArn`), so another
 * function handed this role cannot run as it. `IfExists`: that Lambda sends
 * aws:SourceArn when it assumes an execution role is not confirmed in AWS's
 * documentation, and a role Lambda could not assume would stop the export.
 */
export function lambdaTrustPolicy(accountId: string, functionArn?: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "LambdaInThisAccountAssumesRole",
      Effect: "Allow",
      Principal: { Service: ["lambda.amazonaws.com"] },
      Action: ["sts:AssumeRole"],
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ...(functionArn ? { ArnEqualsIfExists: { "aws:SourceArn": functionArn } } : {}),
      },
    },
  ]);
}

/**
 * An execution role with no permissions of its own whose trust is pinned to
 * one function, by name, before that function exists (so the archive can list
 * the role as a writer first).
 */
export function lambdaExecutionRole(
  name: string,
  args: { functionName: string; description: string; tags?: Record<string, string> },
  parent: pulumi.Resource,
): aws.iam.Role {
  const account = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent });
  const partition = aws.getPartitionOutput({}, { parent });
  return new aws.iam.Role(
    name,
    {
      description: args.description,
      assumeRolePolicy: pulumi
        .all([account.accountId, region.region, partition.partition])
        .apply(([accountId, regionName, partitionName]) =>
          JSON.stringify(
            lambdaTrustPolicy(
              accountId,
              lambdaFunctionArn({ partition: partitionName, region: regionName, accountId, functionName: args.functionName }),
            ),
          ),
        ),
      maxSessionDuration: 3600,
      tags: args.tags ?? {},
    },
    { parent },
  );
}

/**
 * The role the export worker Lambda runs as: the archive's only writer. It is
 * created before the pipeline so the archive's bucket and key policies can
 * name it; it carries no permissions of its own; the archive and the pipeline
 * attach exactly what each needs.
 */
export class ExportWorkerRole extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: ExportWorkerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:ExportWorkerRole", name, {}, opts);
    const role = lambdaExecutionRole(
      `${name}-role`,
      {
        functionName: args.functionName,
        description: "Export worker Lambda: writes legal-hold recordings into the archive",
        tags: args.tags,
      },
      this,
    );
    this.arn = role.arn;
    this.name = role.name;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
