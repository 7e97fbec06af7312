/**
 * A worker makes at most about one Genesys API call a second: transcoding
 * polls are seconds apart and a media download is one call however long it
 * streams. So the reserved concurrency that keeps the client under its rate
 * limit is the limit per minute divided by 60, and at least 2 (the smallest
 * maximumConcurrency an SQS event source accepts).
 */
export const CALLS_PER_MINUTE_PER_WORKER = 60;

export function workerConcurrencyFor(rateLimitPerMinute: number): number {
  return Math.max(2, Math.floor(rateLimitPerMinute / CALLS_PER_MINUTE_PER_WORKER));
}
