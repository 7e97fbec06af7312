import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, S3_REPLICATION } from "../lib/resourceTypes";
import { configsOf, purposeOf, stackBuckets } from "../lib/stackLinks";

interface ReplicationRule {
  status?: string;
  destination?: { account?: string; bucket?: string };
}

export const s3BucketMissingCrossAccountReplication = stackPolicy(
  {
    name: "s3-bucket-missing-cross-account-replication",
    description: "Recommendation (advisory, off by default): every evidence bucket replicates to a bucket in another AWS account.",
    severity: "low",
    why: "Object Lock stops deletion inside the account, not the loss of the account itself (closure, a compromised root, a region outage); a replica under its own Object Lock in a separate account, ideally another region, survives those. It needs a second account, so it is a recommendation, not a gate.",
    remediationSteps:
      "Add an aws.s3.BucketReplicationConfig for the evidence bucket with an Enabled rule whose destination names the other account (destination.account) and a bucket there with Object Lock; turn this check on with policy config { enabled: true }.",
    recommendation: true,
  },
  (resources, report) => {
    for (const bucket of stackBuckets(resources).filter((b) => purposeOf(b) === BucketPurpose.evidence)) {
      const rules = configsOf(bucket, S3_REPLICATION, resources).flatMap(
        (replication) => (replication.props.rules as ReplicationRule[] | undefined) ?? [],
      );
      if (!rules.some((rule) => rule.status === "Enabled" && typeof rule.destination?.account === "string")) {
        report(
          `Evidence bucket "${bucket.name}" is not replicated to another AWS account; add a BucketReplicationConfig whose enabled rule's destination names that account.`,
          bucket.urn,
        );
      }
    }
  },
);
