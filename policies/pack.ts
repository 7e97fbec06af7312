import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cloudwatchPolicies } from "./cloudwatch";
import { genesysPolicies } from "./genesys";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { lambdaPolicies } from "./lambda";
import type { ProjectPolicy } from "./lib/projectPolicy";
import { s3Policies } from "./s3";
import { secretsmanagerPolicies } from "./secretsmanager";
import { sqsPolicies } from "./sqs";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "legal-hold-archive";

/** Every policy is mandatory unless policy config lowers it. */
export const PACK_ENFORCEMENT_LEVEL = "mandatory" as const;

/** The version PolicyPack reads from this folder's package.json (the CLI runs the pack with it as cwd). */
export const PACK_VERSION: string = JSON.parse(readFileSync(join(__dirname, "package.json"), "utf8")).version;

export const allPolicies: ProjectPolicy[] = [
  ...s3Policies,
  ...kmsPolicies,
  ...iamPolicies,
  ...lambdaPolicies,
  ...cloudwatchPolicies,
  ...sqsPolicies,
  ...secretsmanagerPolicies,
  ...genesysPolicies,
];
