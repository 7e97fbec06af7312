import { stackPolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION, LOG_GROUP } from "../lib/resourceTypes";
import { dependedOnBy, firstWithValue, membership, resourcesOfType } from "../lib/stackIndex";

export const lambdaFunctionMissingLogGroup = stackPolicy(
  {
    name: "lambda-function-missing-log-group",
    description: "Every Lambda function logs to a CloudWatch log group of the same stack.",
    severity: "medium",
    why: "Without a managed log group Lambda creates one on first invocation that never expires and escapes the stack's retention and encryption rules; the exporter's logs are also the trail of which recordings were archived when.",
    remediationSteps:
      'Add an aws.cloudwatch.LogGroup named "/aws/lambda/<function name>", or one of your own and set the function\'s loggingConfig.logGroup to its name.',
  },
  (resources, report) => {
    const logGroups = resourcesOfType(resources, LOG_GROUP);
    for (const fn of resourcesOfType(resources, LAMBDA_FUNCTION)) {
      // Property dependencies first, as they hold at preview while names are unknown. linkedResource
      // does not fit: the group name sits inside loggingConfig, or is built from the function name.
      if (dependedOnBy(resources, LOG_GROUP, "name").has(fn)) continue;
      if ((fn.propertyDependencies.loggingConfig ?? []).some(membership(logGroups))) continue;
      const configured = (fn.props.loggingConfig as { logGroup?: string } | undefined)?.logGroup;
      const functionName = fn.props.name as string | undefined;
      const expected = configured ?? (functionName === undefined ? undefined : `/aws/lambda/${functionName}`);
      if (expected !== undefined && firstWithValue(logGroups, ["name"], expected) !== undefined) continue;
      report(
        `Function "${fn.name}" logs to ${expected === undefined ? "/aws/lambda/<function name>" : `"${expected}"`}, which is no log group of this stack; add an aws.cloudwatch.LogGroup with that name.`,
        fn.urn,
      );
    }
  },
);
