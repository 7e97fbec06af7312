import { beforeAll, describe, expect, it } from "vitest";
import { checkHoldReleaseArgs, HOLD_RELEASE_EXTERNAL_ID, HoldReleaseRole, holdReleaseTrustPolicy } from "../../components/holdReleaseRole";
import { runUnderMocks, type StackRun } from "../../tools/engine/mockRuntime";
import { single } from "../support/resources";

const COUNSEL = "arn:aws:iam::111122223333:role/Counsel";
const settings = { project: "release-test", stack: "test", config: { "aws:region": "eu-west-2" }, secretKeys: [] };

describe("holdReleaseTrustPolicy", () => {
  it("lets only the named principals in, with MFA (Bool, so keys without the flag fail) and the release ExternalId", () => {
    expect(holdReleaseTrustPolicy([COUNSEL]).Statement).toEqual([
      {
        Sid: "NamedPrincipalsWithMfaAssumeRole",
        Effect: "Allow",
        Principal: { AWS: [COUNSEL] },
        Action: ["sts:AssumeRole"],
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, StringEquals: { "sts:ExternalId": HOLD_RELEASE_EXTERNAL_ID } },
      },
    ]);
  });
});

describe("checkHoldReleaseArgs", () => {
  it.each([
    [{ principalArns: [] }, "[principalArns] must name at least one principal"],
    [{ principalArns: [COUNSEL], maxSessionDurationSeconds: 600 }, "[maxSessionDurationSeconds] must be from 900 to 43200; got 600"],
  ])("refuses %j naming the arg", (args, message) => {
    expect(() => checkHoldReleaseArgs(args)).toThrow(message);
  });
});

describe("HoldReleaseRole under mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runUnderMocks(settings, async () => {
      const role = new HoldReleaseRole("release", { principalArns: [COUNSEL], tags: { Team: "legal" } });
      return { arn: role.arn };
    });
  }, 120_000); // the Pulumi runtime under mocks; generous for a saturated 2-core machine

  it("creates one role, trusting the counsel with MFA, holding no permission of its own", () => {
    const role = single(run, "aws:iam/role:Role", "release-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(holdReleaseTrustPolicy([COUNSEL]));
    expect(role.inputs).toMatchObject({ maxSessionDuration: 3600, tags: { Team: "legal" } });
    expect(run.resources.filter((r) => r.type.startsWith("aws:iam/rolePolicy"))).toEqual([]);
  });
});
