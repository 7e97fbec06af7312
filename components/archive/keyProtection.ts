import type { PolicyStatement } from "../iam/policyDocument";

/** What would destroy or lock away a key: only the break-glass principal, with MFA, may do it. */
export const KEY_DESTRUCTION_ACTIONS = ["kms:DisableKey", "kms:ScheduleKeyDeletion"];

/** What the break-glass principal may do with MFA: destroy, restore, or replace a policy it could lock itself out of. */
const BREAK_GLASS_ACTIONS = [...KEY_DESTRUCTION_ACTIONS, "kms:CancelKeyDeletion", "kms:EnableKey", "kms:PutKeyPolicy"];

/**
 * The Deny statements every evidence key carries. Without them one admin can
 * schedule the archive key's deletion (every recording becomes unreadable
 * when it runs out) or replace its policy with the lockout check bypassed.
 * They hold even if the policy ever delegates to IAM through the account root.
 */
export function keyProtectionStatements(breakGlassPrincipalArn: string | undefined): PolicyStatement[] {
  const exceptBreakGlass = breakGlassPrincipalArn ? { ArnNotEquals: { "aws:PrincipalArn": breakGlassPrincipalArn } } : undefined;
  const statements: PolicyStatement[] = [
    {
      Sid: "DenyKeyDestructionExceptBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: KEY_DESTRUCTION_ACTIONS,
      Resource: "*",
      ...(exceptBreakGlass ? { Condition: exceptBreakGlass } : {}),
    },
    {
      Sid: "DenyLockoutBypassExceptBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: ["kms:PutKeyPolicy"],
      Resource: "*",
      Condition: { Bool: { "kms:BypassPolicyLockoutSafetyCheck": "true" }, ...(exceptBreakGlass ?? {}) },
    },
  ];
  if (breakGlassPrincipalArn) {
    statements.push(
      // IfExists: a request without the key (long-term credentials) counts as without MFA.
      {
        Sid: "DenyBreakGlassWithoutMfa",
        Effect: "Deny",
        Principal: "*",
        Action: KEY_DESTRUCTION_ACTIONS,
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
      {
        Sid: "AllowBreakGlassWithMfa",
        Effect: "Allow",
        Principal: { AWS: [breakGlassPrincipalArn] },
        Action: BREAK_GLASS_ACTIONS,
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    );
  }
  return statements;
}
