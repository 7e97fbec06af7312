// One option table per command drives both the parser (node:util parseArgs,
// strict, no positionals) and the `--help` text, so the two never disagree.
import { parseArgs } from "node:util";

/** Bad usage of a command: one line naming the flag and the fix; exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Input the command cannot use (a file, a key, a path to write to): its message names it and says why; exit 2. */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InputError";
  }
}

export type CliValues = Record<string, string | boolean | undefined>;

export interface OptionSpec {
  type: "string" | "boolean";
  /** What the value is, shown in the help: `--stack NAME`. Strings only. */
  value?: string;
  /** One sentence for the help text. */
  description: string;
  default?: string | boolean;
  short?: string;
}

export interface CommandSpec {
  /** The npm script: `check`, `genesys:bootstrap`. */
  name: string;
  /** What the command does, one or two sentences. */
  summary: string;
  options: Record<string, OptionSpec>;
  /** What each exit code means for this command. */
  exitCodes: string;
}

const HELP_FLAGS = new Set(["--help", "-h"]);

/** Ends every usage error: where the options are explained. */
export const helpHint = (spec: CommandSpec) => `(see \`npm run ${spec.name} -- --help\`)`;

export function helpText(spec: CommandSpec): string {
  const flag = (name: string, option: OptionSpec) =>
    `${option.short ? `-${option.short}, ` : ""}--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}`;
  const rows: [string, string][] = Object.entries(spec.options).map(([name, option]) => [
    flag(name, option),
    `${option.description}${option.type === "string" && option.default !== undefined ? ` (default: ${option.default})` : ""}`,
  ]);
  rows.push(["-h, --help", "Print this help and exit."]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `usage: npm run ${spec.name} -- [options]`,
    "",
    spec.summary,
    "",
    "options:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    `exit: ${spec.exitCodes}`,
    "",
  ].join("\n");
}

/** parseArgs' own messages suggest positionals and quoting; say instead what is wrong and what to do. */
function usageMessage(error: Error & { code?: string }, argv: string[], spec: CommandSpec): string {
  const quoted = /'(-{1,2}[^' ]+)/u.exec(error.message)?.[1];
  const known = Object.keys(spec.options).map((name) => `--${name}`);
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? "given"}; the options are ${[...known, "--help"].join(", ")}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = quoted?.replace(/^-+/u, "") ?? "";
      const option = spec.options[name] ?? Object.entries(spec.options).find(([, o]) => o.short === name)?.[1];
      if (option?.type === "boolean") return `--${name} takes no value; give it alone`;
      return `--${name} needs a value: --${name} ${option?.value ?? "VALUE"}`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const positional = argv.find((arg) => !arg.startsWith("-") && error.message.includes(`'${arg}'`)) ?? "";
      return `unexpected argument ${JSON.stringify(positional)}; every input is given with a flag`;
    }
    default:
      return error.message;
  }
}

/** The command line's values, or "help" when --help or -h was given (whatever else was). */
export function parseCommandLine(argv: string[], spec: CommandSpec): CliValues | "help" {
  const end = argv.indexOf("--");
  if ((end < 0 ? argv : argv.slice(0, end)).some((arg) => HELP_FLAGS.has(arg))) return "help";
  try {
    return parseArgs({ args: argv, options: spec.options, strict: true, allowPositionals: false }).values as CliValues;
  } catch (error) {
    throw new UsageError(usageMessage(error as Error, argv, spec));
  }
}
