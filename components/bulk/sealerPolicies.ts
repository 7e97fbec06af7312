import { type PolicyDocument, policyDocument } from "../iam/policyDocument";
import { writeOwnLogs } from "../pipeline/pipelinePolicies";
import { QUEUE_GOVERNANCE_ACTIONS } from "../pipeline/pipelineResourcePolicies";

/** Where the case export writes routing objects in the landing bucket (lambda/bulk/caseRouting.ts). */
export const ROUTING_PREFIX = "routing/";

export const QUEUE_CONSUME_ACTIONS = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"];

export interface SealerLandingPolicyInputs {
  landingBucketArn: string;
  landingKeyArn: string;
  organizationId: string;
  queueArn: string;
  logGroupArn: string;
}

/**
 * What the sealer needs beyond the archive's writer grant (which the archive
 * attaches to its role): read Genesys' landing objects and the routing
 * objects, delete landing objects once sealed, decrypt them, consume its
 * queue, write its logs. Nothing else in the landing bucket.
 */
export function sealerLandingPolicy(inputs: SealerLandingPolicyInputs): PolicyDocument {
  const { landingBucketArn, organizationId } = inputs;
  const landed = `${landingBucketArn}/${organizationId}/*`;
  const routing = `${landingBucketArn}/${ROUTING_PREFIX}*`;
  return policyDocument([
    // GetObjectVersion: reads are pinned to the version the sealer inspected when the bucket is versioned.
    {
      Sid: "ReadLandedRecordingsAndRouting",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [landed, routing],
    },
    // Only after every routed case holds a sealed copy; DeleteObjectVersion removes exactly the version sealed.
    { Sid: "RemoveSealedLandingObjects", Effect: "Allow", Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: [landed] },
    // Listing finds a conversation's routing objects; it also makes a missing landing object answer 404 (a HEAD carries
    // no s3:prefix, hence IfExists), which is how a redelivery after cleanup knows there is nothing left to do.
    {
      Sid: "ListRoutingAndLandedPrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [landingBucketArn],
      Condition: { StringLikeIfExists: { "s3:prefix": [`${ROUTING_PREFIX}*`, `${organizationId}/*`] } },
    },
    { Sid: "DecryptLandedObjects", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [inputs.landingKeyArn] },
    { Sid: "ConsumeLandingEvents", Effect: "Allow", Action: QUEUE_CONSUME_ACTIONS, Resource: [inputs.queueArn] },
    writeOwnLogs(inputs.logGroupArn),
  ]);
}

export interface SealerQueuePolicyInputs {
  queueArn: string;
  accountId: string;
  landingBucketArn: string;
  sealerRoleArn: string;
  /** Principals that may change the queue (the deployer among them). */
  adminPrincipalArns: string[];
}

/**
 * The sealer queue's policy. A message makes the sealer take a landing object
 * into custody, so only S3 may send, and only for the landing bucket of this
 * account (aws:SourceArn and aws:SourceAccount: both, since a bucket name can
 * be taken by another account once deleted); only the sealer consumes.
 */
export function sealerQueuePolicy(inputs: SealerQueuePolicyInputs): PolicyDocument {
  const { queueArn, landingBucketArn, accountId } = inputs;
  return policyDocument([
    {
      Sid: "LandingBucketNotifiesSealer",
      Effect: "Allow",
      Principal: { Service: ["s3.amazonaws.com"] },
      Action: ["sqs:SendMessage"],
      Resource: [queueArn],
      Condition: { ArnEquals: { "aws:SourceArn": landingBucketArn }, StringEquals: { "aws:SourceAccount": accountId } },
    },
    // A principal in the account (whose IAM policy might allow SendMessage) carries no aws:SourceArn: denied too,
    // except admins, who redrive the dead-letter queue once a person has fixed the cause.
    {
      Sid: "DenySendsExceptLandingBucket",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:SendMessage"],
      Resource: [queueArn],
      Condition: { ArnNotEquals: { "aws:SourceArn": landingBucketArn, "aws:PrincipalArn": inputs.adminPrincipalArns } },
    },
    {
      Sid: "DenySendsFromOtherAccounts",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:SendMessage"],
      Resource: [queueArn],
      Condition: {
        StringNotEquals: { "aws:SourceAccount": accountId },
        ArnNotEquals: { "aws:PrincipalArn": inputs.adminPrincipalArns },
      },
    },
    {
      Sid: "DenyConsumptionExceptSealer",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"],
      Resource: [queueArn],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [inputs.sealerRoleArn] } },
    },
    {
      Sid: "DenyQueueChangesExceptAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: QUEUE_GOVERNANCE_ACTIONS,
      Resource: [queueArn],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": inputs.adminPrincipalArns } },
    },
  ]);
}
