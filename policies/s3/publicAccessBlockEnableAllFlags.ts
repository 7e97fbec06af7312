import { resourcePolicy } from "../lib/projectPolicy";
import { S3_PUBLIC_ACCESS_BLOCK } from "../lib/resourceTypes";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3PublicAccessBlockEnableAllFlags = resourcePolicy(
  {
    name: "s3-publicaccessblock-enable-all-flags",
    description: "All four public-access-block flags are true.",
    severity: "critical",
    why: "Any flag left false leaves a path (an ACL or a policy) by which recordings could become public.",
    remediationSteps: "Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
    resourceTypes: S3_PUBLIC_ACCESS_BLOCK,
  },
  (block, report) => {
    const off = FLAGS.filter((flag) => block.props[flag] !== true);
    if (off.length > 0) report(`Public access block "${block.name}" leaves ${off.join(", ")} off; set all four flags to true.`);
  },
);
