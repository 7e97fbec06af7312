import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/projectPolicy";
import { LAMBDA_EVENT_SOURCE_MAPPING, LAMBDA_FUNCTION } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { linkedResource } from "../lib/stackLinks";

export function eventSourceMappingsOf(resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => LAMBDA_EVENT_SOURCE_MAPPING.includes(r.type));
}

/** The stack's function an event source mapping invokes; functionName may hold its name or its ARN. */
export function mappedFunction(mapping: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  const functions = resourcesOfType(resources, LAMBDA_FUNCTION);
  return linkedResource(mapping, "functionName", functions, "name") ?? linkedResource(mapping, "functionName", functions, "arn");
}

export const lambdaFunctionRequireReservedConcurrency = stackPolicy(
  {
    name: "lambda-function-require-reserved-concurrency",
    description: "Every Lambda function invoked by an event source mapping has a positive reserved concurrency.",
    severity: "high",
    why: "An SQS event source scales a function to hundreds of concurrent copies, while Genesys Cloud allows about 300 requests a minute per OAuth client; unthrottled, the exporter gets 429s, burns its retries and dead-letters legal-hold exports. Zero reserved concurrency stops the function altogether.",
    remediationSteps:
      "Set reservedConcurrentExecutions to a small positive number (a few workers keep the exporter under the Genesys rate limit).",
  },
  (resources, report) => {
    const reported = new Set<PolicyResource>();
    for (const mapping of eventSourceMappingsOf(resources)) {
      const fn = mappedFunction(mapping, resources);
      if (!fn || reported.has(fn)) continue;
      // The provider reports -1 for "unreserved"; a state without the output means the same.
      const reserved = (fn.props.reservedConcurrentExecutions as number | undefined) ?? -1;
      if (reserved > 0) continue;
      reported.add(fn);
      report(
        `Function "${fn.name}" is invoked by event source mapping "${mapping.name}" with reservedConcurrentExecutions = ${reserved}${reserved < 0 ? " (unreserved)" : ""}; set it to a positive limit that keeps it under the Genesys API rate limit.`,
        fn.urn,
      );
    }
  },
);
