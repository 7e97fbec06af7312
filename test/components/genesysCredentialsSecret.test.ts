// The Genesys client secret serves the export worker (Lambda mode), the case export (bulk mode) or both:
// its key policy and resource policy name exactly the readers of the modes deployed.
import { describe, expect, it } from "vitest";
import { GenesysCredentialsSecret } from "../../components/genesysCredentialsSecret";
import { runUnderMocks } from "../../tools/engine/mockRuntime";
import { policyOf, single, statement } from "../support/resources";

const ADMIN = "arn:aws:iam::111122223333:role/Admin";
const WORKER = "arn:aws:iam::111122223333:role/worker";
const CASE_EXPORT = "arn:aws:iam::111122223333:role/case-export";
const settings = { project: "secret-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

async function readersOf(readers: { workerRoleArn?: string; caseExportRoleArn?: string }) {
  const run = await runUnderMocks(settings, async () => {
    const secret = new GenesysCredentialsSecret("export", { adminPrincipalArns: [ADMIN], ...readers });
    return { secretArn: secret.secretArn };
  });
  const key = policyOf(single(run, "aws:kms/key:Key", "export-secret-key"));
  const secretPolicy = policyOf(single(run, "aws:secretsmanager/secretPolicy:SecretPolicy", "genesys-client-policy"));
  return {
    run,
    keyReaders: statement(key, "WorkerReadsTheSecretThroughSecretsManager").Principal,
    secretReaders: statement(secretPolicy, "DenySecretReadsExceptWorker").Condition,
  };
}

describe("GenesysCredentialsSecret", () => {
  it("in bulk mode alone, lets only the case export (and admins) read the secret, under a protected customer key", async () => {
    const { run, keyReaders, secretReaders } = await readersOf({ caseExportRoleArn: CASE_EXPORT });
    expect(keyReaders).toEqual({ AWS: [CASE_EXPORT] });
    expect(secretReaders).toEqual({ ArnNotEquals: { "aws:PrincipalArn": [ADMIN, CASE_EXPORT] } });
    expect(single(run, "aws:kms/key:Key", "export-secret-key").protect).toBe(true);
    expect(single(run, "aws:secretsmanager/secret:Secret").inputs.kmsKeyId).toBe(single(run, "aws:kms/key:Key").state.arn);
    expect(run.outputs.secretArn).toBe(single(run, "aws:secretsmanager/secret:Secret").state.arn);
  });

  it("with both modes, names the worker and the case export", async () => {
    const { keyReaders } = await readersOf({ workerRoleArn: WORKER, caseExportRoleArn: CASE_EXPORT });
    expect(keyReaders).toEqual({ AWS: [CASE_EXPORT, WORKER] });
  });

  it("refuses to be built with no reader, naming both args", () => {
    expect(() => new GenesysCredentialsSecret("x", { adminPrincipalArns: [ADMIN] })).toThrow(/\[workerRoleArn\] or \[caseExportRoleArn\]/);
  });
});
