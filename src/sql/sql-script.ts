import type { CstNode } from "chevrotain";
import type { DataFrame } from "../api/dataset.ts";
import type { StreamingQuery } from "../api/streaming-query.ts";
import { AnalysisError } from "../common/errors.ts";
import type { Expression } from "../expr/expression.ts";
import type { Session } from "../session/session.ts";
import { nodes } from "./cst.ts";
import { ExpressionBuilder } from "./expression-builder.ts";
import { parseSql } from "./sql-parse.ts";
import { noParameters, type SqlParameters } from "./sql-parameters.ts";
import { StatementRunner, type StatementResult } from "./sql-statement.ts";

/** What `spark.sqlScript(text)` gives: one DataFrame per statement, and the streaming queries INSERT INTO started. */
export interface SqlScriptResult {
  readonly results: readonly DataFrame[];
  readonly queries: readonly StreamingQuery[];
  /** The last statement's DataFrame (what `spark.sql` returns). */
  readonly last: DataFrame | undefined;
}

function statementsOf(text: string): CstNode[] {
  return nodes(parseSql(text, "script").children, "statement");
}

/**
 * `spark.sql(text)`: runs the statements in order and returns the last one's DataFrame.
 * A batch INSERT INTO (which writes asynchronously) is refused here: use sqlScript.
 */
export function runSql(session: Session, text: string, params: SqlParameters = noParameters(text)): DataFrame {
  const statements = statementsOf(text);
  if (statements.length === 0) throw new AnalysisError("spark.sql: the text holds no statement");
  const runner = new StatementRunner(session, text, params);
  let last: DataFrame | undefined;
  for (const s of statements) {
    const r = runner.run(s);
    if (r.kind === "pending") {
      throw new AnalysisError("INSERT INTO and CREATE TABLE … AS SELECT from a batch query write asynchronously: run them with `await spark.sqlScript(text)`");
    }
    last = r.df;
  }
  return last!;
}

/** `spark.sqlScript(text)`: every statement in order, awaiting batch writes; returns each result and the started queries. */
export async function runSqlScript(session: Session, text: string): Promise<SqlScriptResult> {
  const runner = new StatementRunner(session, text);
  const results: DataFrame[] = [];
  const queries: StreamingQuery[] = [];
  for (const s of statementsOf(text)) {
    const r: StatementResult = runner.run(s);
    if (r.kind === "pending") results.push(await r.run());
    else results.push(r.df);
    if (r.kind === "streaming") queries.push(r.query);
  }
  return { results, queries, last: results[results.length - 1] };
}

/** A SQL expression (`expr("…")`, `filter("…")`), unresolved like a Column's. */
export function parseExpression(text: string): Expression {
  return new ExpressionBuilder(text).build(parseSql(text, "singleExpression"));
}

/** One select item (`selectExpr("count(*) AS n")`): an expression with an optional alias, or `*`. */
export function parseSelectItem(text: string): Expression {
  return new ExpressionBuilder(text).build(parseSql(text, "singleSelectItem"));
}
