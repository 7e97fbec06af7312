import type { PolicyResource } from "@pulumi/policy";
import * as policy from "@pulumi/policy";
import { withValueIn } from "./stackIndex";

// The error the props proxies throw on an unknown value. @pulumi/policy exports the class at run time,
// but its published typings strip it (it is marked internal).
const UnknownValueError = (policy as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

/** What `fromValue` answers when the values at hand cannot settle the link (see undecidedUnlessIdentified). */
export const UNDECIDED: unique symbol = Symbol("undecided by value");

/**
 * Values first, dependencies second: the one rule by which every stack policy
 * of this pack follows a link from one resource to another (a configuration
 * to its bucket, a queue to its dead-letter queue, a mapping to its function).
 *
 * The link is decided from the property's value (and the candidates' values it
 * is compared with) whenever those are known. The engine's record of which
 * resources the input came from (propertyDependencies) stands in only while a
 * value the decision needs is unknown, as at preview, or absent, as in a state
 * that does not record it: an input computed with `apply` can depend on the
 * dead-letter queue and still come out empty, or depend on one bucket and name
 * another, so when both are known and disagree, the value wins.
 *
 * `fromValue` reads through the props proxies, which throw @pulumi/policy's
 * UnknownValueError on an unknown value, and answers UNDECIDED when a value it
 * needs is absent; `fromDependencies` gets the resources the property depends
 * on and answers undefined when they settle nothing. Then an unknown value's
 * error is thrown again, so the engine reports its "can't run during preview"
 * advisory rather than the policy guessing; an absent one gives undefined
 * (callers that may answer UNDECIDED have undefined among their answers).
 */
export function byValueThenDependencies<T>(
  resource: PolicyResource,
  property: string,
  fromValue: (value: unknown) => T | typeof UNDECIDED,
  fromDependencies: (dependencies: readonly PolicyResource[]) => T | undefined,
): T {
  let decided: T | typeof UNDECIDED;
  try {
    decided = fromValue(resource.props[property]);
  } catch (error) {
    if (!(error instanceof UnknownValueError)) throw error;
    const fallback = fromDependencies(resource.propertyDependencies[property] ?? []);
    if (fallback === undefined) throw error;
    return fallback;
  }
  if (decided !== UNDECIDED) return decided;
  return fromDependencies(resource.propertyDependencies[property] ?? []) as T;
}

/**
 * A lookup by value that found nothing is an answer only if every candidate
 * states one of the identifying properties: a candidate without any (a state
 * that does not record ids, say) cannot be ruled out. Uses the indexes of a
 * list from resourcesOfType.
 */
export function undecidedUnlessIdentified<T>(found: T, candidates: PolicyResource[], properties: readonly string[]): T | typeof UNDECIDED {
  if (found !== undefined && !(Array.isArray(found) && found.length === 0)) return found;
  return someUnidentified(candidates, properties) ? UNDECIDED : found;
}

/** Per candidate list, per property list: does some candidate state none of them? Worked out once per list. */
const unidentifiedByList = new WeakMap<PolicyResource[], Map<string, boolean>>();

function someUnidentified(candidates: PolicyResource[], properties: readonly string[]): boolean {
  const [first, ...rest] = properties;
  if (first === undefined) return false;
  const scan = () => withValueIn(candidates, first, [undefined]).some((c) => rest.every((p) => c.props[p] === undefined));
  // Only the frozen lists of resourcesOfType are remembered: a caller's array may change.
  if (!Object.isFrozen(candidates)) return scan();
  let known = unidentifiedByList.get(candidates);
  if (!known) {
    known = new Map();
    unidentifiedByList.set(candidates, known);
  }
  const key = properties.join("\u0000");
  let answer = known.get(key);
  if (answer === undefined) {
    // May throw an unknown value's error: nothing is remembered then, so the next call throws again.
    answer = scan();
    known.set(key, answer);
  }
  return answer;
}
