import { describe, expect, it } from "vitest";
import { type CommandSpec, InputError, UsageError } from "../../tools/commands/cliArgs";
import { runCommand } from "../../tools/commands/runCommand";

const SPEC: CommandSpec = {
  name: "example",
  summary: "An example command.",
  options: { out: { type: "string", value: "FILE", description: "Where to write." } },
  exitCodes: "0 done, 2 could not",
};

async function run(body: () => Promise<number>, env: NodeJS.ProcessEnv = {}) {
  let out = "";
  let err = "";
  const code = await runCommand(SPEC, [], { out: { write: (t) => (out += t) }, err: { write: (t) => (err += t) }, env }, body);
  return { code, out, err };
}

describe("the command error boundary", () => {
  it("prints a usage error with where the options are explained, exit 2", async () => {
    expect(await run(async () => Promise.reject(new UsageError("--out is empty")))).toEqual({
      code: 2,
      out: "",
      err: "--out is empty (see `npm run example -- --help`)\n",
    });
  });

  it("prints an input error's message alone, exit 2", async () => {
    expect(await run(async () => Promise.reject(new InputError("cannot read x.json: ENOENT")))).toMatchObject({
      code: 2,
      err: "cannot read x.json: ENOENT\n",
    });
  });

  it("turns an unexpected error into one line and exit 2, never 1, with the trace only on request", async () => {
    const crash = async () => {
      throw new TypeError("cannot read properties of undefined (reading 'urn')\nsecond line");
    };
    const plain = await run(crash);
    expect(plain).toEqual({
      code: 2,
      out: "",
      err: "npm run example failed unexpectedly: cannot read properties of undefined (reading 'urn') (set SHOW_STACK_TRACE=1 for the stack trace)\n",
    });
    const traced = await run(crash, { SHOW_STACK_TRACE: "1" });
    expect(traced.code).toBe(2);
    expect(traced.err).toMatch(/^\s+at /m);
  });

  it("passes the body's own exit code through", async () => {
    expect((await run(async () => 1)).code).toBe(1);
  });
});
