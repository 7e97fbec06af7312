import type { ProjectPolicy } from "../lib/projectPolicy";

/** The kms policies of the pack, in catalogue order. */
export const kmsPolicies: ProjectPolicy[] = [];
