import { allowsAction } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";

export const iamPolicyMissingLegalHoldAction = resourcePolicy(
  {
    name: "iam-policy-missing-legal-hold-action",
    description: "An identity policy that allows s3:PutObject also allows s3:PutObjectLegalHold and s3:PutObjectRetention.",
    severity: "critical",
    why: "Legal-hold 403 cause 1: a PUT with x-amz-object-lock-legal-hold: ON is also authorized as s3:PutObjectLegalHold (and as s3:PutObjectRetention with retention headers); plain uploads pass, legal-hold uploads get 403.",
    remediationSteps: "Add s3:PutObjectLegalHold and s3:PutObjectRetention beside s3:PutObject, on the same object ARNs.",
    resourceTypes: IDENTITY_POLICY_TYPES,
  },
  (resource, report) => {
    for (const { label, statements } of identityDocumentsOf(resource)) {
      if (!allowsAction(statements, "s3:PutObject")) continue;
      const missing = ["s3:PutObjectLegalHold", "s3:PutObjectRetention"].filter((action) => !allowsAction(statements, action));
      if (missing.length > 0)
        report(
          `The ${label} allows s3:PutObject without ${missing.join(" and ")}, so legal-hold uploads get 403; add ${missing.join(" and ")}.`,
        );
    }
  },
);
