import { beforeAll, describe, expect, it } from "vitest";
import { GenesysIntegration, type GenesysIntegrationArgs, resolveGenesysArgs } from "../../components/genesysIntegration";
import { MOCK_SECRET_OUTPUT, runUnderMocks, type StackRun } from "../../tools/engine/mockRuntime";
import { isSecretEnvelope, secretEnvelope } from "../../tools/engine/pulumiWire";
import { policyOf, single } from "../support/resources";

const ORG = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
const INTAKE = "arn:aws:lambda:eu-west-2:111122223333:function:intake";
const SECRET = "arn:aws:secretsmanager:eu-west-2:111122223333:secret:genesys-client-AbCdEf";
const args: GenesysIntegrationArgs = {
  organizationId: ORG,
  genesysAccountId: "765628985471",
  intakeFunctionArn: INTAKE,
  credentialsSecretId: SECRET,
};
const settings = { project: "genesys-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

describe("resolveGenesysArgs", () => {
  it("defaults to redacted media, one-hour tokens, all divisions and a 20-second action timeout", () => {
    expect(resolveGenesysArgs(args)).toMatchObject({
      exportUnredactedMedia: false,
      tokenValiditySeconds: 3600,
      divisionId: "*",
      actionTimeoutSeconds: 20,
    });
  });

  it.each([
    [{ tokenValiditySeconds: 86401 }, "[tokenValiditySeconds] must be from 300 to 86400"],
    [{ actionTimeoutSeconds: 61 }, "[actionTimeoutSeconds] must be from 1 to 60"],
    [{ genesysAccountId: "7656" }, "[genesysAccountId] must be a 12-digit AWS account id"],
    [{ organizationId: "acme" }, "[organizationId] must be the Genesys organization UUID"],
  ] as [Partial<GenesysIntegrationArgs>, string][])("refuses %j", (change, message) => {
    expect(() => resolveGenesysArgs({ ...args, ...change })).toThrow(message);
  });
});

describe("GenesysIntegration under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const g = new GenesysIntegration("acme", args);
      return { invoker: g.invokerRoleArn, client: g.oauthClientId };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("lets only Genesys' account assume the invoker role, with the organization id as ExternalId", () => {
    const role = single(run, "aws:iam/role:Role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Sid: "GenesysCloudAssumesWithOrganizationId",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::765628985471:root"] },
        Action: ["sts:AssumeRole"],
        Condition: { StringEquals: { "sts:ExternalId": ORG } },
      },
    ]);
  });

  it("lets the invoker role invoke the intake function and nothing else", () => {
    expect(policyOf(single(run, "aws:iam/rolePolicy:RolePolicy")).Statement).toEqual([
      { Sid: "InvokeIntakeFunctionOnly", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [INTAKE] },
    ]);
  });

  it("creates an amazonWebServicesARN credential naming the invoker role, sent as a secret", () => {
    const credential = single(run, "genesyscloud:index/integrationCredential:IntegrationCredential");
    expect(credential.inputs.credentialTypeName).toBe("amazonWebServicesARN");
    const fields = credential.inputs.fields as Record<string, unknown>;
    expect(isSecretEnvelope(fields)).toBe(true);
    expect(fields.value).toEqual({ ARN: run.outputs.invoker });
  });

  it("creates an enabled aws-lambda-data-actions integration using that credential", () => {
    const integration = single(run, "genesyscloud:index/integration:Integration");
    const credential = single(run, "genesyscloud:index/integrationCredential:IntegrationCredential");
    expect(integration.inputs).toMatchObject({
      integrationType: "aws-lambda-data-actions",
      intendedState: "ENABLED",
      config: { credentials: { AmazonWebServicesARN: "acme-credential-id" } },
    });
    expect(integration.propertyDependencies.config).toEqual([credential.urn]);
  });

  it("creates the export action: POST to the intake ARN, contract requiring conversationId and caseId, timeout within 60 s", () => {
    const action = single(run, "genesyscloud:index/integrationAction:IntegrationAction");
    expect(action.inputs).toMatchObject({
      name: "Export legal-hold recordings",
      integrationId: "acme-integration-id",
      configRequest: { requestType: "POST", requestUrlTemplate: INTAKE, requestTemplate: "$" + "{input.rawRequest}" },
      configResponse: { successTemplate: "$" + "{rawResult}" },
      configTimeoutSeconds: 20,
      secure: true,
    });
    expect(JSON.parse(action.inputs.contractInput as string).required).toEqual(["conversationId", "caseId"]);
  });

  it("grants the worker role exactly recording view, retention edit (restoring archived recordings) and deletion protection", () => {
    expect(single(run, "genesyscloud:index/authRole:AuthRole").inputs.permissionPolicies).toEqual([
      { domain: "recording", entityName: "recording", actionSets: ["view", "editRetention"] },
      { domain: "recording", entityName: "deletionProtection", actionSets: ["apply"] },
    ]);
  });

  it("creates a client-credentials OAuth client holding that role in all divisions, tokens valid one hour", () => {
    const client = single(run, "genesyscloud:index/oauthClient:OauthClient");
    expect(client.inputs).toMatchObject({
      authorizedGrantType: "CLIENT-CREDENTIALS",
      accessTokenValiditySeconds: 3600,
      roles: [{ roleId: "acme-worker-role-id", divisionId: "*" }],
    });
  });

  it("writes the client id and secret into the worker's secret as a Pulumi secret, never in clear", () => {
    const version = single(run, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretId).toBe(SECRET);
    const secretString = version.inputs.secretString as Record<string, unknown>;
    expect(isSecretEnvelope(secretString)).toBe(true);
    expect(JSON.parse(secretString.value as string)).toEqual({ clientId: run.outputs.client, clientSecret: MOCK_SECRET_OUTPUT });
  });

  it("keeps the OAuth client's secret as a secret output in the state, as the engine stores it encrypted", () => {
    const client = single(run, "genesyscloud:index/oauthClient:OauthClient");
    expect(client.state.clientSecret).toEqual(secretEnvelope(MOCK_SECRET_OUTPUT));
  });

  it("exports the OAuth client id but no secret among the component's outputs", () => {
    expect(JSON.stringify(run.outputs)).not.toContain(MOCK_SECRET_OUTPUT);
  });
});
