import * as pulumi from "@pulumi/pulumi";
import { lambdaExecutionRole } from "../exportWorkerRole";

export interface SealerRoleArgs {
  /** The name the sealer function will have (`${namePrefix}-landing-sealer`): the trust policy is pinned to its ARN. */
  functionName: string;
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/**
 * The role the landing sealer runs as. Created before the archive, so the
 * archive can list it among its `writerRoles` (its writer grant and the bucket
 * policy's writer exemption); LandingSealer attaches what it needs on the
 * landing side. Carries no permissions of its own.
 */
export class SealerRole extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: SealerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:SealerRole", name, {}, opts);
    const role = lambdaExecutionRole(
      `${name}-role`,
      {
        functionName: args.functionName,
        description: "Landing sealer Lambda: seals bulk-exported recordings into the archive",
        tags: args.tags,
      },
      this,
    );
    this.arn = role.arn;
    this.name = role.name;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
