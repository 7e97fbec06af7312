import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mappedFunction } from "../../policies/lambda/functionRequireReservedConcurrency";
import {
  BucketPurpose,
  LAMBDA_EVENT_SOURCE_MAPPING,
  LAMBDA_FUNCTION,
  LOG_GROUP,
  PURPOSE_TAG,
  S3_BUCKET,
  S3_LOGGING,
  S3_VERSIONING,
  SQS_QUEUE,
} from "../../policies/lib/resourceTypes";
import { dependedOnBy, firstWithValue, resourcesOfType, withValueIn } from "../../policies/lib/stackIndex";
import { configsOf, configuredBucket, linkedFrom, linkedResource } from "../../policies/lib/stackLinks";
import { consumedQueue } from "../../policies/sqs/queueMissingDeadLetterQueue";
import { type AnalyzableResource, analyze } from "../../tools/engine/policyAnalysis";
import { evaluateFixtures, type FixtureResource } from "../support/policyHarness";

/** What the engine sends for values it cannot know yet at preview: a string, a number, an object. */
const UNKNOWN = unknownValue;
const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

// ---------------------------------------------------------------------------------------------
// The straightforward definitions the indexed lookups must agree with: scans over the stack.
// ---------------------------------------------------------------------------------------------

const ofTypes = (resources: PolicyResource[], types: readonly string[]) => resources.filter((r) => types.includes(r.type));

/** Values first, dependencies second (policies/lib/valueFirst.ts), written as plain scans. */
function naiveLinked(resource: PolicyResource, property: string, candidates: PolicyResource[], matchProperty: string) {
  const fromDependencies = () => (resource.propertyDependencies[property] ?? []).filter((r) => candidates.includes(r))[0];
  try {
    const value = resource.props[property];
    if (value === undefined) return fromDependencies();
    const found = candidates.find((candidate) => candidate.props[matchProperty] === value);
    if (found) return found;
    // A candidate that states no value cannot be ruled out.
    return candidates.filter((candidate) => candidate.props[matchProperty] === undefined).length > 0 ? fromDependencies() : undefined;
  } catch (error) {
    if ((error as Error).constructor.name !== "UnknownValueError") throw error;
    const linked = fromDependencies();
    if (linked) return linked;
    throw error;
  }
}

const naiveConfigured = (config: PolicyResource, resources: PolicyResource[]) =>
  naiveLinked(config, "bucket", ofTypes(resources, S3_BUCKET), "bucket");

const naiveConfigsOf = (bucket: PolicyResource, types: readonly string[], resources: PolicyResource[]) =>
  resources.filter((r) => types.includes(r.type) && naiveConfigured(r, resources) === bucket);

function naiveMappedFunction(mapping: PolicyResource, resources: PolicyResource[]) {
  const functions = ofTypes(resources, LAMBDA_FUNCTION);
  return naiveLinked(mapping, "functionName", functions, "name") ?? naiveLinked(mapping, "functionName", functions, "arn");
}

const naiveConsumedQueue = (mapping: PolicyResource, resources: PolicyResource[]) =>
  naiveLinked(mapping, "eventSourceArn", ofTypes(resources, SQS_QUEUE), "arn");

const naiveFirstWithValue = (candidates: PolicyResource[], properties: readonly string[], value: unknown, exclude?: PolicyResource) =>
  candidates.find((c) => c !== exclude && properties.some((p) => c.props[p] === value));

// ---------------------------------------------------------------------------------------------
// Random stacks and random sequences of lookups over them.
// ---------------------------------------------------------------------------------------------

