import { type ParseArgsConfig, parseArgs } from "node:util";

/** Bad usage of a command: the caller prints the message and the usage line, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type CliValues = Record<string, string | boolean | undefined>;

/** node:util parseArgs, strict and without positionals, its errors turned into UsageError. */
export function parseCliOptions(argv: string[], options: NonNullable<ParseArgsConfig["options"]>): CliValues {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as CliValues;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
