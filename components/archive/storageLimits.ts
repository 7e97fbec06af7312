/** S3 Object Lock's longest retention, in days and in years. */
export const MAX_RETENTION_DAYS = 36500;
export const MAX_RETENTION_YEARS = 100;
/** Glacier Instant Retrieval bills at least 90 days; moving on to Deep Archive sooner costs more, not less. */
export const GLACIER_IR_MINIMUM_DAYS = 90;
