// How case:export and case:status reach the case-export Lambda: one
// injectable function, so tests (and an integrator wiring another transport)
// can replace the AWS call; the default is the SDK's Lambda Invoke.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { InputError } from "./cliArgs";

export type CaseExportInvoker = (functionName: string, event: Record<string, unknown>) => Promise<unknown>;

/** Invokes synchronously; a function error (an invalid request, a Genesys refusal) becomes an InputError carrying its message. */
export const invokeCaseExportFunction: CaseExportInvoker = async (functionName, event) => {
  // Honours AWS_ENDPOINT_URL_LAMBDA (tests) and the standard region and credential chain.
  const lambda = new LambdaClient({});
  try {
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(event)) }),
    );
    const text = answer.Payload ? Buffer.from(answer.Payload).toString("utf8") : "";
    const payload = text ? (JSON.parse(text) as unknown) : undefined;
    if (answer.FunctionError) {
      const error = payload as { errorType?: string; errorMessage?: string } | undefined;
      throw new InputError(
        `${functionName} refused the request: ${error?.errorType ?? answer.FunctionError}: ${error?.errorMessage ?? "no message"}`,
      );
    }
    return payload;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot invoke ${functionName}: ${(error as Error).message}`, { cause: error });
  } finally {
    lambda.destroy();
  }
};

/** --function: the deployed case-export function (the stack names it `${namePrefix}-case-export`). */
export const FUNCTION_OPTION = {
  type: "string",
  value: "NAME|ARN",
  description: "The case-export Lambda function, e.g. legal-hold-case-export (the stack names it <namePrefix>-case-export).",
} as const;
