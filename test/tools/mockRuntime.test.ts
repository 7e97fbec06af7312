import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../../tools/engine/mockRuntime";

const settings = { project: "mock-test", stack: "test", config: {}, secretKeys: [] };

describe("the mock runtime", () => {
  it("fails loudly when a program makes an invoke it does not provide", async () => {
    const program = async () => ({ zones: aws.getAvailabilityZonesOutput({}).names });
    await expect(runUnderMocks(settings, program)).rejects.toThrow(
      "the program called invoke aws:index/getAvailabilityZones:getAvailabilityZones, which the mock runtime does not provide",
    );
  });
});
