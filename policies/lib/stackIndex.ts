import type { PolicyResource } from "@pulumi/policy";

/*
 * Lookups over the resources a stack policy receives, built once per policy
 * call instead of once per resource. The analyzer hands every stack policy a
 * freshly deserialized `resources` array and passes the same array to every
 * lookup of that call, so the indexes hang off that array in a WeakMap and
 * are dropped with it.
 *
 * Each lookup answers exactly what the straightforward scan it replaces would
 * answer, and reads the same properties: props are @pulumi/policy proxies that
 * throw UnknownValueError when a value is unknown at preview, and the engine
 * turns that into its "can't run during preview" advisory. So value indexes
 * are filled lazily, in stack order, only as far as a scan would have read,
 * and an unknown value throws from the very lookup whose scan would have
 * reached it (and again from every later lookup that would read it). Nothing
 * here catches that error.
 */

type Resources = readonly PolicyResource[];

interface StackIndex {
  /** The array's length when the index was built: a changed array gets a new index. */
  length: number;
  ofTypes: Map<string, PolicyResource[]>;
  dependedOnBy: Map<string, ReadonlySet<PolicyResource>>;
  groups: Map<string, IncrementalGroups>;
}

const stackIndexes = new WeakMap<Resources, StackIndex>();

function stackIndexOf(resources: Resources): StackIndex {
  let index = stackIndexes.get(resources);
  if (!index || index.length !== resources.length) {
    index = { length: resources.length, ofTypes: new Map(), dependedOnBy: new Map(), groups: new Map() };
    stackIndexes.set(resources, index);
  }
  return index;
}

/** Per candidate list this module created: its member set and the value indexes over it. */
interface ListIndex {
  members?: ReadonlySet<PolicyResource>;
  scans: Map<string, ValueScan>;
  tables: Map<string, ValueTable>;
}

const listIndexes = new WeakMap<Resources, ListIndex>();

const keyOf = (parts: readonly string[]) => parts.join("\u0000");

/**
 * The stack's resources of the given type tokens, in stack order: what
 * `resources.filter((r) => types.includes(r.type))` returns, built once per
 * stack evaluation. The array is shared by every caller and frozen; lookups
 * over it (linkedResource, firstWithValue, ...) use indexes instead of scans.
 */
export function resourcesOfType(resources: Resources, types: readonly string[]): PolicyResource[] {
  const index = stackIndexOf(resources);
  const key = keyOf(types);
  let list = index.ofTypes.get(key);
  if (!list) {
    list = Object.freeze(resources.filter((r) => types.includes(r.type))) as PolicyResource[];
    listIndexes.set(list, { scans: new Map(), tables: new Map() });
    index.ofTypes.set(key, list);
  }
  return list;
}

/** `(r) => candidates.includes(r)`, with a set for lists from resourcesOfType. */
export function membership(candidates: Resources): (resource: PolicyResource) => boolean {
  const index = listIndexes.get(candidates);
  if (!index) return (resource) => candidates.includes(resource);
  if (!index.members) index.members = new Set(candidates);
  const members = index.members;
  return (resource) => members.has(resource);
}

/**
 * The first candidate, in order, one of whose properties (tried in the given
 * order) is `=== value`, skipping `exclude`: the result of
 *
 *     candidates.find((c) => c !== exclude && properties.some((p) => c.props[p] === value))
 *
 * and it throws the same UnknownValueError that scan would throw (an unknown
 * value read before the match).
 */
export function firstWithValue(
  candidates: Resources,
  properties: readonly string[],
  value: unknown,
  exclude?: PolicyResource,
): PolicyResource | undefined {
  const index = listIndexes.get(candidates);
  if (!index) {
    for (const candidate of candidates) {
      if (exclude !== undefined && candidate === exclude) continue;
      for (const property of properties) if (candidate.props[property] === value) return candidate;
    }
    return undefined;
  }
  const key = keyOf(properties);
  let scan = index.scans.get(key);
  if (!scan) {
    scan = new ValueScan(candidates, properties);
    index.scans.set(key, scan);
  }
  return scan.find(value, exclude);
}

/**
 * The candidates whose `property` is one of `values` (SameValueZero, as
 * Array.prototype.includes), in order: `candidates.filter((c) => values.includes(c.props[property]))`.
 * Like that filter, it reads the property of every candidate.
 */
export function withValueIn(candidates: Resources, property: string, values: readonly unknown[]): PolicyResource[] {
  const index = listIndexes.get(candidates);
  if (!index) return candidates.filter((candidate) => values.includes(candidate.props[property]));
  let table = index.tables.get(property);
  if (!table) {
    table = new ValueTable(candidates, property);
    index.tables.set(property, table);
  }
  const positions = table.positions();
  const found: number[] = [];
  for (const value of new Set(values)) found.push(...(positions.get(value) ?? []));
  return found.sort((a, b) => a - b).map((position) => candidates[position] as PolicyResource);
}

/**
 * Every resource that some resource of the given types lists in
 * propertyDependencies[property]: `r` is in the set exactly when
 * `resourcesOfType(resources, types).some((d) => (d.propertyDependencies[property] ?? []).includes(r))`.
 */
