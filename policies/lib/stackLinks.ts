import type { PolicyResource } from "@pulumi/policy";
import { PURPOSE_TAG, S3_BUCKET } from "./resourceTypes";

/**
 * The resource a property points at. The engine records which resources each
 * input came from (propertyDependencies), which holds even at preview when
 * names and ARNs are unknown; a state file without that record falls back to
 * matching the value against the candidates' `matchProperty`.
 */
export function linkedResource(
  resource: PolicyResource,
  property: string,
  candidates: PolicyResource[],
  matchProperty: string,
): PolicyResource | undefined {
  const linked = (resource.propertyDependencies[property] ?? []).filter((r) => candidates.includes(r));
  if (linked.length > 0) return linked[0];
  const value = resource.props[property];
  if (value === undefined) return undefined;
  return candidates.find((candidate) => candidate.props[matchProperty] === value);
}

export function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => S3_BUCKET.includes(r.type));
}

/** The bucket an S3 configuration resource (versioning, encryption, ...) configures. */
export function configuredBucket(config: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  return linkedResource(config, "bucket", bucketsOf(resources), "bucket");
}

export function purposeOf(bucket: { props: Record<string, unknown> }): string | undefined {
  const tags = bucket.props.tags as Record<string, string> | undefined;
  return tags?.[PURPOSE_TAG];
}

/** The configuration resources of given types that point at a bucket. */
export function configsOf(bucket: PolicyResource, types: string[], resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => types.includes(r.type) && configuredBucket(r, resources) === bucket);
}
