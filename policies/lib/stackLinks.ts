import type { PolicyResource } from "@pulumi/policy";
import { PURPOSE_TAG, S3_BUCKET } from "./resourceTypes";
import { firstWithValue, groupedBy, membership, resourcesOfType } from "./stackIndex";
import { byValueThenDependencies, UNDECIDED, undecidedUnlessIdentified } from "./valueFirst";

/**
 * The resource a property points at: the candidate whose `matchProperty` has
 * the property's value, or, while a value that decides it is unknown (preview),
 * the candidate the property depends on (see valueFirst.ts).
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
  return byValueThenDependencies(
    resource,
    property,
    (value) =>
      value === undefined
        ? UNDECIDED
        : undecidedUnlessIdentified(firstWithValue(candidates, [matchProperty], value), candidates, [matchProperty]),
    (dependencies) => dependencies.find(membership(candidates)),
  );
}

/**
 * The stack's buckets, in stack order. The shared, frozen list of
 * resourcesOfType: the export access proof asks for it once per archive, and a
 * fresh filter over the stack each time grew with the square of the stack.
 */
export function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
  return resourcesOfType(resources, S3_BUCKET);
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

/**
 * The stack's KMS keys an S3 encryption configuration's rules name (kmsMasterKeyId
 * is a key's ARN, or else its id); while those are unknown (preview), the keys
 * `rules` depends on.
 */
export function encryptionKeysOf(config: PolicyResource, keys: PolicyResource[]): PolicyResource[] {
  return byValueThenDependencies(
    config,
    "rules",
    (rules) =>
      ((rules as { applyServerSideEncryptionByDefault?: { kmsMasterKeyId?: unknown } }[] | undefined) ?? []).flatMap((rule) => {
        const id = rule?.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
        const key = typeof id === "string" ? firstWithValue(keys, ["arn", "keyId"], id) : undefined;
        return key ? [key] : [];
      }),
    (dependencies) => {
      const linked = dependencies.filter(membership(keys));
      return linked.length > 0 ? linked : undefined;
    },
  );
}

/**
 * The resources of `sourceTypes` whose `property` links to `target` (by value
 * first, see linkedResource), in stack order: what
 *
 *     resourcesOfType(resources, sourceTypes).filter((s) => linkedResource(s, property, candidates, matchProperty) === target)
 *
 * answers, with every source resolved once per stack evaluation instead of
 * once per target (the role policies of each role, the attachments of each
 * role). `candidates` must come from resourcesOfType.
 */
export function linkedFrom(
  resources: PolicyResource[],
  sourceTypes: string[],
  property: string,
  candidates: PolicyResource[],
  matchProperty: string,
  target: PolicyResource,
): readonly PolicyResource[] {
  const byTarget = groupedBy(
    resources,
    `linkedFrom\u0000${property}\u0000${matchProperty}\u0000${sourceTypes.join("\u0000")}\u0000${candidateKey(candidates)}`,
    resourcesOfType(resources, sourceTypes),
    (source) => linkedResource(source, property, candidates, matchProperty),
  );
  return byTarget.get(target) ?? [];
}

/** Distinguishes candidate lists in a grouping key: lists from resourcesOfType are one per type set. */
const candidateKeys = new WeakMap<PolicyResource[], string>();
let nextCandidateKey = 0;
function candidateKey(candidates: PolicyResource[]): string {
  let key = candidateKeys.get(candidates);
  if (key === undefined) {
    key = String(nextCandidateKey++);
    candidateKeys.set(candidates, key);
  }
  return key;
}
