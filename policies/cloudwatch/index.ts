import type { ProjectPolicy } from "../lib/projectPolicy";

/** The cloudwatch policies of the pack, in catalogue order. */
export const cloudwatchPolicies: ProjectPolicy[] = [];