const TYPES = [
  S3_BUCKET[0],
  S3_BUCKET[1],
  S3_VERSIONING[0],
  S3_VERSIONING[1],
  S3_LOGGING[0],
  LAMBDA_FUNCTION[0],
  LAMBDA_EVENT_SOURCE_MAPPING[0],
  SQS_QUEUE[0],
  LOG_GROUP[0],
] as string[];
const TYPE_SETS: string[][] = [S3_BUCKET, S3_VERSIONING, S3_LOGGING, LAMBDA_FUNCTION, SQS_QUEUE, LOG_GROUP, [...S3_BUCKET, ...SQS_QUEUE]];
const PROPERTIES = ["bucket", "targetBucket", "arn", "name", "functionName", "eventSourceArn"];
const PROPERTY_LISTS = [["bucket"], ["arn"], ["name"], ["arn", "name"], ["name", "bucket", "arn"]];
/** Few distinct values, so that links by value collide, plus objects (never === through the proxy) and unknowns. */
const VALUES: unknown[] = ["a", "b", "c", 0, 1, true, null, { k: "a" }, ["a"], UNKNOWN, UNKNOWN_NUMBER, UNKNOWN_OBJECT];
/** What a policy could look up: values it read, so never the unknown sentinels themselves. */
const LOOKUP_VALUES: unknown[] = ["a", "b", "c", "d", 0, 1, true, null, { k: "a" }];

const stackArb = fc.array(
  fc.record({
    type: fc.constantFrom(...TYPES),
    props: fc.dictionary(fc.constantFrom(...PROPERTIES), fc.constantFrom(...VALUES), { maxKeys: 4 }),
    links: fc.dictionary(fc.constantFrom(...PROPERTIES), fc.array(fc.nat(), { maxLength: 2 }), { maxKeys: 2 }),
  }),
  { minLength: 1, maxLength: 12 },
);

