import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyDocument, policyDocument } from "./iam/policyDocument";

export interface ExportWorkerRoleArgs {
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/**
 * Trust policy for a Lambda execution role: only the Lambda service, and only
 * on behalf of functions in this account (`aws:SourceAccount`), may assume it.
 */
export function lambdaTrustPolicy(accountId: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "LambdaInThisAccountAssumesRole",
      Effect: "Allow",
      Principal: { Service: ["lambda.amazonaws.com"] },
      Action: ["sts:AssumeRole"],
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
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

  constructor(name: string, args: ExportWorkerRoleArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:ExportWorkerRole", name, {}, opts);
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Export worker Lambda: writes legal-hold recordings into the archive",
        assumeRolePolicy: account.accountId.apply((accountId) => JSON.stringify(lambdaTrustPolicy(accountId))),
        maxSessionDuration: 3600,
        tags: args.tags ?? {},
      },
      { parent: this },
    );
    this.arn = role.arn;
    this.name = role.name;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
