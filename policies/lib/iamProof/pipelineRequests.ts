import { GENESYS_AWS_ACCOUNT } from "../../shared/genesysAccounts";
import { parsePolicyDocument } from "../iamDocument";
import { type Actor, rowMaker, type Target } from "./archiveRequests";
import { type ExportAccessModel, externalIdOf } from "./exportAccessModel";
import { ALLOW_EVERYTHING, type ProofRow } from "./proofRow";

/** What Genesys' account holds in the proof: the right to assume roles; only the role's trust can stop it. */
export const ALLOW_ASSUME_ROLE = {
  name: "genesys-cloud-account",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
};
/** Stands in for the organization id when a trust policy names none. */
export const ORG_PLACEHOLDER = "00000000-0000-4000-8000-00000000a11d";

/** The pipeline's requests: the worker's queue and secret, Genesys assuming the invoker role, the invoker calling the intake. */
export function pipelineRows(model: ExportAccessModel, genesysAccountIds: string[]): ProofRow[] {
  const { worker, invoker, accountId } = model;
  const rows: ProofRow[] = [];
  const row = rowMaker(accountId, rows);
  const role = worker?.role;
  const outsider: Actor = {
    who: "a same-account role with every permission",
    arn: `arn:aws:iam::${accountId}:role/not-a-pipeline-principal`,
    identityPolicies: [ALLOW_EVERYTHING],
    urn: "",
  };
  const admin: Actor | undefined = model.admins[0]
    ? { who: "an admin", arn: model.admins[0], identityPolicies: [ALLOW_EVERYTHING], urn: "" }
    : undefined;
  if (role && worker) {
    const lambda: Actor = { who: "the Lambda service", arn: "lambda.amazonaws.com", identityPolicies: [], urn: role.resource.urn };
    const trust: Target = { on: "the worker role", arn: role.arn, policy: role.trustPolicy, urn: role.resource.urn };
    const fnArn = String(worker.fn.props.arn);
    row(
      "lambda-assume-worker-role",
      lambda,
      "sts:AssumeRole",
      trust,
      { "aws:SourceAccount": accountId, "aws:SourceArn": fnArn },
      "Allowed",
      "the worker function runs as this role",
      "trust lambda.amazonaws.com with aws:SourceAccount = this account and aws:SourceArn = the worker function's ARN",
    );
    row(
      "lambda-assume-worker-role-for-another-function",
      lambda,
      "sts:AssumeRole",
      trust,
      { "aws:SourceAccount": accountId, "aws:SourceArn": fnArn.replace(/function:[^:]+/, "function:not-the-worker") },
      "Denied",
      "another function handed the archive writer's role must not write evidence",
      "pin the worker role's trust to the worker function's ARN (aws:SourceArn)",
    );
  }
  if (role) {
    const w: Actor = { who: "the export worker", arn: role.arn, identityPolicies: role.identityPolicies, urn: role.resource.urn };
    if (worker?.queueArn) {
      const queue: Target = {
        on: "the job queue",
        arn: worker.queueArn,
        policy: worker.queuePolicy?.policy,
        urn: worker.queuePolicy?.resource.urn ?? role.resource.urn,
      };
      row(
        "worker-receive-jobs",
        w,
        "sqs:ReceiveMessage",
        queue,
        {},
        "Allowed",
        "the worker consumes export jobs",
        "grant sqs:ReceiveMessage and sqs:DeleteMessage on the job queue and keep the worker in the queue policy's exemption",
      );
      row(
        "worker-delete-jobs",
        w,
        "sqs:DeleteMessage",
        queue,
        {},
        "Allowed",
        "a finished job leaves the queue",
        "grant sqs:DeleteMessage on the job queue",
      );
      row(
        "worker-purge-jobs",
        w,
        "sqs:PurgeQueue",
        queue,
        {},
        "Denied",
        "pending legal-hold exports are not the worker's to drop",
        "deny queue changes (purge, attributes, permissions, deletion) to everyone but admins in the queue policy",
      );
      const intakeRole = invoker?.intakeRole;
      if (intakeRole) {
        const i: Actor = {
          who: "the intake",
          arn: intakeRole.arn,
          identityPolicies: intakeRole.identityPolicies,
          urn: intakeRole.resource.urn,
        };
        row(
          "intake-send-job",
          i,
          "sqs:SendMessage",
          queue,
          {},
          "Allowed",
          "a validated export request becomes a job",
          "grant the intake sqs:SendMessage and keep it in the queue policy's send exemption",
        );
        row(
          "intake-receive-jobs",
          i,
          "sqs:ReceiveMessage",
          queue,
          {},
          "Denied",
          "only the worker consumes jobs",
          "deny sqs:ReceiveMessage, sqs:DeleteMessage and sqs:ChangeMessageVisibility to everyone but the worker",
        );
      }
      row(
        "outsider-send-job",
        outsider,
        "sqs:SendMessage",
        queue,
        {},
        "Denied",
        "a forged job's caseId and requestedBy would end up in signed custody records",
        "deny sqs:SendMessage in the queue policy to everyone but the intake (and admins, who redrive the dead-letter queue)",
      );
    }
    if (worker?.secretArn) {
      const secret: Target = {
        on: "the Genesys client secret",
        arn: worker.secretArn,
        policy: worker.secretPolicy?.policy,
        urn: worker.secretPolicy?.resource.urn ?? role.resource.urn,
      };
      row(
        "worker-read-secret",
        w,
        "secretsmanager:GetSecretValue",
        secret,
        {},
        "Allowed",
        "the worker signs in to Genesys with it",
        "grant secretsmanager:GetSecretValue on the credentials secret and keep the worker in the secret policy's read exemption",
      );
      row(
        "worker-change-secret",
        w,
        "secretsmanager:PutSecretValue",
        secret,
        {},
        "Denied",
        "the credentials are the admins' to set",
        "deny secret changes to everyone but admins in the secret's resource policy",
      );
      row(
        "outsider-read-secret",
        outsider,
        "secretsmanager:GetSecretValue",
        secret,
        {},
        "Denied",
        "the client can export every recording and lift Genesys deletion protection",
        "deny secretsmanager:GetSecretValue in the secret's resource policy to everyone but the worker (and admins)",
      );
      if (admin)
        row(
          "admin-set-secret",
          admin,
          "secretsmanager:PutSecretValue",
          secret,
          {},
          "Allowed",
          "the deployment writes the client credentials",
          "exempt the admins from the secret policy's change Deny",
        );
      const secretKey = worker.secretKey;
      if (secretKey) {
        const key: Target = {
          on: "the secret's key",
          arn: secretKey.arn,
          policy: secretKey.policy,
          urn: secretKey.resource.urn,
          keyPolicy: true,
        };
        row(
          "worker-decrypt-secret",
          w,
          "kms:Decrypt",
          key,
          { "kms:ViaService": `secretsmanager.${model.region}.amazonaws.com`, "kms:CallerAccount": accountId },
          "Allowed",
          "reading a secret under a customer key needs kms:Decrypt, through Secrets Manager",
          "name the worker in the secret key's policy with kms:Decrypt via secretsmanager.<region>.amazonaws.com",
        );
        if (admin)
          row(
            "admin-encrypt-secret",
            admin,
            "kms:GenerateDataKey",
            key,
            { "kms:ViaService": `secretsmanager.${model.region}.amazonaws.com`, "kms:CallerAccount": accountId },
            "Allowed",
            "writing the secret's value encrypts it under the key",
            "allow the admins kms:GenerateDataKey via Secrets Manager in the secret key's policy",
          );
      }
    }
  }
  if (!invoker) return rows;
  const trust = invoker.role.trustPolicy;
  const trusted = (parsePolicyDocument(trust) ?? []).flatMap((s) => s.awsPrincipals);
  const genesys = genesysAccountIds.find((id) => trusted.some((p) => p.includes(id))) ?? genesysAccountIds[0] ?? GENESYS_AWS_ACCOUNT;
  const orgId = externalIdOf(trust) ?? ORG_PLACEHOLDER;
  const g: Actor = {
    who: `Genesys Cloud (${genesys})`,
    arn: `arn:aws:iam::${genesys}:root`,
    identityPolicies: [ALLOW_ASSUME_ROLE],
    urn: "",
  };
  const invokerRole: Target = { on: "the invoker role", arn: invoker.role.arn, policy: trust, urn: invoker.role.resource.urn };
  const requireExternalId = "require StringEquals sts:ExternalId = your organization id in the trust policy";
  row(
    "genesys-assume-invoker",
    g,
    "sts:AssumeRole",
    invokerRole,
    { "sts:ExternalId": orgId },
    "Allowed",
    "the data action runs as this role",
    `trust arn:aws:iam::${genesys}:root for sts:AssumeRole with StringEquals sts:ExternalId = your organization id`,
  );
  row(
    "genesys-assume-other-org",
    g,
    "sts:AssumeRole",
    invokerRole,
    { "sts:ExternalId": "11111111-2222-4333-8444-555555555555" },
    "Denied",
    "another Genesys customer cannot drive this export (confused deputy)",
    requireExternalId,
  );
  row(
    "genesys-assume-no-external-id",
    g,
    "sts:AssumeRole",
    invokerRole,
    {},
    "Denied",
    "a request without the organization id is not this organization's",
    requireExternalId,
  );
  if (invoker.intakeArn) {
    const i: Actor = {
      who: "the invoker role",
      arn: invoker.role.arn,
      identityPolicies: invoker.role.identityPolicies,
      urn: invoker.role.resource.urn,
    };
    const intake: Target = { on: "the intake function", arn: invoker.intakeArn, urn: invoker.role.resource.urn };
    const other: Target = {
      on: "another function",
      arn: invoker.intakeArn.replace(/function:[^:]+/, "function:not-the-intake"),
      urn: invoker.role.resource.urn,
    };
    row(
      "invoker-invoke-intake",
      i,
      "lambda:InvokeFunction",
      intake,
      {},
      "Allowed",
      "the data action calls the intake",
      "allow lambda:InvokeFunction on the intake function's ARN to the invoker role",
    );
    row(
      "invoker-invoke-other",
      { ...i, identityPolicies: invoker.role.identityPolicies },
      "lambda:InvokeFunction",
      other,
      {},
      "Denied",
      "Genesys can reach this one function only",
      "allow lambda:InvokeFunction on the intake function's ARN only, never on *",
    );
  }
  return rows;
}
