import type { PolicyResource } from "@pulumi/policy";
import { PURPOSE_TAG, S3_BUCKET } from "./resourceTypes";
import { firstWithValue, groupedBy, membership, resourcesOfType } from "./stackIndex";

/**
 * The resource a property points at. The engine records which resources each
 * input came from (propertyDependencies), which holds even at preview when
 * names and ARNs are unknown; a state file without that record falls back to
 * matching the value against the candidates' `matchProperty`.
 *
 * Candidates from resourcesOfType (stackBuckets, ...) are looked up through
 * indexes built once per stack evaluation; any other array is scanned.
 */
export function linkedResource(
  resource: PolicyResource,
  property: string,
  candidates: PolicyResource[],
  matchProperty: string,
): PolicyResource | undefined {
  const linked = (resource.propertyDependencies[property] ?? []).filter(membership(candidates));
  if (linked.length > 0) return linked[0];
  const value = resource.props[property];
  if (value === undefined) return undefined;
  return firstWithValue(candidates, [matchProperty], value);
}

export function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => S3_BUCKET.includes(r.type));
}

/**
 * The stack's buckets, as bucketsOf, but one shared (frozen) array per stack
 * evaluation, which linkedResource looks up through indexes.
 */
export function stackBuckets(resources: PolicyResource[]): PolicyResource[] {
  return resourcesOfType(resources, S3_BUCKET);
}

/** The bucket an S3 configuration resource (versioning, encryption, ...) configures. */
export function configuredBucket(config: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  return linkedResource(config, "bucket", stackBuckets(resources), "bucket");
}

export function purposeOf(bucket: { props: Record<string, unknown> }): string | undefined {
  const tags = bucket.props.tags as Record<string, string> | undefined;
  return tags?.[PURPOSE_TAG];
}

/** The configuration resources of given types that point at a bucket. */
export function configsOf(bucket: PolicyResource, types: string[], resources: PolicyResource[]): PolicyResource[] {
  // Which configurations point at each bucket, worked out once per stack evaluation: every
  // configuration's bucket is resolved in stack order, as a filter over the stack would.
  const byBucket = groupedBy(resources, `configsOf\u0000${types.join("\u0000")}`, resourcesOfType(resources, types), (config) =>
    configuredBucket(config, resources),
  );
  return [...(byBucket.get(bucket) ?? [])];
}
