/**
 * Genesys Cloud limits the case export respects. Each says whether it was
 * confirmed in Genesys' own API documentation (the Platform API SDK docs,
 * MyPureCloud/platform-client-sdk-*, RecordingApi / AnalyticsApi / models) or
 * is an assumption kept as a named constant to be checked against an org.
 */

/**
 * CONFIRMED (RecordingApi postRecordingJobs): "Each organization can run up to
 * a maximum of two concurrent jobs that are either in pending or processing state."
 */
export const MAX_CONCURRENT_RECORDING_JOBS = 2;

/** Job states that count against MAX_CONCURRENT_RECORDING_JOBS (same source). */
export const RUNNING_JOB_STATES: ReadonlySet<string> = new Set(["PENDING", "PROCESSING"]);

/** CONFIRMED (RecordingJob.state enum): the states a job ends in. */
export const FINAL_JOB_STATES: ReadonlySet<string> = new Set(["FULFILLED", "FAILED", "CANCELLED"]);

/**
 * ASSUMED: how many conversations one job's conversation query names. The job
 * is restricted to exact conversations by one "or" conversation filter with a
 * `conversationId` predicate each; Genesys documents no predicate limit we
 * could find, so a case is split into jobs of at most this many.
 */
export const MAX_CONVERSATIONS_PER_JOB = 100;

/**
 * CONFIRMED (facts.md §3/§7, Genesys Help "deletion protection"): at most 1000
 * protected conversations per organization.
 */
export const ORG_PROTECTED_CONVERSATIONS_LIMIT = 1000;

/** ASSUMED: conversation ids per PUT /api/v2/recordings/deletionprotection (the body is a list; no documented maximum found). */
export const DELETION_PROTECTION_BATCH_SIZE = 100;

/** ASSUMED (widely used, not found in the SDK docs): the largest `paging.pageSize` of a conversation details query. */
export const DETAILS_QUERY_PAGE_SIZE = 100;

/** ASSUMED: the longest interval of one synchronous conversation details query (the CLI refuses longer ones up front). */
export const MAX_QUERY_INTERVAL_DAYS = 31;

/** OUR bound: a case larger than this is refused (narrow the interval or add filters) rather than exported half. */
export const MAX_CASE_CONVERSATIONS = 5000;

/** CONFIRMED (getRecordingJobFailedrecordings): "Page size. Maximum is 100." */
export const FAILED_RECORDINGS_PAGE_SIZE = 100;
