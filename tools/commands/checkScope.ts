// What `check` judged, and whether that is enough to call a pass: a gate that
// passes on an empty file or on someone else's stack proves nothing.

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { BucketPurpose, PURPOSE_TAG, S3_BUCKET } from "../../policies/lib/resourceTypes";
import { purposeOf } from "../../policies/lib/stackLinks";
import type { AnalyzableResource } from "../engine/policyAnalysis";
import { unwrapSecrets } from "../engine/pulumiWire";

/** The first line of every report, as data: what was judged, with what. */
export interface Judged {
  /** "stack prod (Pulumi mock runtime)" or "state file FILE". */
  source: string;
  /** Every resource handed to the pack, the root stack and components included. */
  resources: number;
  /** URNs of the legal-hold archive buckets found. */
  legalHoldArchives: string[];
  policies: number;
  /** Why this input cannot pass whatever the policies say; absent when it can. */
  problem?: string;
}

/**
 * The stack's legal-hold archives, recognized as the pack recognizes them: an
 * S3 bucket (either v7 token) with Object Lock enabled and the evidence
 * purpose tag. Read from the inputs, which resource policies judge.
 * `objectLockEnabled` = Pulumi's unknown value finds the buckets a preview
 * cannot confirm yet.
 */
export function legalHoldArchives(resources: AnalyzableResource[], objectLockEnabled: unknown = true): AnalyzableResource[] {
  return resources.filter((r) => {
    if (!S3_BUCKET.includes(r.type)) return false;
    const props = unwrapSecrets(r.inputs) as Record<string, unknown>;
    return props.objectLockEnabled === objectLockEnabled && purposeOf({ props }) === BucketPurpose.evidence;
  });
}

/** The input holds nothing to judge (exit 2): no cloud resource at all. */
export function emptinessProblem(source: string, resources: AnalyzableResource[]): string | undefined {
  if (resources.some((r) => r.custom !== false)) return undefined;
  const what = resources.length === 0 ? "no resources" : `no cloud resources (only ${resources.length} stack or component entries)`;
  return `${source} has ${what}, so there is nothing to judge; pass the \`pulumi stack export\` of a deployed stack of this project, or use --stack`;
}

export function judge(source: string, resources: AnalyzableResource[], policies: number): Judged {
  const archives = legalHoldArchives(resources).map((r) => r.urn);
  const judged: Judged = { source, resources: resources.length, legalHoldArchives: archives, policies };
  // At preview a value may be unknown; the gate cannot pass on what it cannot confirm.
  const unconfirmed = legalHoldArchives(resources, unknownValue).map((r) => r.name);
  if (archives.length === 0 && unconfirmed.length > 0) {
    judged.problem =
      `${source} has no confirmed legal-hold archive: objectLockEnabled of evidence bucket ${unconfirmed.join(", ")} is unknown (a preview value); ` +
      "judge the export of a deployed stack, or the stack itself with --stack";
  } else if (archives.length === 0) {
    judged.problem =
      `${source} has no legal-hold archive (an aws:s3 Bucket with objectLockEnabled: true tagged "${PURPOSE_TAG}" = "${BucketPurpose.evidence}"); ` +
      "every stack of this project has one, so this is another project's stack or its archive was removed";
  }
  return judged;
}

/** "stack prod (Pulumi mock runtime): 48 resources, 1 legal-hold archive, 57 policies" */
export function judgedSummary(judged: Judged): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const archives = count(judged.legalHoldArchives.length, "legal-hold archive", "legal-hold archives");
  return `${judged.source}: ${count(judged.resources, "resource", "resources")}, ${archives}, ${count(judged.policies, "policy", "policies")}`;
}
