import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * Who runs the release, as STS GetCallerIdentity answers for the default
 * credential chain (the same chain, so the same identity, the S3 and KMS
 * clients use). Honours AWS_ENDPOINT_URL_STS like the other clients honour
 * their overrides.
 */

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

export class CallerIdentityError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CallerIdentityError";
  }
}

export async function getCallerIdentity(env: NodeJS.ProcessEnv, credentials: AwsCredentialIdentityProvider): Promise<CallerIdentity> {
  const sts = new STSClient({ credentials, ...(env.AWS_ENDPOINT_URL_STS ? { endpoint: env.AWS_ENDPOINT_URL_STS } : {}) });
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}));
    if (!answer.Arn || !answer.Account || !answer.UserId) throw new Error("the answer names no Arn, Account or UserId");
    return { arn: answer.Arn, account: answer.Account, userId: answer.UserId };
  } catch (error) {
    throw new CallerIdentityError(
      `STS GetCallerIdentity failed (${(error as Error).message}); sign in as the hold-release role (AWS_PROFILE naming a profile with role_arn, external_id = legal-hold-release and mfa_serial)`,
      { cause: error },
    );
  } finally {
    sts.destroy();
  }
}
