import { beforeAll, describe, expect, it } from "vitest";
import {
  BulkExportIntegration,
  type BulkExportIntegrationArgs,
  resolveBulkExportArgs,
} from "../../../components/bulk/bulkExportIntegration";
import { BulkWriterRole, checkBulkWriterRoleArgs } from "../../../components/bulk/bulkWriterRole";
import { bulkWriterPolicy } from "../../../components/bulk/landingPolicies";
import { genesysInvokerTrustPolicy } from "../../../components/genesys/invokerRolePolicies";
import { runUnderMocks, type StackRun } from "../../../tools/engine/mockRuntime";
import { ofType, policyOf, single } from "../../support/resources";

const ORG = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
const LANDING_ARN = "arn:aws:s3:::legal-hold-landing-bucket";
const KEY_ARN = "arn:aws:kms:eu-west-2:111122223333:key/landing";
const settings = { project: "bulk-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };
const minimal: BulkExportIntegrationArgs = {
  organizationId: ORG,
  writerRole: { arn: "arn:aws:iam::111122223333:role/w", name: "w" },
  landingBucketName: "legal-hold-landing-bucket",
  landingBucketArn: LANDING_ARN,
  landingKeyArn: KEY_ARN,
};

describe("checkBulkWriterRoleArgs and resolveBulkExportArgs", () => {
  it.each([
    [{ genesysAccountId: "76562898547", organizationId: ORG }, '[genesysAccountId] must be a 12-digit AWS account id; got "76562898547"'],
    [{ genesysAccountId: "765628985471", organizationId: "org" }, '[organizationId] must be the Genesys organization UUID; got "org"'],
  ])("BulkWriterRole refuses %j naming the arg", (args, message) => {
    expect(() => checkBulkWriterRoleArgs(args)).toThrow(message);
  });

  it.each([
    [
      { writerBucketActions: ["s3:GetObject"] },
      "[writerBucketActions] may hold only s3:GetBucketLocation, s3:ListBucket; got s3:GetObject",
    ],
    [{ schema: { bucketProperty: " " } }, '[schema.bucketProperty] must be a non-empty name; got " "'],
  ] as [Partial<BulkExportIntegrationArgs>, string][])("BulkExportIntegration refuses %j naming the arg", (change, message) => {
    expect(() => resolveBulkExportArgs({ ...minimal, ...change })).toThrow(message);
  });
});

describe("bulkWriterPolicy", () => {
  it("grants PUT under {orgId}/ of the landing bucket (no legal-hold upload) and the landing key, nothing else", () => {
    expect(bulkWriterPolicy({ landingBucketArn: LANDING_ARN, landingKeyArn: KEY_ARN, organizationId: ORG }).Statement).toEqual([
      {
        Sid: "PutRecordingsUnderOrganizationPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: [`${LANDING_ARN}/${ORG}/*`],
        Condition: { Null: { "s3:object-lock-legal-hold": "true" } },
      },
      { Sid: "EncryptWithLandingKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [KEY_ARN] },
    ]);
  });
});

describe("BulkWriterRole and BulkExportIntegration under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const role = new BulkWriterRole("writer", { organizationId: ORG, genesysAccountId: "765628985471", tags: { Team: "legal" } });
      const bulk = new BulkExportIntegration("bulk", { ...minimal, writerRole: role, writerBucketActions: ["s3:GetBucketLocation"] });
      const renamed = new BulkExportIntegration("renamed", {
        ...minimal,
        schema: { bucketProperty: "s3BucketName", credentialKey: "awsRole", credentialType: "awsRoleArn" },
      });
      return { integrationId: bulk.integrationId, writerRoleArn: bulk.writerRoleArn, renamed: renamed.integrationId };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("creates the writer role with the data-action invoker's trust (Genesys' account, organization id as ExternalId) and no permission", () => {
    const role = single(run, "aws:iam/role:Role", "writer-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(genesysInvokerTrustPolicy("765628985471", ORG));
    expect(role.inputs).toMatchObject({ maxSessionDuration: 3600, tags: { Team: "legal" } });
    expect(
      ofType(run, "aws:iam/rolePolicy:RolePolicy")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["bulk-writer-policy", "renamed-writer-policy"]);
  });

  it("grants the writer role exactly the landing write, plus the bucket-level reads asked for", () => {
    const grant = single(run, "aws:iam/rolePolicy:RolePolicy", "bulk-writer-policy");
    expect(grant.inputs.role).toBe(single(run, "aws:iam/role:Role", "writer-role").state.name);
    expect(policyOf(grant)).toEqual(
      bulkWriterPolicy({
        landingBucketArn: LANDING_ARN,
        landingKeyArn: KEY_ARN,
        organizationId: ORG,
        bucketActions: ["s3:GetBucketLocation"],
      }),
    );
  });

  it("hands Genesys the role's ARN as an amazonWebServicesARN credential and points the enabled integration at the landing bucket", () => {
    const role = single(run, "aws:iam/role:Role", "writer-role");
    const credential = single(run, "genesyscloud:index/integrationCredential:IntegrationCredential", "bulk-credential");
    expect(credential.inputs.credentialTypeName).toBe("amazonWebServicesARN");
    expect(JSON.stringify(credential.inputs.fields)).toContain(String(role.state.arn));
    const integration = single(run, "genesyscloud:index/integration:Integration", "bulk-integration");
    expect(integration.inputs).toMatchObject({ integrationType: "aws-s3-recording-bulk-actions-integration", intendedState: "ENABLED" });
    const config = integration.inputs.config as { properties: string; credentials: Record<string, string> };
    expect(JSON.parse(config.properties)).toEqual({ bucketName: "legal-hold-landing-bucket" });
    expect(config.credentials).toEqual({ AmazonWebServicesARN: credential.state.id ?? expect.any(String) });
    expect(integration.dependencies).toContain(single(run, "aws:iam/rolePolicy:RolePolicy", "bulk-writer-policy").urn);
    expect(run.outputs).toMatchObject({ writerRoleArn: role.state.arn });
  });

  it("uses the setting names it is given, for when Genesys' schema names them otherwise", () => {
    const credential = single(run, "genesyscloud:index/integrationCredential:IntegrationCredential", "renamed-credential");
    expect(credential.inputs.credentialTypeName).toBe("awsRoleArn");
    const config = single(run, "genesyscloud:index/integration:Integration", "renamed-integration").inputs.config as {
      properties: string;
      credentials: Record<string, string>;
    };
    expect(JSON.parse(config.properties)).toEqual({ s3BucketName: "legal-hold-landing-bucket" });
    expect(Object.keys(config.credentials)).toEqual(["awsRole"]);
  });
});
