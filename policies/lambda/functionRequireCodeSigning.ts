import { resourcePolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION } from "../lib/resourceTypes";

export const lambdaFunctionRequireCodeSigning = resourcePolicy(
  {
    name: "lambda-function-require-code-signing",
    description: "Recommendation (advisory, off by default): every Lambda function names a code signing configuration.",
    severity: "low",
    why: "A code signing configuration makes Lambda refuse code that was not signed by a trusted AWS Signer profile, so even a principal allowed to update the function cannot deploy unsigned code. The stack already forbids code-update grants and builds the code itself; signing needs a Signer profile and a signing step, so it is a recommendation.",
    remediationSteps:
      "Create an aws.signer.SigningProfile and an aws.lambda.CodeSigningConfig (untrustedArtifactOnDeployment Enforce), sign the bundle, and set the function's codeSigningConfigArn; turn this check on with policy config { enabled: true }.",
    resourceTypes: LAMBDA_FUNCTION,
    recommendation: true,
  },
  (fn, report) => {
    if (typeof fn.props.codeSigningConfigArn !== "string" || fn.props.codeSigningConfigArn === "") {
      report(`Function "${fn.name}" has no codeSigningConfigArn; set it to a code signing configuration that enforces signed code.`);
    }
  },
);
