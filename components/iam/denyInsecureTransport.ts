import type { PolicyStatement } from "./policyDocument";

/** A bucket-policy statement refusing every request not sent over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyRequestsWithoutTls",
    Effect: "Deny",
    Principal: "*",
    Action: ["s3:*"],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
