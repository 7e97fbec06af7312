import { type NormalizedStatement, parsePolicyDocument } from "./iamDocument";
import type { CheckedResource } from "./projectPolicy";
import { IAM_POLICY, IAM_ROLE, IAM_ROLE_POLICY } from "./resourceTypes";

/** Types whose resources carry identity-policy documents. */
export const IDENTITY_POLICY_TYPES = [...IAM_ROLE_POLICY, ...IAM_POLICY, ...IAM_ROLE];

export interface LabelledDocument {
  /** How a message names the document: `role policy "x"`, `inline policy "y" of role "z"`. */
  label: string;
  statements: NormalizedStatement[];
}

/** The permission documents a resource carries (not trust policies). */
export function identityDocumentsOf(resource: CheckedResource): LabelledDocument[] {
  const documents: LabelledDocument[] = [];
  const add = (label: string, value: unknown) => {
    const statements = parsePolicyDocument(value);
    if (statements) documents.push({ label, statements });
  };
  if (IAM_ROLE_POLICY.includes(resource.type)) add(`role policy "${resource.name}"`, resource.props.policy);
  if (IAM_POLICY.includes(resource.type)) add(`policy "${resource.name}"`, resource.props.policy);
  if (IAM_ROLE.includes(resource.type)) {
    const inline = (resource.props.inlinePolicies as { name?: string; policy?: unknown }[] | undefined) ?? [];
    for (const p of inline) add(`inline policy "${p.name ?? "?"}" of role "${resource.name}"`, p.policy);
  }
  return documents;
}
