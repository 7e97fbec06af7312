import { beforeAll, describe, expect, it } from "vitest";
import { CaseExportFunction, caseExportPolicy, resolveCaseExportFunctionArgs } from "../../../components/bulk/caseExportFunction";
import { CaseExportRole } from "../../../components/bulk/caseExportRole";
import { caseExportActionContractInput } from "../../../components/genesys/caseExportContract";
import { permissionStrings, workerPermissionPolicies } from "../../../components/genesys/workerPermissions";
import { GenesysIntegration } from "../../../components/genesysIntegration";
import { genesysSecretPolicy, secretKeyPolicy } from "../../../components/pipeline/pipelineResourcePolicies";
import { CASE_EXPORT_GENESYS_PERMISSIONS } from "../../../lambda/genesys/bulkExportClient";
import { runUnderMocks, type StackRun } from "../../../tools/engine/mockRuntime";
import { ofType, policyOf, single, statement } from "../../support/resources";

const ACCOUNT = "123456789012";
const settings = { project: "case-export-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };
const SECRET = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:genesys-client-AbCdEf";
const SIGNING = "arn:aws:kms:eu-west-2:123456789012:key/sign";
const ROLE = "arn:aws:iam::123456789012:role/lha-case-export";

describe("caseExportPolicy", () => {
  it("grants routing writes and read-back under routing/ only, landing listing, the secret, signing and its own logs", () => {
    const policy = caseExportPolicy({
      landingBucketArn: "arn:aws:s3:::landing",
      secretArn: SECRET,
      signingKeyArn: SIGNING,
      logGroupArn: "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/lambda/lha-case-export",
    });
    // The landing bucket has no Object Lock: the write admits no legal-hold header (iam-policy-missing-legal-hold-action).
    expect(statement(policy, "WriteCaseRouting")).toMatchObject({
      Action: ["s3:PutObject"],
      Resource: ["arn:aws:s3:::landing/routing/*"],
      Condition: { Null: { "s3:object-lock-legal-hold": "true" } },
    });
    expect(statement(policy, "ReadBackCaseRouting")).toMatchObject({
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::landing/routing/*"],
    });
    expect(statement(policy, "ListLandingObjects")).toMatchObject({ Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::landing"] });
    expect(statement(policy, "ReadGenesysClientCredentials").Resource).toEqual([SECRET]);
    expect(statement(policy, "SignCaseRecords")).toMatchObject({ Action: ["kms:Sign"], Resource: [SIGNING] });
    expect(policy.Statement.flatMap((s) => s.Action)).not.toContain("s3:DeleteObject");
  });
});

describe("resolveCaseExportFunctionArgs", () => {
  const base = {
    role: { arn: ROLE, name: "r", functionName: "lha-case-export" },
    archiveBucketName: "a",
    archiveKeyArn: "k",
    signingKeyArn: SIGNING,
    landingBucketName: "l",
    genesysCredentialsSecretArn: SECRET,
    genesysApiBaseUrl: "https://api.euw2.pure.cloud",
    genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
    bulkIntegrationId: "i",
  };
  it.each([
    [{ timeoutSeconds: 901 }, "[timeoutSeconds] must be from 60 to 900"],
    [{ logRetentionDays: 0 }, "[logRetentionDays] must be from 1 to 3653"],
    [{ role: { arn: ROLE, name: "r", functionName: "lha-worker" } }, "[role] must be a CaseExportRole"],
  ])("refuses %j at preview, naming the arg", (change, message) => {
    expect(() => resolveCaseExportFunctionArgs({ ...base, ...change })).toThrow(message);
  });
});

describe("the Genesys side of the bulk export", () => {
  it("grants the OAuth client's role exactly what the case export's calls need, only when bulk export is on", () => {
    expect(permissionStrings(workerPermissionPolicies(false, true))).toEqual(
      [...new Set(["recording:recording:view", "recording:deletionProtection:apply", ...CASE_EXPORT_GENESYS_PERMISSIONS])].sort(),
    );
    expect(permissionStrings(workerPermissionPolicies(false))).toEqual([
      "recording:deletionProtection:apply",
      "recording:recording:editRetention",
      "recording:recording:view",
    ]);
  });

  it("lets the case-export role read the secret and decrypt its key, beside the worker", () => {
    const worker = "arn:aws:iam::123456789012:role/worker";
    const secret = genesysSecretPolicy({ workerRoleArn: worker, adminPrincipalArns: [], caseExportRoleArn: ROLE });
    expect(statement(secret, "DenySecretReadsExceptWorker").Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": [ROLE, worker] } });
    const key = secretKeyPolicy({
      accountId: ACCOUNT,
      secretsManagerServiceName: "secretsmanager.eu-west-2.amazonaws.com",
      adminPrincipalArns: [],
      workerRoleArn: worker,
      caseExportRoleArn: ROLE,
    });
    expect(statement(key, "WorkerReadsTheSecretThroughSecretsManager").Principal).toEqual({ AWS: [ROLE, worker] });
    expect(
      statement(genesysSecretPolicy({ workerRoleArn: worker, adminPrincipalArns: [] }), "DenySecretReadsExceptWorker").Condition,
    ).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [worker] },
    });
  });
});

describe("CaseExportRole, CaseExportFunction and the data action under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const role = new CaseExportRole("case-export", { namePrefix: "lha", tags: { Team: "legal" } });
      const fn = new CaseExportFunction("case-export", {
        role,
        archiveBucketName: "lha-archive",
        archiveKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/archive",
        signingKeyArn: SIGNING,
        landingBucketName: "lha-landing",
        genesysCredentialsSecretArn: SECRET,
        genesysApiBaseUrl: "https://api.euw2.pure.cloud",
        genesysLoginBaseUrl: "https://login.euw2.pure.cloud",
        bulkIntegrationId: "0b6f7d3e-1111-4222-9333-444455556666",
      });
      const genesys = new GenesysIntegration("acme", {
        organizationId: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
        genesysAccountId: "765628985471",
        intakeFunctionArn: "arn:aws:lambda:eu-west-2:123456789012:function:lha-intake",
        credentialsSecretId: SECRET,
        caseExportFunctionArn: fn.functionArn,
      });
      return { fn: fn.functionArn, invoker: genesys.invokerRoleArn };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("pins the role's trust to the lha-case-export function", () => {
    const role = single(run, "aws:iam/role:Role", "case-export-role");
    const trust = statement(policyOf(role, "assumeRolePolicy"), "LambdaInThisAccountAssumesRole");
    expect(trust.Condition).toMatchObject({ ArnEqualsIfExists: { "aws:SourceArn": expect.stringMatching(/:function:lha-case-export$/) } });
  });

  it("runs nodejs22.x as lha-case-export with the contract's environment and no secret in it", () => {
    const fn = single(run, "aws:lambda/function:Function");
    expect(fn.inputs).toMatchObject({ name: "lha-case-export", runtime: "nodejs22.x", timeout: 900, reservedConcurrentExecutions: 1 });
    const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "ARCHIVE_BUCKET",
        "ARCHIVE_KMS_KEY_ARN",
        "BULK_INTEGRATION_ID",
        "GENESYS_API_BASE_URL",
        "GENESYS_CREDENTIALS_SECRET_ARN",
        "GENESYS_LOGIN_BASE_URL",
        "LANDING_BUCKET",
        "POWERTOOLS_SERVICE_NAME",
        "SIGNING_KEY_ARN",
      ].sort(),
    );
    expect(JSON.stringify(variables)).not.toMatch(/clientSecret|wire-client-secret/i);
  });

  it("logs to a KMS-encrypted group named for the function", () => {
    const group = single(run, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.inputs).toMatchObject({ name: "/aws/lambda/lha-case-export", retentionInDays: 365 });
    expect(group.inputs.kmsKeyId).toBeTruthy();
  });

  it("adds the case-export data action with the draft-04 contract, and lets the invoker role invoke both functions", () => {
    const actions = ofType(run, "genesyscloud:index/integrationAction:IntegrationAction");
    expect(actions.map((a) => a.inputs.name).sort()).toEqual(["Export legal case by query", "Export legal-hold recordings"]);
    const caseAction = actions.find((a) => a.inputs.name === "Export legal case by query");
    expect(JSON.parse(caseAction?.inputs.contractInput as string)).toEqual(caseExportActionContractInput());
    expect(caseAction?.inputs).toMatchObject({ configTimeoutSeconds: 60, secure: true });
    const invoke = statement(policyOf(single(run, "aws:iam/rolePolicy:RolePolicy", "acme-invoker-policy")), "InvokeIntakeFunctionOnly");
    expect(invoke.Resource).toHaveLength(2);
    expect(invoke.Resource).toEqual(
      expect.arrayContaining(["arn:aws:lambda:eu-west-2:123456789012:function:lha-intake", expect.stringContaining("case-export")]),
    );
    const role = single(run, "genesyscloud:index/authRole:AuthRole");
    expect(role.inputs.permissionPolicies).toContainEqual({ domain: "recording", entityName: "job", actionSets: ["add", "edit", "view"] });
  });
});
