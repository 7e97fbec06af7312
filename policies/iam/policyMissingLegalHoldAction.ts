import { allowsAction, type NormalizedStatement } from "../lib/iamDocument";
import { IDENTITY_POLICY_TYPES, identityDocumentsOf } from "../lib/identityPolicies";
import { resourcePolicy } from "../lib/projectPolicy";

/**
 * A grant that admits only uploads without a legal-hold header (Null
 * s3:object-lock-legal-hold = true) writes somewhere without Object Lock, such
 * as the landing bucket Genesys' bulk export writes to: it needs no lock actions.
 */
function refusesLegalHoldUploads(statement: NormalizedStatement): boolean {
  return statement.conditions.Null?.["s3:object-lock-legal-hold"]?.[0] === "true";
}

export const iamPolicyMissingLegalHoldAction = resourcePolicy(
  {
    name: "iam-policy-missing-legal-hold-action",
    description: "An identity policy that allows s3:PutObject also allows s3:PutObjectLegalHold and s3:PutObjectRetention.",
    severity: "critical",
    why: "Legal-hold 403 cause 1: a PUT with x-amz-object-lock-legal-hold: ON is also authorized as s3:PutObjectLegalHold (and as s3:PutObjectRetention with retention headers); plain uploads pass, legal-hold uploads get 403.",
    remediationSteps:
      'Add s3:PutObjectLegalHold and s3:PutObjectRetention beside s3:PutObject, on the same object ARNs; a writer of a bucket without Object Lock instead conditions its grant on Null { "s3:object-lock-legal-hold": "true" }.',
    resourceTypes: IDENTITY_POLICY_TYPES,
  },
  (resource, report) => {
    for (const { label, statements: all } of identityDocumentsOf(resource)) {
      const statements = all.filter((statement) => !refusesLegalHoldUploads(statement));
      if (!allowsAction(statements, "s3:PutObject")) continue;
      const missing = ["s3:PutObjectLegalHold", "s3:PutObjectRetention"].filter((action) => !allowsAction(statements, action));
      if (missing.length > 0)
        report(
          `The ${label} allows s3:PutObject without ${missing.join(" and ")}, so legal-hold uploads get 403; add ${missing.join(" and ")}.`,
        );
    }
  },
);
