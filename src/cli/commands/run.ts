import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { SQL_TRIGGER_KEY } from "../../sql/insert-into.ts";
import { choiceOption, confPairs, helpText, parseCommandArgs, portOption, stringOption, usageLine, type CommandSpec } from "../args.ts";
import { runSpec } from "./specs.ts";
import type { CliContext } from "../cli-context.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { closeJobSession, openJobSession, superviseQueries } from "../job-runner.ts";



export async function readJobFile(path: string, spec: CommandSpec): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the job file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, usageLine(spec));
  }
}

export async function runCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const args = parseCommandArgs(runSpec, argv);
  if (args.values.help) {
    ctx.stdout.write(helpText(runSpec));
    return ExitCode.ok;
  }
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "the job file is missing" : `one job file, not ${args.positionals.length}`, usageLine(runSpec));
  const file = args.positionals[0]!;
  const conf = confPairs(args, runSpec);
  const trigger = stringOption(args, "trigger");
  if (trigger !== undefined) conf.push([SQL_TRIGGER_KEY, trigger]);
  const options = {
    appName: basename(file).replace(/\.sql$/i, ""),
    conf,
    uiPort: portOption(args, "ui", runSpec),
    uiHost: stringOption(args, "ui-host"),
    checkpoint: stringOption(args, "checkpoint"),
    logFormat: choiceOption(args, "log-format", ["text", "json"] as const, "text", runSpec),
  };
  const text = await readJobFile(file, runSpec);
  const job = await openJobSession(options, ctx);
  try {
    const { queries } = await job.spark.sqlScript(text);
    if (queries.length === 0) {
      ctx.stderr.write(`rivulet: ${file} started no streaming query (no INSERT INTO … SELECT … FROM STREAM(t)); its statements ran\n`);
      return ExitCode.ok;
    }
    return await superviseQueries(queries, ctx, job.say);
  } finally {
    await closeJobSession(job, ctx);
  }
}
