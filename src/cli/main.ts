import { createRequire } from "node:module";
import { redactSecrets } from "../ui/redact.ts";
import { helpText, parseCommandArgs, type CommandSpec } from "./args.ts";
import type { CliContext } from "./cli-context.ts";
import { agentSpec, demoSpec, explainSpec, runSpec, sqlSpec } from "./commands/specs.ts";
import { EXIT_CODES_HELP, ExitCode, exitCodeFor, UsageError } from "./exit-codes.ts";
import { Shutdown } from "./shutdown.ts";
import { isEntryPoint } from "./entry-point.ts";

type CommandFn = (argv: readonly string[], ctx: CliContext) => Promise<number>;

interface Command {
  readonly spec: CommandSpec;
  /** The command's code, loaded when it runs (the engine is not needed for --help). */
  load(): Promise<CommandFn>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  run: { spec: runSpec, load: async () => (await import("./commands/run.ts")).runCommand },
  sql: { spec: sqlSpec, load: async () => (await import("./commands/sql.ts")).sqlCommand },
  explain: { spec: explainSpec, load: async () => (await import("./commands/explain.ts")).explainCommand },
  demo: { spec: demoSpec, load: async () => (await import("./demo.ts")).demoCommand },
  agent: { spec: agentSpec, load: async () => (await import("./commands/agent.ts")).agentCommand },
};

function version(): string {
  try {
    // The package's own manifest by its name (exported as "./package.json"): the same from src/ and dist/.
    return (createRequire(import.meta.url)("rivulet/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    "usage: rivulet <command> [options]",
    "",
    "rivulet: Structured Streaming SQL on Node.js.",
    "",
    "Commands:",
    ...Object.values(COMMANDS).map(({ spec }) => `  ${spec.name.padEnd(width)}${spec.brief}`),
    "",
    "Options:",
    "  -h, --help      show help (also: rivulet <command> --help)",
    "      --version   print the version",
    "  -v, --verbose   log more, and show stack traces of errors",
    "",
    EXIT_CODES_HELP,
    "",
  ].join("\n");
}

function describeError(error: unknown, verbose: boolean): string {
  if (!(error instanceof Error)) return `rivulet: error: ${redactSecrets(String(error))}\n`;
  let text = `rivulet: error: ${redactSecrets(error.message)}\n`;
  if (error instanceof UsageError) {
    if (error.usage) text += `${error.usage}\n`;
    return text + "Run with --help for the options.\n";
  }
  if (verbose) {
    let e: unknown = error;
    let prefix = "";
    while (e instanceof Error) {
      text += `${prefix}${redactSecrets(e.stack ?? e.message)}\n`;
      e = e.cause;
      prefix = "Caused by: ";
    }
  }
  return text;
}

/** Runs the `rivulet` command with these arguments; resolves to the exit code. */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  if (verbose && process.env.RIVULET_LOG === undefined) process.env.RIVULET_LOG = "info";
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      ctx.stderr.write(mainHelp());
      return ExitCode.usage;
    }
    if (name === "--help" || name === "-h" || name === "help") {
      const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
      if (topic !== undefined) {
        ctx.stdout.write(helpText(topic.spec));
        return ExitCode.ok;
      }
      ctx.stdout.write(mainHelp());
      return ExitCode.ok;
    }
    if (name === "--version") {
      ctx.stdout.write(`rivulet ${version()}\n`);
      return ExitCode.ok;
    }
    const command = COMMANDS[name];
    if (command === undefined) {
      throw new UsageError(`unknown command '${name}'; the commands are ${Object.keys(COMMANDS).join(", ")}`, "usage: rivulet <command> [options]");
    }
    // --help and argument errors answer before the engine loads.
    const args = command.spec.name === "agent" ? null : parseCommandArgs(command.spec, rest);
    if (args?.values.help === true || (args === null && (rest.includes("--help") || rest.includes("-h")))) {
      ctx.stdout.write(helpText(command.spec));
      return ExitCode.ok;
    }
    return await (await command.load())(rest, { ...ctx, verbose });
  } catch (error) {
    ctx.stderr.write(describeError(error, verbose));
    return exitCodeFor(error);
  }
}


/** The process entry: exit code as documented; a second SIGINT/SIGTERM forces the exit. */
export async function cli(argv: readonly string[]): Promise<never> {
  const shutdown = new Shutdown((signal) => {
    process.stderr.write(`rivulet: second ${signal}: exiting now; a restart re-runs the unfinished batch\n`);
    process.exit(ExitCode.forced);
  }).install();
  const code = await main(argv, { stdout: process.stdout, stderr: process.stderr, verbose: false, shutdown });
  // Let stdout drain, then exit even if a library left a handle open.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}

if (isEntryPoint(import.meta.url)) void cli(process.argv.slice(2));
