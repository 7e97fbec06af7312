import { type PolicyDocument, policyDocument } from "../iam/policyDocument";

/**
 * Trust policy of the role Genesys assumes to invoke the intake Lambda: only
 * Genesys' AWS account, only with your organization id as ExternalId (without
 * it any Genesys customer could invoke your function).
 */
export function genesysInvokerTrustPolicy(genesysAccountId: string, organizationId: string, partition = "aws"): PolicyDocument {
  return policyDocument([
    {
      Sid: "GenesysCloudAssumesWithOrganizationId",
      Effect: "Allow",
      Principal: { AWS: [`arn:${partition}:iam::${genesysAccountId}:root`] },
      Action: ["sts:AssumeRole"],
      Condition: { StringEquals: { "sts:ExternalId": organizationId } },
    },
  ]);
}

/** What the assumed role may do: invoke the intake function, nothing else. */
export function invokeIntakePolicy(intakeFunctionArn: string): PolicyDocument {
  return policyDocument([
    { Sid: "InvokeIntakeFunctionOnly", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [intakeFunctionArn] },
  ]);
}
