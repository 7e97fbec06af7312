import { S3Client } from "@aws-sdk/client-s3";

/**
 * The S3 client the archive commands use: the SDK's default credential chain
 * (profiles with role_arn and mfa_serial included), and AWS_ENDPOINT_URL_S3
 * with path-style addressing for local servers.
 */
export function archiveS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  return new S3Client({ ...(endpoint ? { endpoint, forcePathStyle: true } : {}), followRegionRedirects: true });
}
