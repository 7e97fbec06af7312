import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { genesysSecretPolicy, secretKeyPolicy } from "./pipeline/pipelineResourcePolicies";

export interface GenesysCredentialsSecretArgs {
  /** Principals that administer the secret's key and may change the secret (the deployer among them). */
  adminPrincipalArns: pulumi.Input<string>[];
  /** The one principal that may, with MFA, disable or delete the secret's key. @default none */
  breakGlassPrincipalArn?: string;
  /** The export worker's role (Lambda mode): reads the secret. @default none */
  workerRoleArn?: pulumi.Input<string>;
  /** The case-export function's role (bulk mode): reads the same secret. @default none */
  caseExportRoleArn?: pulumi.Input<string>;
  /** @default {} */
  tags?: Record<string, string>;
}

/**
 * The Secrets Manager secret GenesysIntegration writes the OAuth client's
 * `{ clientId, clientSecret }` into, under a customer key and a resource
 * policy that name its readers: the export worker, the case export, or both,
 * so either mode alone deploys it.
 */
export class GenesysCredentialsSecret extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: GenesysCredentialsSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:GenesysCredentialsSecret", name, {}, opts);
    if (args.adminPrincipalArns.length === 0)
      throw new Error(
        "GenesysCredentialsSecret: [adminPrincipalArns] must name at least one principal (the deployer), or nobody could write the secret",
      );
    if (args.workerRoleArn === undefined && args.caseExportRoleArn === undefined)
      throw new Error("GenesysCredentialsSecret: give [workerRoleArn] or [caseExportRoleArn]; a secret nobody reads has no use");
    const tags = args.tags ?? {};
    const parent = { parent: this };
    // Once ExportPipeline's children: the alias keeps a deployed (protected) key and its secret in place.
    const formerly = { aliases: [{ parent: pulumi.createUrn(name, "legal-hold-archive:index:ExportPipeline") }] };
    const account = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const admins = pulumi.all(args.adminPrincipalArns);
    // The client secret exports recordings and changes deletion protection: under a key whose policy names its readers.
    const secretKey = new aws.kms.Key(
      `${name}-secret-key`,
      {
        description: `Encrypts the Genesys client secret of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi
          .all([account.accountId, region.region, admins, args.workerRoleArn, args.caseExportRoleArn])
          .apply(([accountId, regionName, adminArns, workerRoleArn, caseExportRoleArn]) =>
            JSON.stringify(
              secretKeyPolicy({
                accountId,
                secretsManagerServiceName: `secretsmanager.${regionName}.amazonaws.com`,
                adminPrincipalArns: adminArns,
                workerRoleArn,
                caseExportRoleArn,
                breakGlassPrincipalArn: args.breakGlassPrincipalArn,
              }),
            ),
          ),
        tags,
      },
      { parent: this, protect: true, ...formerly },
    );
    const secret = new aws.secretsmanager.Secret(
      `${name}-genesys-client`,
      {
        description: "Genesys Cloud client credentials of the legal-hold export: { clientId, clientSecret }",
        recoveryWindowInDays: 30,
        kmsKeyId: secretKey.arn,
        tags,
      },
      { parent: this, ...formerly },
    );
    new aws.secretsmanager.SecretPolicy(
      `${name}-genesys-client-policy`,
      {
        secretArn: secret.arn,
        policy: pulumi
          .all([admins, args.workerRoleArn, args.caseExportRoleArn])
          .apply(([adminArns, workerRoleArn, caseExportRoleArn]) =>
            JSON.stringify(genesysSecretPolicy({ workerRoleArn, adminPrincipalArns: adminArns, caseExportRoleArn })),
          ),
      },
      { parent: this, ...formerly },
    );
    this.secretArn = secret.arn;
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
