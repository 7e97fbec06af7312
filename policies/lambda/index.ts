import type { ProjectPolicy } from "../lib/projectPolicy";

/** The lambda policies of the pack, in catalogue order. */
export const lambdaPolicies: ProjectPolicy[] = [];
