import { S3Client } from "@aws-sdk/client-s3";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * The S3 client the archive commands use: the SDK's default credential chain
 * (profiles with role_arn and mfa_serial included), and AWS_ENDPOINT_URL_S3
 * with path-style addressing for local servers. `credentials` replaces the chain
 * when a command shares one provider among its clients.
 */
export function archiveS3Client(env: NodeJS.ProcessEnv = process.env, credentials?: AwsCredentialIdentityProvider): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    followRegionRedirects: true,
  });
}
