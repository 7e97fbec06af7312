import { stackPolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION, LOG_GROUP } from "../lib/resourceTypes";
import { dependedOnBy, firstWithValue, membership, resourcesOfType } from "../lib/stackIndex";
import { byValueThenDependencies, UNDECIDED } from "../lib/valueFirst";

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
    const isLogGroup = membership(logGroups);
    for (const fn of resourcesOfType(resources, LAMBDA_FUNCTION)) {
      // Values first (valueFirst.ts): loggingConfig.logGroup names the group, or else Lambda's default
      // "/aws/lambda/<function name>" does. While those names are unknown (preview), the group
      // loggingConfig depends on, or a group whose name depends on the function, stands in.
      const configured = byValueThenDependencies<{ found: boolean; expected?: string } | "default">(
        fn,
        "loggingConfig",
        (loggingConfig) => {
          const name = (loggingConfig as { logGroup?: string } | undefined)?.logGroup;
          return name === undefined ? "default" : { found: firstWithValue(logGroups, ["name"], name) !== undefined, expected: name };
        },
        (dependencies) => (dependencies.some(isLogGroup) ? { found: true } : undefined),
      );
      const { found, expected } =
        configured !== "default"
          ? configured
          : (byValueThenDependencies<{ found: boolean; expected?: string } | undefined>(
              fn,
              "name",
              (functionName) => {
                if (functionName === undefined) return UNDECIDED;
                const name = `/aws/lambda/${functionName}`;
                return { found: firstWithValue(logGroups, ["name"], name) !== undefined, expected: name };
              },
              () => (dependedOnBy(resources, LOG_GROUP, "name").has(fn) ? { found: true } : undefined),
            ) ?? { found: false });
      if (found) continue;
      report(
        `Function "${fn.name}" logs to ${expected === undefined ? "/aws/lambda/<function name>" : `"${expected}"`}, which is no log group of this stack; add an aws.cloudwatch.LogGroup with that name.`,
        fn.urn,
      );
    }
  },
);
