import { extname } from "node:path";
import { Session } from "../../session/session.ts";
import { listInputFiles } from "../../connectors/sources/file-index.ts";
import { redactSecrets } from "../../ui/redact.ts";
import { choiceOption, confPairs, helpText, listOption, parseCommandArgs, stringOption, usageLine } from "../args.ts";
import { sqlSpec } from "./specs.ts";
import type { CliContext } from "../cli-context.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { formatResult, OUTPUT_FORMATS } from "../output-format.ts";
import { readJobFile } from "./run.ts";


const FORMAT_BY_EXTENSION: Record<string, string> = { ".json": "json", ".jsonl": "json", ".ndjson": "json", ".csv": "csv", ".txt": "text", ".log": "text" };

function guessFormat(path: string): string {
  const byName = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (byName !== undefined) return byName;
  const first = listInputFiles(path)[0];
  return (first && FORMAT_BY_EXTENSION[extname(first.path).toLowerCase()]) ?? "json";
}

function registerTable(spark: Session, spec: string): void {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new UsageError(`--table expects name=path or name=format:path, not '${spec}'`, usageLine(sqlSpec));
  const name = spec.slice(0, eq);
  let path = spec.slice(eq + 1);
  let format: string | undefined;
  const m = /^(json|csv|text):(.*)$/i.exec(path);
  if (m) { format = m[1]!.toLowerCase(); path = m[2]!; }
  format ??= guessFormat(path);
  const reader = spark.read.format(format);
  if (format === "csv") reader.option("header", true).option("inferSchema", true);
  reader.load(path).createOrReplaceTempView(name);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function sqlCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const args = parseCommandArgs(sqlSpec, argv);
  if (args.values.help) {
    ctx.stdout.write(helpText(sqlSpec));
    return ExitCode.ok;
  }
  const file = stringOption(args, "file");
  if (file !== undefined && args.positionals.length > 0) throw new UsageError("give the SQL as an argument or with --file, not both", usageLine(sqlSpec));
  if (file === undefined && args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "the SQL text is missing" : "the SQL text must be one argument: quote it", usageLine(sqlSpec));
  const format = choiceOption(args, "format", OUTPUT_FORMATS, "table", sqlSpec);
  const maxRowsText = stringOption(args, "max-rows") ?? "10000";
  const maxRows = Number(maxRowsText);
  if (!/^\d+$/.test(maxRowsText) || maxRows < 1) throw new UsageError(`--max-rows expects a positive number, not '${maxRowsText}'`, usageLine(sqlSpec));
  const text = file !== undefined ? await readJobFile(file, sqlSpec) : args.positionals[0] === "-" ? await readStdin() : args.positionals[0]!;

  const builder = Session.builder().appName("rivulet-sql");
  for (const [k, v] of confPairs(args, sqlSpec)) builder.config(k, v);
  const spark = builder.getOrCreate();
  try {
    for (const t of listOption(args, "table")) registerTable(spark, t);
    const { queries, last } = await spark.sqlScript(text);
    if (queries.length > 0) {
      throw new UsageError("`rivulet sql` runs batch SQL; this text starts a streaming query (INSERT INTO … FROM STREAM): run it with `rivulet run job.sql`", usageLine(sqlSpec));
    }
    if (last === undefined || last.columns.length === 0) return ExitCode.ok;
    // EXPLAIN gives one `plan` column: print the plan as text.
    if (last.columns.length === 1 && last.columns[0] === "plan" && format === "table") {
      const rows = await last.collect();
      for (const r of rows) ctx.stdout.write(redactSecrets(String((r as Record<string, unknown>).plan)).replace(/\n*$/, "\n"));
      return ExitCode.ok;
    }
    ctx.stdout.write(await formatResult(last, format, maxRows));
    return ExitCode.ok;
  } finally {
    await spark.stop();
  }
}
