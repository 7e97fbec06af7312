import { parsePolicyDocument, statementCoversAction, statementLabel } from "../lib/iamDocument";
import { resourcePolicy } from "../lib/projectPolicy";
import { IAM_ROLE } from "../lib/resourceTypes";

export const iamRoleRequireExternalId = resourcePolicy(
  {
    name: "iam-role-require-external-id",
    description: "A role that another AWS account may assume requires sts:ExternalId in its trust policy.",
    severity: "critical",
    why: "Genesys Cloud assumes the invoker role from its own account (765628985471) for every customer; without the ExternalId (your organization id) any Genesys org could invoke your Lambda: the confused-deputy problem.",
    remediationSteps: 'Add Condition { StringEquals: { "sts:ExternalId": "<Genesys organization id>" } } to the trust statement.',
    resourceTypes: IAM_ROLE,
  },
  (role, report) => {
    const statements = parsePolicyDocument(role.props.assumeRolePolicy) ?? [];
    statements.forEach((statement, index) => {
      const accounts = statement.awsPrincipals.filter((p) => p !== "*");
      if (statement.effect !== "Allow" || accounts.length === 0 || !statementCoversAction(statement, "sts:AssumeRole")) return;
      const externalId = Object.entries(statement.conditions).some(
        ([operator, keys]) => operator.startsWith("StringEquals") && (keys["sts:ExternalId"]?.length ?? 0) > 0,
      );
      if (!externalId) {
        report(
          `Role "${role.name}" trust ${statementLabel(statement, index)} lets ${accounts.join(", ")} assume it without sts:ExternalId; add StringEquals sts:ExternalId.`,
        );
      }
    });
  },
);
