import { type PolicyDocument, policyDocument } from "../iam/policyDocument";

/**
 * Genesys Cloud's AWS accounts (765628985471, FedRAMP's 325654371633) are
 * commercial-partition accounts, whatever partition the archive is deployed
 * in; the trust policy names them there, never in the deployer's partition.
 */
export const GENESYS_PARTITION = "aws";

/**
 * IAM refuses a principal from another partition, and Genesys invokes Lambda
 * functions only in `aws`: in GovCloud, China or a sovereign partition the
 * data action could never reach the intake. Fail at preview, saying so.
 */
export function requireGenesysPartition(deployPartition: string): void {
  if (deployPartition !== GENESYS_PARTITION)
    throw new Error(
      `GenesysIntegration: the stack deploys into the "${deployPartition}" partition, but Genesys Cloud assumes the invoker role from its accounts in "${GENESYS_PARTITION}" and IAM does not trust principals across partitions; deploy the intake in a commercial-partition ("${GENESYS_PARTITION}") account`,
    );
}

/**
 * Trust policy of the role Genesys assumes to invoke the intake Lambda: only
 * Genesys' AWS account, only with your organization id as ExternalId (without
 * it any Genesys customer could invoke your function).
 */
export function genesysInvokerTrustPolicy(genesysAccountId: string, organizationId: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "GenesysCloudAssumesWithOrganizationId",
      Effect: "Allow",
      Principal: { AWS: [`arn:${GENESYS_PARTITION}:iam::${genesysAccountId}:root`] },
      Action: ["sts:AssumeRole"],
      Condition: { StringEquals: { "sts:ExternalId": organizationId } },
    },
  ]);
}

/** What the assumed role may do: invoke the intake function (and the case-export function when bulk export is on), nothing else. */
export function invokeIntakePolicy(intakeFunctionArn: string | undefined, caseExportFunctionArn?: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "InvokeIntakeFunctionOnly",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: [intakeFunctionArn, caseExportFunctionArn].filter((arn) => arn !== undefined),
    },
  ]);
}