const LOOKUPS = [
  "linkedResource",
  "linkedResource over a caller's array",
  "configuredBucket",
  "configsOf",
  "firstWithValue",
  "withValueIn",
  "dependedOnBy",
  "mappedFunction",
  "consumedQueue",
  "linkedFrom",
] as const;
const lookupArb = fc.record({
  kind: fc.constantFrom(...LOOKUPS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  d: fc.nat(),
});

type Lookup = { kind: (typeof LOOKUPS)[number]; a: number; b: number; c: number; d: number };
type Generated = { type: string; props: Record<string, unknown>; links: Record<string, number[]> };

function toStack(generated: Generated[]): AnalyzableResource[] {
  const urnOf = (i: number) => `urn:pulumi:test::links::${generated[i]?.type}::r${i}`;
  return generated.map((g, i) => {
    const propertyDependencies = Object.fromEntries(
      Object.entries(g.links).map(([property, targets]) => [property, targets.map((t) => urnOf(t % generated.length))]),
    );
    return {
      urn: urnOf(i),
      type: g.type,
      name: `r${i}`,
      protect: false,
      inputs: {},
      outputs: g.props,
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
    };
  });
}

/** A lookup's answer, comparable across implementations: URNs, or the error it threw. */
function outcome(run: () => unknown): unknown {
  try {
    const result = run();
    if (result === undefined || typeof result === "boolean") return result;
    if (Array.isArray(result)) return (result as PolicyResource[]).map((r) => r.urn);
    return (result as PolicyResource).urn;
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

const at = <T>(items: readonly T[], i: number): T => items[i % items.length] as T;

/** Both answers of one lookup: [indexed, straightforward]. */
function answers(resources: PolicyResource[], lookup: Lookup) {
  const { a, b, c, d } = lookup;
  const resource = at(resources, a);
  switch (lookup.kind) {
    case "linkedResource": {
      const [property, types, match] = [at(PROPERTIES, b), at(TYPE_SETS, c), at(PROPERTIES, d)];
      return [
        outcome(() => linkedResource(resource, property, resourcesOfType(resources, types), match)),
        outcome(() => naiveLinked(resource, property, ofTypes(resources, types), match)),
      ];
    }
    case "linkedResource over a caller's array": {
      const [property, types, match] = [at(PROPERTIES, b), at(TYPE_SETS, c), at(PROPERTIES, d)];
      return [
        outcome(() => linkedResource(resource, property, ofTypes(resources, types), match)),
        outcome(() => naiveLinked(resource, property, ofTypes(resources, types), match)),
      ];
    }
    case "configuredBucket":
      return [outcome(() => configuredBucket(resource, resources)), outcome(() => naiveConfigured(resource, resources))];
    case "configsOf": {
      const types = at(TYPE_SETS, b);
      return [outcome(() => configsOf(resource, types, resources)), outcome(() => naiveConfigsOf(resource, types, resources))];
    }
    case "firstWithValue": {
      const [types, properties, value] = [at(TYPE_SETS, b), at(PROPERTY_LISTS, c), at(LOOKUP_VALUES, d)];
      const exclude = a % 3 === 0 ? undefined : resource;
      return [
        outcome(() => firstWithValue(resourcesOfType(resources, types), properties, value, exclude)),
        outcome(() => naiveFirstWithValue(ofTypes(resources, types), properties, value, exclude)),
      ];
    }
    case "withValueIn": {
      const [types, property] = [at(TYPE_SETS, b), at(PROPERTIES, c)];
      const values = LOOKUP_VALUES.filter((_, i) => (d >> i) & 1);
      return [
        outcome(() => withValueIn(resourcesOfType(resources, types), property, values)),
        outcome(() => ofTypes(resources, types).filter((r) => values.includes(r.props[property]))),
      ];
    }
    case "dependedOnBy": {
      const [types, property] = [at(TYPE_SETS, b), at(PROPERTIES, c)];
      return [
        outcome(() => dependedOnBy(resources, types, property).has(resource)),
        outcome(() => ofTypes(resources, types).some((r) => (r.propertyDependencies[property] ?? []).includes(resource))),
      ];
    }
    case "mappedFunction":
      return [outcome(() => mappedFunction(resource, resources)), outcome(() => naiveMappedFunction(resource, resources))];
    case "consumedQueue":
      return [outcome(() => consumedQueue(resource, resources)), outcome(() => naiveConsumedQueue(resource, resources))];
    case "linkedFrom": {
      const [sourceTypes, property, candidateTypes, match] = [
        at(TYPE_SETS, b),
        at(PROPERTIES, c),
        at(TYPE_SETS, d),
        at(PROPERTIES, d >> 3),
      ];
      return [
        outcome(() => linkedFrom(resources, sourceTypes, property, resourcesOfType(resources, candidateTypes), match, resource)),
        outcome(() =>
          ofTypes(resources, sourceTypes).filter(
            (source) => naiveLinked(source, property, ofTypes(resources, candidateTypes), match) === resource,
          ),
        ),
      ];
    }
  }
}

/** Runs `body` inside a stack policy: on the resources and props proxies the analyzer builds. */
async function insideStackPolicy<T>(stack: AnalyzableResource[], body: (resources: PolicyResource[]) => T): Promise<T> {
  let result: { value: T } | undefined;
  const probe: StackValidationPolicy = {
    name: "stack-links-probe",
    description: "Compares the indexed lookups with scans.",
    validateStack: ({ resources }) => {
      result = { value: body(resources) };
    },
  };
  const diagnostics = await analyze(stack, { name: "probe", version: "0.0.1", enforcementLevel: "mandatory", policies: [probe] });
  expect(diagnostics).toEqual([]);
  if (!result) throw new Error("the probe policy did not run");
  return result.value;
}

/** Runs the lookups, in order, within one stack policy call, with both implementations. */
function compareInsideStackPolicy(stack: AnalyzableResource[], lookups: Lookup[]) {
  return insideStackPolicy(stack, (resources) =>
    lookups.map((lookup) => {
      const [indexed, straightforward] = answers(resources, lookup) as [unknown, unknown];
      return { lookup, indexed, straightforward };
    }),
  );
}

describe("the indexed stack lookups", () => {
  it("answer every sequence of lookups as the scans they replace, unknown values included", async () => {
    let threw = 0;
    let found = 0;
    await fc.assert(
      fc.asyncProperty(stackArb, fc.array(lookupArb, { minLength: 1, maxLength: 25 }), async (generated, lookups) => {
        const compared = await compareInsideStackPolicy(toStack(generated), lookups);
        for (const { lookup, indexed, straightforward } of compared) {
          expect({ lookup, answer: indexed }).toEqual({ lookup, answer: straightforward });
          if (typeof straightforward === "object" && straightforward !== null && "threw" in straightforward) threw++;
          else if (straightforward !== undefined && straightforward !== false) found++;
        }
      }),
      { numRuns: 400 },
    );
    // The random stacks reach both sides: lookups that find something, and unknown values read.
    expect(found).toBeGreaterThan(100);
    expect(threw).toBeGreaterThan(100);
  });

  it("answer long sequences of value lookups over one list, with and without an excluded candidate", async () => {
    // One list, few values: the lookups share (and must not be misled by) what earlier ones read or skipped.
    const queueArb = fc.dictionary(fc.constantFrom("arn", "name"), fc.constantFrom<unknown>("a", "b", "c", 1, UNKNOWN, UNKNOWN_NUMBER), {
      maxKeys: 2,
    });
    const valueLookupArb = fc.record({ value: fc.constantFrom<unknown>("a", "b", "c", "d", 1), exclude: fc.nat() });
    let threw = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(queueArb, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(["arn"], ["arn", "name"]),
        fc.array(valueLookupArb, { minLength: 1, maxLength: 15 }),
        async (queues, properties, lookups) => {
          const stack = toStack(queues.map((props) => ({ type: SQS_QUEUE[0] as string, props, links: {} })));
          const compared = await insideStackPolicy(stack, (resources) => {
            const list = resourcesOfType(resources, SQS_QUEUE);
            return lookups.map(({ value, exclude }) => {
              const excluded = list[exclude % (list.length + 1)];
              return {
                lookup: { value, exclude: excluded?.name },
                indexed: outcome(() => firstWithValue(list, properties, value, excluded)),
                straightforward: outcome(() => naiveFirstWithValue(ofTypes(resources, SQS_QUEUE), properties, value, excluded)),
              };
            });
          });
          for (const { lookup, indexed, straightforward } of compared) {
            expect({ lookup, answer: indexed }).toEqual({ lookup, answer: straightforward });
            if (typeof straightforward === "object" && straightforward !== null && "threw" in straightforward) threw++;
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(threw).toBeGreaterThan(100);
  });

  it("throw @pulumi/policy's UnknownValueError from a value read through the props proxy", async () => {
    const stack = toStack([
      { type: S3_BUCKET[0] as string, props: { bucket: UNKNOWN }, links: {} },
      { type: S3_VERSIONING[0] as string, props: { bucket: "a" }, links: {} },
    ]);
    const [[indexed]] = (await compareInsideStackPolicy(stack, [{ kind: "configuredBucket", a: 1, b: 0, c: 0, d: 0 }])).map((c) => [
      c.indexed,
    ]);
    expect(indexed).toEqual({ threw: "UnknownValueError", message: "string value at .bucket can't be known during preview" });
  });
});

// ---------------------------------------------------------------------------------------------
// Through the shipped pack: an unknown value a lookup reads still gives the engine's advisory.
// ---------------------------------------------------------------------------------------------

const evidence = { [PURPOSE_TAG]: BucketPurpose.evidence };

function bucket(name: string, physicalName: string): FixtureResource {
  return { type: S3_BUCKET[0] as string, name, props: { bucket: physicalName, tags: evidence, objectLockEnabled: true } };
}

function versioning(name: string, bucketName: string, links?: Record<string, string[]>): FixtureResource {
  return {
    type: S3_VERSIONING[0] as string,
    name,
    props: { bucket: bucketName, versioningConfiguration: { status: "Enabled" } },
    ...(links ? { links } : {}),
  };
}

async function diagnosticsOf(stack: FixtureResource[], policy: string) {
  return (await evaluateFixtures(stack)).filter((v) => v.policy === policy);
}

describe("a stack policy whose lookup reads a value unknown at preview", () => {
  const policy = "s3-bucket-missing-versioning";
  const advisory = expect.objectContaining({
    policy,
    enforcementLevel: "advisory",
    message: expect.stringMatching(
      new RegExp(
        `^can't run policy '${policy}' from policy pack '.*' during preview: string value at \\.bucket can't be known during preview$`,
      ),
    ),
  });

  it("reports the engine's advisory when the configuration's own bucket name is unknown", async () => {
    const stack = [bucket("archive", "archive-bucket"), versioning("archive-versioning", UNKNOWN)];
    expect(await diagnosticsOf(stack, policy)).toEqual([advisory]);
  });

  it("reports it when matching by value has to read a bucket whose name is unknown", async () => {
    const stack = [bucket("pending", UNKNOWN), bucket("archive", "archive-bucket"), versioning("archive-versioning", "archive-bucket")];
    expect(await diagnosticsOf(stack, policy)).toEqual([advisory]);
  });

  it("does not when the match comes before the unknown bucket, or the link is a property dependency", async () => {
    const stack = [
      bucket("archive", "archive-bucket"),
      bucket("pending", UNKNOWN),
      versioning("archive-versioning", "archive-bucket"),
      versioning("pending-versioning", UNKNOWN, { bucket: ["pending"] }),
    ];
    expect(await diagnosticsOf(stack, policy)).toEqual([]);
  });

  it("still reports missing versioning once every value is known", async () => {
    const stack = [
      bucket("archive", "archive-bucket"),
      bucket("other", "other-bucket"),
      versioning("archive-versioning", "archive-bucket"),
    ];
    expect(await diagnosticsOf(stack, policy)).toEqual([
      expect.objectContaining({
        policy,
        enforcementLevel: "mandatory",
        message: expect.stringContaining('Bucket "other" has no versioning'),
      }),
    ]);
  });
});

describe("sqs-queue-missing-dead-letter-queue at preview", () => {
  const policy = "sqs-queue-missing-dead-letter-queue";
  const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:worker";
  const DLQ_ARN = "arn:aws:sqs:eu-west-1:111122223333:jobs-dlq";
  const stackWith = (queueArn: unknown, dlqArn: unknown): FixtureResource[] => [
    { type: LAMBDA_FUNCTION[0] as string, name: "worker", props: { name: "worker", arn: FUNCTION_ARN, reservedConcurrentExecutions: 2 } },
    {
      type: SQS_QUEUE[0] as string,
      name: "jobs",
      // Linked to its dead-letter queue by value only, as in a state file without dependency records.
      props: { arn: queueArn, redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }) },
    },
    { type: SQS_QUEUE[0] as string, name: "jobs-dlq", props: { arn: dlqArn } },
    {
      type: LAMBDA_EVENT_SOURCE_MAPPING[0] as string,
      name: "jobs-to-worker",
      props: { eventSourceArn: UNKNOWN, functionName: UNKNOWN },
      links: { eventSourceArn: ["jobs"], functionName: ["worker"] },
    },
  ];

  it("finds the dead-letter queue by value without reading the consumed queue's own unknown ARN", async () => {
    expect(await diagnosticsOf(stackWith(UNKNOWN, DLQ_ARN), policy)).toEqual([]);
  });

  it("reports the advisory when the dead-letter queue's ARN it must compare is unknown", async () => {
    expect(await diagnosticsOf(stackWith("arn:aws:sqs:eu-west-1:111122223333:jobs", UNKNOWN), policy)).toEqual([
      expect.objectContaining({
        policy,
        enforcementLevel: "advisory",
        message: expect.stringContaining("during preview: string value at .arn can't be known during preview"),
      }),
    ]);
  });
});
