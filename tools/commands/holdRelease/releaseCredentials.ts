import { createInterface } from "node:readline/promises";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * One credential provider for every client of the release (STS, S3, KMS), so
 * the profile's role is assumed once and the MFA code asked once. The SDK's
 * default chain reads a profile with role_arn, external_id and mfa_serial, but
 * refuses it unless the caller supplies the MFA code: it is read here from the
 * terminal, with the prompt on stderr. The STS client that assumes the role
 * does not read AWS_ENDPOINT_URL_STS itself: it is handed over here.
 */
export function releaseCredentials(io: {
  env: NodeJS.ProcessEnv;
  input?: NodeJS.ReadableStream;
  prompt: NodeJS.WritableStream;
}): AwsCredentialIdentityProvider {
  const stsEndpoint = io.env.AWS_ENDPOINT_URL_STS;
  return defaultProvider({
    ...(stsEndpoint ? { clientConfig: { endpoint: stsEndpoint } } : {}),
    mfaCodeProvider: async (serial: string) => {
      const terminal = createInterface({ input: io.input ?? process.stdin, output: io.prompt });
      try {
        return (await terminal.question(`MFA code for ${serial}: `)).trim();
      } finally {
        terminal.close();
      }
    },
  });
}
