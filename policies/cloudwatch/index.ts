import type { ProjectPolicy } from "../lib/projectPolicy";
import { cloudwatchLogGroupConfigureRetention } from "./logGroupConfigureRetention";
import { cloudwatchLogGroupRequireKmsKey } from "./logGroupRequireKmsKey";

/** The cloudwatch policies of the pack, in catalogue order. */
export const cloudwatchPolicies: ProjectPolicy[] = [cloudwatchLogGroupConfigureRetention, cloudwatchLogGroupRequireKmsKey];
