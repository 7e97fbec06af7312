import { resourcePolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION } from "../lib/resourceTypes";

export const lambdaFunctionConfigureRuntime = resourcePolicy<{ allowedRuntimes: string[] }>(
  {
    name: "lambda-function-configure-runtime",
    description: "Every Lambda function runs on a runtime of the configured allowlist.",
    severity: "high",
    why: "The export Lambdas are built for nodejs22.x; a deprecated runtime such as nodejs20.x stops receiving security patches, and AWS later blocks creating and then updating functions on it, which would freeze the exporter in the middle of a matter.",
    remediationSteps:
      "Set runtime to one of the allowed runtimes (policy config allowedRuntimes, default nodejs22.x and nodejs24.x) and rebuild the bundle for it.",
    resourceTypes: LAMBDA_FUNCTION,
    config: {
      allowedRuntimes: {
        type: "array",
        items: { type: "string" },
        default: ["nodejs22.x", "nodejs24.x"],
        description: "Runtime identifiers a function may use.",
      },
    },
  },
  (fn, report, { allowedRuntimes }) => {
    // A container image has no runtime; lambda-function-require-archive-code reports image functions.
    if (fn.props.packageType === "Image") return;
    const runtime = fn.props.runtime;
    if (typeof runtime !== "string" || !allowedRuntimes.includes(runtime)) {
      report(
        `Function "${fn.name}" has runtime ${JSON.stringify(runtime)}, which is not one of ${allowedRuntimes.join(", ")}; set runtime to one of them.`,
      );
    }
  },
);
