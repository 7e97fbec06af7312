import { namesActionExplicitly, statementLabel } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";

/**
 * Actions by which a principal can give itself (or a role it controls) more
 * permissions: permissions management and role passing. No role of this stack
 * needs any of them.
 */
export const ESCALATION_ACTIONS = [
  "iam:PassRole",
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:CreateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AddUserToGroup",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
];

export const iamPolicyDisallowPrivilegeEscalation = resourcePolicy(
  {
    name: "iam-policy-disallow-privilege-escalation",
    description:
      "No identity policy allows permissions-management or privilege-escalation actions (iam:PassRole, iam:PutRolePolicy, iam:CreatePolicyVersion, ...), by name or a partial wildcard such as iam:Put* (iam:* is left to iam-policy-disallow-wildcard-action).",
    severity: "critical",
    why: "A role that may write policies, attach them, create policy versions or pass roles can grant itself anything, including deleting evidence or reading every recording; the export roles need none of these, so one leaked credential must not become an administrator.",
    remediationSteps:
      "Remove the actions from the statement; the export Lambdas and the Genesys invoker role need only the data actions the README lists.",
    resourceTypes: IDENTITY_POLICY_TYPES,
  },
  (resource, report) => {
    for (const { label, statements } of identityDocumentsOf(resource)) {
      statements.forEach((statement, index) => {
        if (statement.effect !== "Allow") return;
        const granted = ESCALATION_ACTIONS.filter((action) => namesActionExplicitly(statement, action));
        if (granted.length > 0) {
          report(
            `The ${label} ${statementLabel(statement, index)} allows ${granted.join(", ")} on ${statement.resources.join(", ") || "its resources"}; remove these permissions-management actions, no export role needs them.`,
          );
        }
      });
    }
  },
);
