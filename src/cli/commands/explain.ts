import type { CstNode } from "chevrotain";
import { Session } from "../../session/session.ts";
import { node, nodes, sourceText } from "../../sql/cst.ts";
import { parseSql } from "../../sql/sql-parse.ts";
import { redactSecrets } from "../../ui/redact.ts";
import { confPairs, helpText, parseCommandArgs, usageLine } from "../args.ts";
import { explainSpec } from "./specs.ts";
import type { CliContext } from "../cli-context.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { readJobFile } from "./run.ts";


/** What to explain in a statement (the SELECT of an INSERT INTO, or a query), with a title; null to run it. */
function explained(statement: CstNode, text: string): { title: string; query: string; sink?: string } | null {
  const [kind, children] = Object.entries(statement.children)[0]!;
  const inner = children[0] as CstNode;
  if (kind === "query") return { title: "SELECT", query: sourceText(inner, text) };
  if (kind === "insertStatement") {
    // The table: a name, or Spark's IDENTIFIER(…) clause, shown as written.
    const reference = node(inner.children, "identifierReference");
    const target = reference === undefined ? undefined : node(reference.children, "qualifiedName") ?? reference;
    const query = node(inner.children, "query");
    if (query === undefined) return null;
    const sink = target === undefined ? "?" : sourceText(target, text);
    return { title: `INSERT INTO ${sink}`, query: sourceText(query, text), sink };
  }
  return null;
}

export async function explainCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const args = parseCommandArgs(explainSpec, argv);
  if (args.values.help) {
    ctx.stdout.write(helpText(explainSpec));
    return ExitCode.ok;
  }
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "the job file is missing" : `one job file, not ${args.positionals.length}`, usageLine(explainSpec));
  const file = args.positionals[0]!;
  const text = await readJobFile(file, explainSpec);
  const builder = Session.builder().appName("rivulet-explain");
  for (const [k, v] of confPairs(args, explainSpec)) builder.config(k, v);
  const spark = builder.getOrCreate();
  try {
    const statements = nodes(parseSql(text, "script").children, "statement");
    let count = 0;
    for (const statement of statements) {
      const target = explained(statement, text);
      if (target === null) {
        const df = spark.sql(sourceText(statement, text));
        // An EXPLAIN in the job prints its plan; other statements only set things up.
        if (df.columns.length === 1 && df.columns[0] === "plan") {
          for (const r of await df.collect()) ctx.stdout.write(redactSecrets(String((r as Record<string, unknown>).plan)).replace(/\n*$/, "\n"));
        }
        continue;
      }
      const rows = await spark.sql(`EXPLAIN EXTENDED ${target.query}`).collect();
      ctx.stdout.write(`${count > 0 ? "\n" : ""}=== ${target.title} ===\n`);
      for (const r of rows) ctx.stdout.write(redactSecrets(String((r as Record<string, unknown>).plan)).replace(/\n*$/, "\n"));
      const table = target.sink === undefined ? null : spark.catalog.tableDefinition(target.sink);
      if (table !== null) {
        const options = Object.entries(table.options).map(([k, v]) => `${k} '${v}'`).join(", ");
        ctx.stdout.write(`\n== Sink ==\n${table.name} USING ${table.format}${options === "" ? "" : ` OPTIONS (${redactSecrets(options)})`}\n`);
      }
      count++;
    }
    if (count === 0) ctx.stderr.write(`rivulet: ${file} holds no query to explain\n`);
    return ExitCode.ok;
  } finally {
    await spark.stop();
  }
}
