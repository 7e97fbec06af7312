import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyDocument, policyDocument } from "./iam/policyDocument";

export interface HoldReleaseRoleArgs {
  /** The people (IAM users or roles) who may lift legal holds; each must sign in with MFA to assume the role. */
  principalArns: pulumi.Input<string>[];
  /** Longest session. @default 3600 */
  maxSessionDurationSeconds?: number;
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/**
 * The ExternalId the release command sends. Not a secret: it makes lifting
 * holds a deliberate step (a console switch-role cannot send one, a script
 * assuming roles by habit does not), and keeps the pack's rule that every
 * AWS-principal trust names an ExternalId.
 */
export const HOLD_RELEASE_EXTERNAL_ID = "legal-hold-release";

/**
 * Trust policy of the hold-release role: only the named principals, and only
 * with MFA. `Bool` (not `BoolIfExists`): long-term access keys carry no
 * aws:MultiFactorAuthPresent at all, and must not pass.
 */
export function holdReleaseTrustPolicy(principalArns: string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "NamedPrincipalsWithMfaAssumeRole",
      Effect: "Allow",
      Principal: { AWS: principalArns },
      Action: ["sts:AssumeRole"],
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, StringEquals: { "sts:ExternalId": HOLD_RELEASE_EXTERNAL_ID } },
    },
  ]);
}

/** Refuses an empty principal list: a release role nobody can assume is a resource without a purpose. */
export function checkHoldReleaseArgs(args: HoldReleaseRoleArgs): void {
  if (args.principalArns.length === 0)
    throw new Error("HoldReleaseRole: [principalArns] must name at least one principal; leave the role out when nobody may lift holds");
  const duration = args.maxSessionDurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
    throw new Error(`HoldReleaseRole: [maxSessionDurationSeconds] must be from 900 to 43200; got ${duration}`);
}

/**
 * The only role that may set a legal hold OFF. Created before the archive so
 * the bucket policy can name it; the archive attaches its one grant
 * (s3:PutObjectLegalHold and reading hold state), as it does the writer's.
 */
export class HoldReleaseRole extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: HoldReleaseRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("legal-hold-archive:index:HoldReleaseRole", name, {}, opts);
    checkHoldReleaseArgs(args);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Lifts legal holds on archived recordings, case by case; assumable only with MFA",
        assumeRolePolicy: pulumi.all(args.principalArns).apply((arns) => JSON.stringify(holdReleaseTrustPolicy(arns))),
        maxSessionDuration: args.maxSessionDurationSeconds ?? 3600,
        tags: args.tags ?? {},
      },
      { parent: this },
    );
    this.arn = role.arn;
    this.name = role.name;
    this.registerOutputs({ arn: this.arn, name: this.name });
  }
}
