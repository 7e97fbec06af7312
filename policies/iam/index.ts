import type { ProjectPolicy } from "../lib/projectPolicy";

/** The iam policies of the pack, in catalogue order. */
export const iamPolicies: ProjectPolicy[] = [];
