import { asset } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION } from "../lib/resourceTypes";

// The entry file aws.lambda.CallbackFunction (and pulumi.runtime.serializeFunction by convention)
// writes the serialized closure to; its handler is then "__index.<export>".
const CLOSURE_ENTRY_FILE = "__index";

/** The file a handler such as "dist/index.handler" loads, without extension or folder. */
function entryFileOf(handler: unknown): string | undefined {
  if (typeof handler !== "string" || !handler.includes(".")) return undefined;
  return handler.slice(0, handler.lastIndexOf(".")).split("/").pop();
}

/** Where a function without a code archive gets its code from, for the message. */
function codeSourceOf(props: Record<string, unknown>): string {
  if (props.imageUri !== undefined) return "a container image (imageUri)";
  if (props.s3Bucket !== undefined) return "an S3 object (s3Bucket/s3Key)";
  return "nothing";
}

export const lambdaFunctionRequireArchiveCode = resourcePolicy(
  {
    name: "lambda-function-require-archive-code",
    description:
      "Every Lambda function deploys a code archive of files the project builds, never a serialized closure or an artifact from elsewhere.",
    severity: "high",
    why: "A closure serialized by aws.lambda.CallbackFunction captures whatever the program had in scope (config values, secrets, the module graph) into code nobody reviewed or tested; an image, S3 object or remote archive is built outside the stack, so the diff does not show what will run against the evidence bucket.",
    remediationSteps:
      'Build the handler from lambda/ and deploy it with aws.lambda.Function { code: new pulumi.asset.FileArchive("<build output>"), handler: "index.handler" }.',
    resourceTypes: LAMBDA_FUNCTION,
  },
  (fn, report) => {
    // Deserialized archives keep their contents behind a promise, which a synchronous policy
    // cannot await; the archive's kind and the handler are what can be judged.
    const code: unknown = fn.props.code;
    if (!asset.Archive.isInstance(code)) {
      report(
        `Function "${fn.name}" has no code archive and deploys from ${codeSourceOf(fn.props)}; give it code built by the project as a FileArchive.`,
      );
    } else if ("uri" in code) {
      report(`Function "${fn.name}" deploys a RemoteArchive fetched at deploy time; give it code built by the project as a FileArchive.`);
    } else if (entryFileOf(fn.props.handler) === CLOSURE_ENTRY_FILE) {
      report(
        `Function "${fn.name}" has handler ${JSON.stringify(fn.props.handler)}, the entry file of a serialized closure (aws.lambda.CallbackFunction); deploy the project's built handler with aws.lambda.Function instead.`,
      );
    }
  },
);
