import type { NormalizedStatement } from "./iamDocument";

/** Condition operators that pin a key to exact values (no IfExists: an absent key must not pass). */
const EXACT_ARN_OPERATORS = ["ArnEquals", "StringEquals"];

/** The values a statement pins a condition key to with one of the operators; keys compare case-insensitively, as IAM's do. */
function pinnedValues(statement: NormalizedStatement, operators: string[], key: string): string[] {
  return operators.flatMap((operator) =>
    Object.entries(statement.conditions[operator] ?? {})
      .filter(([name]) => name.toLowerCase() === key)
      .flatMap(([, list]) => list),
  );
}

/** Some value, and every one passing the test. */
const allOf = (values: string[], test: (value: string) => boolean) => values.length > 0 && values.every(test);

/**
 * A service principal (S3 delivering a bucket's event notifications) sends
 * for one of the stack's own buckets only: aws:SourceArn pinned to those
 * buckets' ARNs (by value), and aws:SourceAccount pinned too, since a
 * deleted bucket's name can be taken by another account.
 */
export function sendsForStackBucketsOnly(statement: NormalizedStatement, stackBucketArns: ReadonlySet<unknown>): boolean {
  const sources = pinnedValues(statement, EXACT_ARN_OPERATORS, "aws:sourcearn");
  const accounts = pinnedValues(statement, ["StringEquals"], "aws:sourceaccount");
  return allOf(sources, (arn) => stackBucketArns.has(arn)) && allOf(accounts, (account) => /^\d{12}$/.test(account));
}
