// The one error boundary every command runs inside. Exit codes: 0 and 1 are
// the command's verdict (passed / found something); 2 means it could not give
// one. UsageError and InputError print their message; anything unexpected
// also exits 2, never 1, so a crash cannot read as a finding, and prints one
// line (SHOW_STACK_TRACE=1 adds the stack trace, for bug reports).
import { type CliValues, type CommandSpec, helpHint, helpText, InputError, parseCommandLine, UsageError } from "./cliArgs";

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CommandIo {
  out: Writable;
  err: Writable;
  env?: NodeJS.ProcessEnv;
}

export const EXIT_CANNOT_JUDGE = 2;

/** Errors a command or the engine raises on purpose, named for the user; their message is the whole story. */
const EXPECTED_ERRORS = new Set(["InputError", "StackFileError", "StackConfigError"]);

export function describeFailure(spec: CommandSpec, error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof UsageError) return `${error.message} ${helpHint(spec)}`;
  if (error instanceof InputError || (error instanceof Error && EXPECTED_ERRORS.has(error.name))) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (env.SHOW_STACK_TRACE === "1" && error instanceof Error && error.stack) return `npm run ${spec.name} failed: ${error.stack}`;
  return `npm run ${spec.name} failed unexpectedly: ${message.split("\n")[0]} (set SHOW_STACK_TRACE=1 for the stack trace)`;
}

/**
 * Parses the command line against the command's option table (answering
 * --help on stdout), runs `body`, and turns whatever it throws into exit 2 and
 * a message on stderr. Returns the exit code.
 */
export async function runCommand(
  spec: CommandSpec,
  argv: string[],
  io: CommandIo,
  body: (values: CliValues) => Promise<number>,
): Promise<number> {
  try {
    const values = parseCommandLine(argv, spec);
    if (values === "help") {
      io.out.write(helpText(spec));
      return 0;
    }
    return await body(values);
  } catch (error) {
    io.err.write(`${describeFailure(spec, error, io.env)}\n`);
    return EXIT_CANNOT_JUDGE;
  }
}

/** For `if (require.main === module)`: runs the command on the process's arguments and exits with its code. */
export function startCommand(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    // main runs inside runCommand, so this is a last resort; still one line, still exit 2.
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT_CANNOT_JUDGE);
    },
  );
}
