import { namesActionExplicitly, statementLabel, wildcardMatches } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { stackPolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";

const UPDATE_ACTIONS = ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:PublishLayerVersion"];

export const lambdaFunctionDisallowCodeUpdateGrant = stackPolicy(
  {
    name: "lambda-function-disallow-code-update-grant",
    description:
      "No identity policy of the stack allows changing the code or configuration of the stack's functions (by name or a partial wildcard such as lambda:Update*; lambda:* is left to iam-policy-disallow-wildcard-action).",
    severity: "critical",
    why: "The worker holds the only write path into the evidence bucket and signs custody records; a role that may run lambda:UpdateFunctionCode or UpdateFunctionConfiguration on it can swap in code (or environment) that writes anything under the worker's name. Code changes go through the stack, not through a role of it.",
    remediationSteps:
      "Remove lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration (and lambda:* or lambda:Update*) from the role's policy; deploy code changes with `pulumi up`.",
  },
  (resources, report) => {
    const arns = resourcesOfType(resources, LAMBDA_FUNCTION)
      .map((fn) => fn.props.arn)
      .filter((arn): arn is string => typeof arn === "string");
    for (const resource of resourcesOfType(resources, IDENTITY_POLICY_TYPES)) {
      for (const { label, statements } of identityDocumentsOf(resource)) {
        statements.forEach((statement, index) => {
          if (statement.effect !== "Allow") return;
          const granted = UPDATE_ACTIONS.filter((action) => namesActionExplicitly(statement, action));
          if (granted.length === 0) return;
          const reached = statement.resources.filter((pattern) => arns.some((arn) => wildcardMatches(pattern, arn)));
          if (reached.length === 0) return;
          report(
            `The ${label} ${statementLabel(statement, index)} allows ${granted.join(", ")} on ${reached.join(", ")}, a function of this stack; remove it and deploy code changes through the stack.`,
            resource.urn,
          );
        });
      }
    }
  },
);
