// How case:export and case:status reach the case-export Lambda: one
// injectable function, so tests (and an integrator wiring another transport)
// can replace the AWS call; the default is the SDK's Lambda Invoke.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { InvalidCaseExportRequestError, parseCaseExportEvent } from "../../lambda/caseExport/caseExportRequest";
import { type CliValues, InputError, UsageError } from "./cliArgs";
import type { Writable } from "./runCommand";

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

/** Which flag each request field comes from, so a problem names what the user typed. */
const FLAG_OF: Record<string, string> = {
  caseId: "--case",
  from: "--from",
  to: "--to",
  queueIds: "--queue",
  userIds: "--user",
  divisionIds: "--division",
  requestedBy: "--requested-by",
};

/** Turns the Lambda's "field: problem" wording into "--flag: problem". */
function usageFromRequestError(error: InvalidCaseExportRequestError): UsageError {
  const problems = error.problems.map((problem) => {
    const field = problem.slice(0, problem.indexOf(":"));
    return FLAG_OF[field] ? `${FLAG_OF[field]}${problem.slice(field.length)}` : problem;
  });
  return new UsageError(problems.join("; "));
}

/**
 * What case:export and case:status share: the event checked with the Lambda's own rules (bad flags exit 2
 * before anything is invoked), --function required, the invocation, and the answer printed readable or as JSON.
 */
export async function invokeCaseOperation<Answer>(
  values: CliValues,
  event: Record<string, unknown>,
  io: { out: Writable; err: Writable; invoke: CaseExportInvoker },
  describe: (answer: Answer) => string,
): Promise<Answer> {
  try {
    parseCaseExportEvent(event);
  } catch (error) {
    if (error instanceof InvalidCaseExportRequestError) throw usageFromRequestError(error);
    throw error;
  }
  const functionName = typeof values.function === "string" ? values.function.trim() : "";
  if (functionName === "")
    throw new UsageError("--function is required: the case-export Lambda's name or ARN (the stack names it <namePrefix>-case-export)");
  io.err.write(`invoking ${functionName}: ${String(event.operation)} of case ${String(event.caseId)}…\n`);
  const answer = (await io.invoke(functionName, event)) as Answer;
  io.out.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : describe(answer));
  return answer;
}
