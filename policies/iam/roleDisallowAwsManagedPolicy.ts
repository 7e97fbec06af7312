import { resourcePolicy } from "../lib/projectPolicy";
import { IAM_ROLE, IAM_ROLE_POLICY_ATTACHMENT } from "../lib/resourceTypes";

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;

export const iamRoleDisallowAwsManagedPolicy = resourcePolicy<{ allowedManagedPolicies: string[] }>(
  {
    name: "iam-role-disallow-aws-managed-policy",
    description:
      "No role of the stack carries an AWS-managed policy (AdministratorAccess, PowerUserAccess, AmazonS3FullAccess, ...) outside the configured allowlist.",
    severity: "critical",
    why: "AWS-managed policies are written for every account and change when AWS changes them; AdministratorAccess or AmazonS3FullAccess on an export role lets one leaked credential delete policies, keys and evidence, and no review of the stack's own documents would show it.",
    remediationSteps:
      "Remove the RolePolicyAttachment or the managedPolicyArns entry and grant the exact actions in an inline RolePolicy; add a policy ARN to allowedManagedPolicies only when it is really needed.",
    resourceTypes: [...IAM_ROLE, ...IAM_ROLE_POLICY_ATTACHMENT],
    config: {
      allowedManagedPolicies: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "AWS-managed policy ARNs a role of the stack may carry.",
      },
    },
  },
  (resource, report, { allowedManagedPolicies }) => {
    const arns = IAM_ROLE.includes(resource.type)
      ? ((resource.props.managedPolicyArns as unknown[] | undefined) ?? [])
      : [resource.props.policyArn];
    for (const arn of arns) {
      if (typeof arn !== "string" || !AWS_MANAGED.test(arn) || allowedManagedPolicies.includes(arn)) continue;
      report(
        `${IAM_ROLE.includes(resource.type) ? "Role" : "Attachment"} "${resource.name}" attaches the AWS-managed policy ${arn}; grant the exact actions in an inline policy instead, or add it to allowedManagedPolicies.`,
      );
    }
  },
);
