import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaFunctionArn, lambdaTrustPolicy } from "../exportWorkerRole";

/** The case-export function's fixed name (bulk contract): its role's trust policy is pinned to it. */
export const caseExportFunctionName = (namePrefix: string) => `${namePrefix}-case-export`;

export interface CaseExportRoleArgs {
  /** The stacks' name prefix; the function will be `${namePrefix}-case-export`. */
  namePrefix: string;
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/**
 * The role the case-export Lambda runs as, created before the archive so the
 * archive can list it in `writerRoles` (it writes the signed case-export and
 * job records). It holds no permission of its own: the archive's writer
 * grant and CaseExportFunction's inline policy attach exactly what it needs.
 */
export class CaseExportRole extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  public readonly functionName: string;

  constructor(name: string, args: CaseExportRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:bulk:CaseExportRole", name, {}, opts);
    const functionName = caseExportFunctionName(args.namePrefix);
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    const region = aws.getRegionOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Case-export Lambda: Genesys query, deletion protection, bulk export jobs and signed case records",
        assumeRolePolicy: pulumi
          .all([account.accountId, region.region, partition.partition])
          .apply(([accountId, regionName, partitionName]) =>
            JSON.stringify(
              lambdaTrustPolicy(accountId, lambdaFunctionArn({ partition: partitionName, region: regionName, accountId, functionName })),
            ),
          ),
        maxSessionDuration: 3600,
        tags: args.tags ?? {},
      },
      { parent: this },
    );
    this.arn = role.arn;
    this.name = role.name;
    this.functionName = functionName;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
