import type { ProjectPolicy } from "../lib/projectPolicy";

/** The genesys policies of the pack, in catalogue order. */
export const genesysPolicies: ProjectPolicy[] = [];
