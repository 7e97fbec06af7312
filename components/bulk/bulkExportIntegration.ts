import * as aws from "@pulumi/aws";
import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { BULK_ACTIONS_INTEGRATION_TYPE } from "../../policies/shared/bulkExport";
import { withDefaults } from "../argChecks";
import { ORGANIZATION_ID } from "../genesys/organizationId";
import { AWS_ROLE_CREDENTIAL, AWS_ROLE_CREDENTIAL_KEY } from "../genesysIntegration";
import { bulkWriterPolicy, OPTIONAL_WRITER_BUCKET_ACTIONS } from "./landingPolicies";

/** The role Genesys assumes (BulkWriterRole): its ARN goes into the credential, its name gets the landing grant. */
export interface BulkWriterRoleRef {
  arn: pulumi.Input<string>;
  name: pulumi.Input<string>;
}

/**
 * How the integration names its settings. UNCONFIRMED for this integration
 * type: read the real names from `GET /api/v2/integrations/types/
 * aws-s3-recording-bulk-actions-integration/configschemas/properties` (and
 * `.../credentials`) before the first `pulumi up`, and override them here.
 */
export interface BulkIntegrationSchema {
  /** Key of the bucket name in `config.properties`. @default "bucketName" */
  bucketProperty: string;
  /** Key under which `config.credentials` names the credential. @default "AmazonWebServicesARN" (as for Lambda data actions) */
  credentialKey: string;
  /** Type of the credential that carries the role ARN. @default "amazonWebServicesARN" (as for Lambda data actions) */
  credentialType: string;
}

export const DEFAULT_BULK_INTEGRATION_SCHEMA: BulkIntegrationSchema = {
  bucketProperty: "bucketName",
  credentialKey: AWS_ROLE_CREDENTIAL_KEY,
  credentialType: AWS_ROLE_CREDENTIAL,
};

export interface BulkExportIntegrationArgs {
  /** The Genesys Cloud organization id: Genesys writes under `{orgId}/`, and sends it as sts:ExternalId. */
  organizationId: string;
  writerRole: BulkWriterRoleRef;
  landingBucketName: pulumi.Input<string>;
  landingBucketArn: pulumi.Input<string>;
  landingKeyArn: pulumi.Input<string>;
  /** Bucket-level reads to grant the writer if Genesys' integration test needs them (UNCONFIRMED). @default [] */
  writerBucketActions?: string[];
  /** The integration's setting names. @default DEFAULT_BULK_INTEGRATION_SCHEMA */
  schema?: Partial<BulkIntegrationSchema>;
  /** Tags for the AWS resources. @default {} */
  tags?: Record<string, string>;
}

export type ResolvedBulkExportArgs = Omit<Required<BulkExportIntegrationArgs>, "schema"> & { schema: BulkIntegrationSchema };

/** Applies defaults and refuses impossible args, naming each, before any resource exists. */
export function resolveBulkExportArgs(args: BulkExportIntegrationArgs): ResolvedBulkExportArgs {
  const resolved = withDefaults<BulkExportIntegrationArgs>({ writerBucketActions: [], tags: {} }, args) as ResolvedBulkExportArgs;
  const schema = { ...DEFAULT_BULK_INTEGRATION_SCHEMA, ...withDefaults({}, args.schema ?? {}) };
  const problems: string[] = [];
  if (!ORGANIZATION_ID.test(resolved.organizationId))
    problems.push(`[organizationId] must be the Genesys organization UUID; got "${resolved.organizationId}"`);
  const unknown = resolved.writerBucketActions.filter((a) => !OPTIONAL_WRITER_BUCKET_ACTIONS.includes(a));
  if (unknown.length > 0)
    problems.push(`[writerBucketActions] may hold only ${OPTIONAL_WRITER_BUCKET_ACTIONS.join(", ")}; got ${unknown.join(", ")}`);
  for (const [key, value] of Object.entries(schema))
    if (typeof value !== "string" || value.trim() === "")
      problems.push(`[schema.${key}] must be a non-empty name; got ${JSON.stringify(value)}`);
  if (problems.length > 0) throw new Error(`BulkExportIntegration: ${problems.join("; ")}`);
  return { ...resolved, schema };
}

/**
 * Genesys Cloud's native recording bulk export, pointed at the landing
 * bucket: the writer role's one grant (PUT under `{orgId}/`, through the
 * landing key), the credential that hands Genesys the role's ARN (no secret
 * leaves AWS), and the aws-s3-recording-bulk-actions-integration that
 * recording jobs (`POST /api/v2/recording/jobs`, action EXPORT) name.
 */
export class BulkExportIntegration extends pulumi.ComponentResource {
  public readonly integrationId: pulumi.Output<string>;
  public readonly writerRoleArn: pulumi.Output<string>;

  constructor(name: string, args: BulkExportIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:bulk:BulkExportIntegration", name, {}, opts);
    const resolved = resolveBulkExportArgs(args);
    const { schema } = resolved;
    const parent = { parent: this };

    const grant = new aws.iam.RolePolicy(
      `${name}-writer-policy`,
      {
        role: args.writerRole.name,
        policy: pulumi.all([args.landingBucketArn, args.landingKeyArn]).apply(([landingBucketArn, landingKeyArn]) =>
          JSON.stringify(
            bulkWriterPolicy({
              landingBucketArn,
              landingKeyArn,
              organizationId: resolved.organizationId,
              bucketActions: resolved.writerBucketActions,
            }),
          ),
        ),
      },
      parent,
    );
    const credential = new genesyscloud.IntegrationCredential(
      `${name}-credential`,
      { name: `${name} bulk export writer role`, credentialTypeName: schema.credentialType, fields: { ARN: args.writerRole.arn } },
      parent,
    );
    // Genesys validates the role when the integration is enabled: grant first.
    const integration = new genesyscloud.Integration(
      `${name}-integration`,
      {
        integrationType: BULK_ACTIONS_INTEGRATION_TYPE,
        intendedState: "ENABLED",
        config: {
          name: `${name} legal-hold bulk export`,
          notes: "Recording bulk exports into the legal-hold landing bucket. Managed by Pulumi (legal-hold-archive).",
          properties: pulumi.output(args.landingBucketName).apply((bucket) => JSON.stringify({ [schema.bucketProperty]: bucket })),
          credentials: { [schema.credentialKey]: credential.id },
        },
      },
      { parent: this, dependsOn: [grant] },
    );

    this.integrationId = integration.id;
    this.writerRoleArn = pulumi.output(args.writerRole.arn);
    this.registerOutputs({ integrationId: this.integrationId, writerRoleArn: this.writerRoleArn });
  }
}
