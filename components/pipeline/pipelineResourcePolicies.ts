import { KEY_ADMIN_ACTIONS } from "../archive/archiveKeyPolicy";
import { keyProtectionStatements } from "../archive/keyProtection";
import { type PolicyDocument, policyDocument } from "../iam/policyDocument";

const except = (arns: string[]) => ({ ArnNotEquals: { "aws:PrincipalArn": arns } });
/** Who reads the Genesys client secret: the worker (Lambda mode), the case export (bulk mode), or both. */
const readersOf = (...roleArns: (string | undefined)[]) => roleArns.filter((arn) => arn !== undefined);

/** Queue settings whose change could drop or redirect jobs; only admins may make them. */
export const QUEUE_GOVERNANCE_ACTIONS = [
  "sqs:AddPermission",
  "sqs:DeleteQueue",
  "sqs:PurgeQueue",
  "sqs:RemovePermission",
  "sqs:SetQueueAttributes",
  "sqs:TagQueue",
  "sqs:UntagQueue",
];

export interface JobQueuePolicyInputs {
  queueArn: string;
  intakeRoleArn: string;
  workerRoleArn: string;
  adminPrincipalArns: string[];
}

/**
 * The jobs queue's policy. A job's caseId and requestedBy end up in signed
 * custody records, so only the intake may enqueue (and admins, who redrive the
 * dead-letter queue and could rewrite this policy anyway), only the worker
 * consumes, only admins change the queue.
 */
export function jobQueuePolicy({ queueArn, intakeRoleArn, workerRoleArn, adminPrincipalArns }: JobQueuePolicyInputs): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyJobSendsExceptIntake",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:SendMessage"],
      Resource: [queueArn],
      Condition: except([intakeRoleArn, ...adminPrincipalArns]),
    },
    {
      Sid: "DenyJobConsumptionExceptWorker",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"],
      Resource: [queueArn],
      Condition: except([workerRoleArn]),
    },
    {
      Sid: "DenyQueueChangesExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: QUEUE_GOVERNANCE_ACTIONS,
      Resource: [queueArn],
      Condition: except(adminPrincipalArns),
    },
  ]);
}

/** Changes to the secret or its guards; only admins (who deploy its value) may make them. */
export const SECRET_GOVERNANCE_ACTIONS = [
  "secretsmanager:CancelRotateSecret",
  "secretsmanager:DeleteResourcePolicy",
  "secretsmanager:DeleteSecret",
  "secretsmanager:PutResourcePolicy",
  "secretsmanager:PutSecretValue",
  "secretsmanager:RemoveRegionsFromReplication",
  "secretsmanager:ReplicateSecretToRegions",
  "secretsmanager:RestoreSecret",
  "secretsmanager:RotateSecret",
  "secretsmanager:StopReplicationToReplica",
  "secretsmanager:UpdateSecret",
  "secretsmanager:UpdateSecretVersionStage",
];

/**
 * The Genesys client secret's resource policy: only the worker reads it (and
 * admins, whose deployment writes the value and refreshes it), only admins
 * change it. In a secret's policy `Resource: "*"` means this secret.
 */
export function genesysSecretPolicy({
  workerRoleArn,
  adminPrincipalArns,
  caseExportRoleArn,
}: {
  /** The export worker's role (Lambda mode). */
  workerRoleArn?: string;
  adminPrincipalArns: string[];
  /** The case-export function's role (bulk export mode): it uses the same OAuth client. */
  caseExportRoleArn?: string;
}) {
  return policyDocument([
    {
      Sid: "DenySecretReadsExceptWorker",
      Effect: "Deny",
      Principal: "*",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: "*",
      Condition: except([...readersOf(workerRoleArn, caseExportRoleArn), ...adminPrincipalArns]),
    },
    {
      Sid: "DenySecretChangesExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: SECRET_GOVERNANCE_ACTIONS,
      Resource: "*",
      Condition: except(adminPrincipalArns),
    },
  ]);
}

export interface SecretKeyPolicyInputs {
  accountId: string;
  /** secretsmanager.<region>.amazonaws.com */
  secretsManagerServiceName: string;
  adminPrincipalArns: string[];
  /** The export worker's role (Lambda mode). */
  workerRoleArn?: string;
  /** The case-export function's role (bulk export mode): decrypts the secret like the worker. */
  caseExportRoleArn?: string;
  breakGlassPrincipalArn?: string;
}

/**
 * The key of the Genesys client secret: admins administer it and, through
 * Secrets Manager only, encrypt (write) and decrypt (refresh) the value; the
 * worker only decrypts, through Secrets Manager.
 */
export function secretKeyPolicy(inputs: SecretKeyPolicyInputs): PolicyDocument {
  const { accountId, secretsManagerServiceName, adminPrincipalArns, workerRoleArn, caseExportRoleArn, breakGlassPrincipalArn } = inputs;
  const viaSecretsManager = { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": secretsManagerServiceName } };
  return policyDocument([
    ...keyProtectionStatements(breakGlassPrincipalArn),
    { Sid: "AdministerSecretKey", Effect: "Allow", Principal: { AWS: adminPrincipalArns }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
    {
      Sid: "AdminsWriteTheSecretThroughSecretsManager",
      Effect: "Allow",
      Principal: { AWS: adminPrincipalArns },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: viaSecretsManager,
    },
    {
      Sid: "WorkerReadsTheSecretThroughSecretsManager",
      Effect: "Allow",
      Principal: { AWS: readersOf(workerRoleArn, caseExportRoleArn) },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: viaSecretsManager,
    },
  ]);
}
