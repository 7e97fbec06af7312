import type { ProjectPolicy } from "../lib/projectPolicy";

/** The sqs policies of the pack, in catalogue order. */
export const sqsPolicies: ProjectPolicy[] = [];
