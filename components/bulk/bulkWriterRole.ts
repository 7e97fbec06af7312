import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { genesysInvokerTrustPolicy, requireGenesysPartition } from "../genesys/invokerRolePolicies";
import { ORGANIZATION_ID } from "../genesys/organizationId";

export interface BulkWriterRoleArgs {
  /** The Genesys Cloud organization id; Genesys sends it as sts:ExternalId. */
  organizationId: string;
  /** The AWS account Genesys Cloud assumes roles from (765628985471 outside FedRAMP). */
  genesysAccountId: string;
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/** Refuses impossible args, naming each, before any resource exists. */
export function checkBulkWriterRoleArgs(args: BulkWriterRoleArgs): void {
  const problems: string[] = [];
  if (!/^\d{12}$/.test(args.genesysAccountId))
    problems.push(`[genesysAccountId] must be a 12-digit AWS account id; got "${args.genesysAccountId}"`);
  if (!ORGANIZATION_ID.test(args.organizationId))
    problems.push(`[organizationId] must be the Genesys organization UUID; got "${args.organizationId}"`);
  if (problems.length > 0) throw new Error(`BulkWriterRole: ${problems.join("; ")}`);
}

/**
 * The role Genesys Cloud assumes to write recording bulk exports into the
 * landing bucket: the same trust as the data-action invoker (Genesys' account,
 * your organization id as ExternalId). Created before the landing bucket so
 * its bucket and key policies can name it; it holds no permission of its own:
 * BulkExportIntegration attaches exactly the landing write.
 */
export class BulkWriterRole extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: BulkWriterRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:bulk:BulkWriterRole", name, {}, opts);
    checkBulkWriterRoleArgs(args);
    const partition = aws.getPartitionOutput({}, { parent: this });
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Assumed by Genesys Cloud to write recording bulk exports into the landing bucket",
        assumeRolePolicy: partition.partition.apply((p) => {
          requireGenesysPartition(p);
          return JSON.stringify(genesysInvokerTrustPolicy(args.genesysAccountId, args.organizationId));
        }),
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
