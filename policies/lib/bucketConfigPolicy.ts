import type { PolicyResource } from "@pulumi/policy";
import { type ProjectStackPolicy, stackPolicy } from "./projectPolicy";
import { BucketPurpose } from "./resourceTypes";
import { bucketsOf, configsOf, purposeOf } from "./stackLinks";

export interface MissingBucketConfigSpec {
  name: string;
  /** What the bucket lacks, as a noun phrase: "a versioning configuration". */
  what: string;
  configTypes: string[];
  /** Only evidence buckets, or every bucket of the project. */
  scope: "evidence" | "all";
  severity: ProjectStackPolicy["severity"] & string;
  why: string;
  remediationSteps: string;
}

/**
 * "Is it set" for the configuration resources of a bucket (versioning,
 * encryption, ...). "Is it set right" is the resource policy on the
 * configuration type, so one mistake gives exactly one violation.
 */
export function missingBucketConfigPolicy(spec: MissingBucketConfigSpec) {
  return stackPolicy(
    {
      name: spec.name,
      description: `Every ${spec.scope === "evidence" ? "evidence " : ""}bucket has ${spec.what}.`,
      severity: spec.severity,
      why: spec.why,
      remediationSteps: spec.remediationSteps,
    },
    (resources, report) => {
      const inScope = (bucket: PolicyResource) => spec.scope === "all" || purposeOf(bucket) === BucketPurpose.evidence;
      for (const bucket of bucketsOf(resources).filter(inScope)) {
        if (configsOf(bucket, spec.configTypes, resources).length === 0) {
          report(`Bucket "${bucket.name}" has no ${spec.what.replace(/^an? /, "")}; ${spec.remediationSteps}`, bucket.urn);
        }
      }
    },
  );
}
