import type { ProjectPolicy } from "../lib/projectPolicy";
import { lambdaFunctionConfigureRuntime } from "./functionConfigureRuntime";
import { lambdaFunctionDisallowCodeUpdateGrant } from "./functionDisallowCodeUpdateGrant";
import { lambdaFunctionDisallowSecretEnvironment } from "./functionDisallowSecretEnvironment";
import { lambdaFunctionMissingLogGroup } from "./functionMissingLogGroup";
import { lambdaFunctionRequireArchiveCode } from "./functionRequireArchiveCode";
import { lambdaFunctionRequireCodeSigning } from "./functionRequireCodeSigning";
import { lambdaFunctionRequireReservedConcurrency } from "./functionRequireReservedConcurrency";

/** The lambda policies of the pack, in catalogue order. */
export const lambdaPolicies: ProjectPolicy[] = [
  lambdaFunctionConfigureRuntime,
  lambdaFunctionDisallowSecretEnvironment,
  lambdaFunctionMissingLogGroup,
  lambdaFunctionRequireArchiveCode,
  lambdaFunctionRequireReservedConcurrency,
  lambdaFunctionDisallowCodeUpdateGrant,
  lambdaFunctionRequireCodeSigning,
];
