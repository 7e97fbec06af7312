/** The HTTP status of an AWS SDK error, when it carries one. */
export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** S3 refused a conditional write (If-None-Match: *) because the key already holds a version. */
export function isPreconditionFailed(error: unknown): boolean {
  return httpStatus(error) === 412 || (error as Error | undefined)?.name === "PreconditionFailed";
}
