import { describe, expect, it } from "vitest";
import { genesysInvokerTrustPolicy, requireGenesysPartition } from "../../../components/genesys/invokerRolePolicies";

const ORG = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";

describe("the invoker role's trust in Genesys Cloud", () => {
  it("names Genesys' account in the aws partition, with the organization id as ExternalId", () => {
    const [statement] = genesysInvokerTrustPolicy("765628985471", ORG).Statement;
    expect(statement?.Principal).toEqual({ AWS: ["arn:aws:iam::765628985471:root"] });
    expect(statement?.Condition).toEqual({ StringEquals: { "sts:ExternalId": ORG } });
  });

  it("is deployable in the aws partition", () => {
    expect(() => requireGenesysPartition("aws")).not.toThrow();
  });

  it.each(["aws-us-gov", "aws-cn", "aws-eusc"])("refuses the %s partition, which Genesys' accounts cannot be trusted from", (partition) => {
    expect(() => requireGenesysPartition(partition)).toThrow(
      `GenesysIntegration: the stack deploys into the "${partition}" partition, but Genesys Cloud assumes the invoker role from its accounts in "aws"`,
    );
  });
});
