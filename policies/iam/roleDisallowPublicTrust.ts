import { parsePolicyDocument, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { IAM_ROLE } from "../lib/resourceTypes";

export const iamRoleDisallowPublicTrust = resourcePolicy(
  {
    name: "iam-role-disallow-public-trust",
    description: 'No role trust policy lets Principal "*" assume the role.',
    severity: "critical",
    why: "A role anyone can assume hands its permissions (writing evidence, invoking the exporter) to every AWS account.",
    remediationSteps:
      "Name the exact principal: the Lambda service for execution roles, Genesys' account with an ExternalId for the invoker role.",
    resourceTypes: IAM_ROLE,
  },
  (role, report) => {
    const statements = parsePolicyDocument(role.props.assumeRolePolicy) ?? [];
    statements.forEach((statement, index) => {
      if (statement.effect === "Allow" && statement.awsPrincipals.includes("*")) {
        report(`Role "${role.name}" trust ${statementLabel(statement, index)} lets anyone ("*") assume it; name the trusted principal.`);
      }
    });
  },
);
