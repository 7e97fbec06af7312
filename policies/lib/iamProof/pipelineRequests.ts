import { GENESYS_AWS_ACCOUNT } from "../../shared/genesysAccounts";
import { parsePolicyDocument } from "../iamDocument";
import { type Actor, rowMaker, type Target } from "./archiveRequests";
import { type ExportAccessModel, externalIdOf } from "./exportAccessModel";
import type { ProofRow } from "./proofRow";

const ALLOW_ASSUME_ROLE = {
  name: "genesys-cloud-account",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
};
const ORG_PLACEHOLDER = "00000000-0000-4000-8000-00000000a11d";

/** The pipeline's requests: the worker's queue and secret, Genesys assuming the invoker role, the invoker calling the intake. */
export function pipelineRows(model: ExportAccessModel, genesysAccountIds: string[]): ProofRow[] {
  const { worker, invoker, accountId } = model;
  const rows: ProofRow[] = [];
  const row = rowMaker(accountId, rows);
  const role = worker?.role;
  if (role) {
    const w: Actor = { who: "the export worker", arn: role.arn, identityPolicies: role.identityPolicies, urn: role.resource.urn };
    if (worker?.queueArn) {
      const queue: Target = { on: "the job queue", arn: worker.queueArn, urn: role.resource.urn };
      row(
        "worker-receive-jobs",
        w,
        "sqs:ReceiveMessage",
        queue,
        {},
        "Allowed",
        "the worker consumes export jobs",
        "grant sqs:ReceiveMessage and sqs:DeleteMessage on the job queue",
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
    }
    if (worker?.secretArn) {
      const secret: Target = { on: "the Genesys client secret", arn: worker.secretArn, urn: role.resource.urn };
      row(
        "worker-read-secret",
        w,
        "secretsmanager:GetSecretValue",
        secret,
        {},
        "Allowed",
        "the worker signs in to Genesys with it",
        "grant secretsmanager:GetSecretValue on the credentials secret",
      );
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