export function dependedOnBy(resources: Resources, types: readonly string[], property: string): ReadonlySet<PolicyResource> {
  const index = stackIndexOf(resources);
  const key = keyOf([property, ...types]);
  let set = index.dependedOnBy.get(key);
  if (!set) {
    const built = new Set<PolicyResource>();
    for (const dependent of resourcesOfType(resources, types)) {
      for (const dependency of dependent.propertyDependencies[property] ?? []) built.add(dependency);
    }
    set = built;
    index.dependedOnBy.set(key, set);
  }
  return set;
}

/**
 * The sources grouped by the resource `target` links each to, for the stack
 * evaluation of `resources`; `key` names the grouping (same key, same sources
 * and target). `target` runs once per source, in order; if it throws, the
 * grouping throws the same way on every call, as a scan calling `target` for
 * every source would.
 */
export function groupedBy(
  resources: Resources,
  key: string,
  sources: Resources,
  target: (source: PolicyResource) => PolicyResource | undefined,
): ReadonlyMap<PolicyResource, readonly PolicyResource[]> {
  const index = stackIndexOf(resources);
  let groups = index.groups.get(key);
  if (!groups) {
    groups = new IncrementalGroups(sources, target);
    index.groups.set(key, groups);
  }
  return groups.complete();
}

class IncrementalGroups {
  private next = 0;
  private readonly groups = new Map<PolicyResource, PolicyResource[]>();

  constructor(
    private readonly sources: Resources,
    private readonly target: (source: PolicyResource) => PolicyResource | undefined,
  ) {}

  complete(): ReadonlyMap<PolicyResource, readonly PolicyResource[]> {
    while (this.next < this.sources.length) {
      const source = this.sources[this.next] as PolicyResource;
      const target = this.target(source); // may throw: `next` stays, so the next call throws again
      this.next++;
      if (target === undefined) continue;
      const group = this.groups.get(target);
      if (group) group.push(source);
      else this.groups.set(target, [source]);
    }
    return this.groups;
  }
}

/**
 * A lazily filled index of `candidates[i].props[properties[j]]`, read in the
 * order of a scan: candidate by candidate, property by property, that is
 * position i * properties.length + j.
 */
class ValueScan {
  /** Every position below `next` has been read, or skipped (it belongs to an excluded candidate). */
  private next = 0;
  /** Per value read, the smallest positions holding it: enough to pass over one excluded candidate's. */
  private readonly first = new Map<unknown, number[]>();
  /** Positions below `next` not read yet, ascending, from `head` on. */
  private readonly skipped: number[] = [];
  private head = 0;
  private readonly width: number;
  private readonly end: number;

  constructor(
    private readonly candidates: Resources,
    private readonly properties: readonly string[],
  ) {
    this.width = properties.length;
    this.end = candidates.length * properties.length;
  }

  private owner(position: number): PolicyResource {
    return this.candidates[Math.floor(position / this.width)] as PolicyResource;
  }

  /** Reads through the props proxy, as the scan would: an unknown value throws here. */
  private read(position: number): unknown {
    return this.owner(position).props[this.properties[position % this.width] as string];
  }

  private record(position: number, value: unknown): void {
    // NaN is === to nothing; Map would match it.
    if (typeof value === "number" && Number.isNaN(value)) return;
    const positions = this.first.get(value);
    if (!positions) {
      this.first.set(value, [position]);
    } else if (!positions.includes(position)) {
      positions.push(position);
      positions.sort((a, b) => a - b);
      if (positions.length > this.width + 1) positions.length = this.width + 1;
    }
  }

  find(value: unknown, exclude: PolicyResource | undefined): PolicyResource | undefined {
    let match = Number.POSITIVE_INFINITY;
    for (const position of this.first.get(value) ?? []) {
      if (this.owner(position) !== exclude) {
        match = position;
        break;
      }
    }
    // The scan would read the positions skipped earlier that come before the match.
    if (this.head < this.skipped.length && (this.skipped[this.head] as number) < match) {
      const kept: number[] = [];
      let j = this.head;
      for (; j < this.skipped.length && (this.skipped[j] as number) < match; j++) {
        const position = this.skipped[j] as number;
        if (this.owner(position) === exclude) {
          kept.push(position);
          continue;
        }
        const read = this.read(position);
        this.record(position, read);
        if (read === value) {
          match = position;
          j++;
          break;
        }
      }
      // Positions read are dropped; those of `exclude` stay, just before the rest.
      let head = j;
      for (let k = kept.length - 1; k >= 0; k--) this.skipped[--head] = kept[k] as number;
      this.head = head;
    }
    if (match !== Number.POSITIVE_INFINITY) return this.owner(match);
    while (this.next < this.end) {
      const position = this.next;
      if (this.owner(position) === exclude) {
        this.skipped.push(position);
        this.next++;
        continue;
      }
      const read = this.read(position); // may throw: `next` stays, so a later scan reading it throws again
      this.record(position, read);
      this.next++;
      if (read === value) return this.owner(position);
    }
    return undefined;
  }
}

/** Every candidate's value of one property, by value (SameValueZero), read in order on first use. */
class ValueTable {
  private next = 0;
  private readonly byValue = new Map<unknown, number[]>();

  constructor(
    private readonly candidates: Resources,
    private readonly property: string,
  ) {}

  positions(): ReadonlyMap<unknown, readonly number[]> {
    while (this.next < this.candidates.length) {
      const position = this.next;
      const value = (this.candidates[position] as PolicyResource).props[this.property]; // may throw, and again next time
      this.next++;
      const positions = this.byValue.get(value);
      if (positions) positions.push(position);
      else this.byValue.set(value, [position]);
    }
    return this.byValue;
  }
}
