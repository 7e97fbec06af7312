// Values first, dependencies second (policies/lib/valueFirst.ts), on generated stacks: every link is
// expressed one of the ways a program or a state can express it, and the pack must follow the value
// whenever it is known, the dependency only while the value is unknown or absent.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BucketPurpose,
  LAMBDA_EVENT_SOURCE_MAPPING,
  LAMBDA_FUNCTION,
  PURPOSE_TAG,
  S3_BUCKET,
  S3_LOGGING,
  SQS_QUEUE,
} from "../../policies/lib/resourceTypes";
import { evaluateFixtures, type FixtureResource } from "../support/policyHarness";

/** How one link is written: its value, its property dependency, both, or both disagreeing. */
const EXPRESSIONS = [
  "value only",
  "dependency, value unknown",
  "dependency, value absent",
  "value and dependency",
  "value and another dependency",
] as const;
type Expression = (typeof EXPRESSIONS)[number];

/** The property's value and dependencies for a link to `target` (and `other`, a different candidate). */
function expressLink(expression: Expression, targetValue: string, targetName: string, otherName: string) {
  switch (expression) {
    case "value only":
      return { value: targetValue, links: [] };
    case "dependency, value unknown":
      return { value: unknownValue, links: [targetName] };
    case "dependency, value absent":
      return { value: undefined, links: [targetName] };
    case "value and dependency":
      return { value: targetValue, links: [targetName] };
    case "value and another dependency":
      return { value: targetValue, links: [otherName] };
  }
}

const evidenceTags = { [PURPOSE_TAG]: BucketPurpose.evidence };
const logTags = { [PURPOSE_TAG]: BucketPurpose.accessLogs };

describe("s3-logging-disallow-evidence-target follows the value of targetBucket, the dependency only in its absence", () => {
  it("reports exactly the loggings whose target, so decided, is an evidence bucket", async () => {
    const loggingArb = fc.record({
      target: fc.nat(),
      decoy: fc.nat(),
      expression: fc.constantFrom(...EXPRESSIONS),
    });
    const stackArb = fc.record({
      buckets: fc.array(fc.boolean(), { minLength: 2, maxLength: 5 }), // true: evidence
      loggings: fc.array(loggingArb, { minLength: 1, maxLength: 6 }),
    });
    let reported = 0;
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(stackArb, async ({ buckets, loggings }) => {
        const bucketName = (i: number) => `bucket-${i % buckets.length}`;
        const physical = (i: number) => `physical-${i % buckets.length}`;
        const fixtures: FixtureResource[] = buckets.map((evidence, i) => ({
          type: S3_BUCKET[0] as string,
          name: bucketName(i),
          props: { bucket: physical(i), tags: evidence ? evidenceTags : logTags, objectLockEnabled: evidence },
        }));
        const expected = new Set<string>();
        loggings.forEach(({ target, decoy, expression }, i) => {
          // The decoy is a different bucket, so "another dependency" really disagrees with the value.
          const other = target % buckets.length === decoy % buckets.length ? target + 1 : decoy;
          const { value, links } = expressLink(expression, physical(target), bucketName(target), bucketName(other));
          const name = `logging-${i}`;
          // A source bucket that is not the target keeps the verdict about the target alone.
          const source = fixtures.find((f) => f.name !== bucketName(target)) as FixtureResource;
          fixtures.push({
            type: S3_LOGGING[0] as string,
            name,
            props: { bucket: source.props.bucket, ...(value === undefined ? {} : { targetBucket: value }) },
            links: { bucket: [source.name], targetBucket: links },
          });
          if (buckets[target % buckets.length]) expected.add(name);
        });
        const violations = (await evaluateFixtures(fixtures)).filter((v) => v.policy === "s3-logging-disallow-evidence-target");
        expect(violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
        const names = violations.map((v) => /Logging "([^"]+)"/.exec(v.message)?.[1]).sort();
        expect(names).toEqual([...expected].sort());
        reported += expected.size;
        passed += loggings.length - expected.size;
      }),
      { numRuns: 120 },
    );
    // Both verdicts are reached.
    expect(reported).toBeGreaterThan(50);
    expect(passed).toBeGreaterThan(50);
  });
});

describe("sqs-queue-missing-dead-letter-queue follows the redrive policy's value, the dependency only while it is unknown", () => {
  const ARN = (name: string) => `arn:aws:sqs:eu-west-2:111122223333:${name}`;
  const REDRIVE_EXPRESSIONS = [...EXPRESSIONS.filter((e) => e !== "dependency, value absent"), "empty, with the dependency"] as const;

  it("finds a dead-letter queue of the stack exactly when the value (or, unknown, the dependency) names one", async () => {
    const caseArb = fc.record({
      expression: fc.constantFrom(...REDRIVE_EXPRESSIONS),
      // Where the value points: the stack's dead-letter queue, or a queue of another stack.
      valueInStack: fc.boolean(),
    });
    let found = 0;
    let missing = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ expression, valueInStack }) => {
        const target = valueInStack ? ARN("dlq") : ARN("someone-elses-dlq");
        const redrive = (arn: unknown) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 });
        let value: unknown;
        let links: string[];
        if (expression === "empty, with the dependency") {
          value = "";
          links = ["dlq"];
        } else {
          const expressed = expressLink(expression, redrive(target), "dlq", "spare");
          value = expressed.value;
          links = expressed.links;
        }
        const fixtures: FixtureResource[] = [
          {
            type: LAMBDA_FUNCTION[0] as string,
            name: "worker",
            props: { name: "worker", arn: "arn:aws:lambda:eu-west-2:111122223333:function:worker", reservedConcurrentExecutions: 2 },
          },
          {
            type: SQS_QUEUE[0] as string,
            name: "jobs",
            props: { arn: ARN("jobs"), visibilityTimeoutSeconds: 5400, ...(value === undefined ? {} : { redrivePolicy: value }) },
            links: { redrivePolicy: links },
          },
          { type: SQS_QUEUE[0] as string, name: "dlq", props: { arn: ARN("dlq") } },
          { type: SQS_QUEUE[0] as string, name: "spare", props: { arn: ARN("spare") } },
          {
            type: LAMBDA_EVENT_SOURCE_MAPPING[0] as string,
            name: "jobs-to-worker",
            props: { eventSourceArn: ARN("jobs"), functionName: "worker" },
          },
        ];
        // "another dependency" names the spare queue, which is of the stack: only the value can make it wrong.
        const decidedByValue = expression !== "dependency, value unknown" && expression !== "empty, with the dependency";
        const ok = expression === "empty, with the dependency" ? false : decidedByValue ? valueInStack : true;
        const violations = (await evaluateFixtures(fixtures)).filter((v) => v.policy === "sqs-queue-missing-dead-letter-queue");
        expect(violations.map((v) => v.enforcementLevel)).toEqual(ok ? [] : ["mandatory"]);
        if (ok) found++;
        else missing++;
      }),
      { numRuns: 60 },
    );
    expect(found).toBeGreaterThan(10);
    expect(missing).toBeGreaterThan(10);
  });
});
