/**
 * The golden SQL file format (as Spark's SQLQueryTestSuite): a `.sql` file of statements,
 * each ending with `;` at the end of a line, and its `.sql.out` with, per statement, the
 * query, its result schema and its output rows (or the error it raised).
 */

/** One statement's recorded outcome. */
export type GoldenResult =
  | { readonly kind: "rows"; readonly query: string; readonly schema: string; readonly rows: readonly string[] }
  | { readonly kind: "error"; readonly query: string; readonly message: string };

/**
 * The statements of a `.sql` file: text up to a `;` that ends a line. Lines that are only a
 * `--` comment are dropped, so comments between statements describe them without being run.
 */
export function statementsOf(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of text.split("\n")) {
    if (current.length === 0 && line.trim() === "") continue;
    if (/^\s*--/.test(line)) continue;
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(";")) {
      current.push(trimmed.slice(0, -1));
      const statement = current.join("\n").trim();
      if (statement !== "") statements.push(statement);
      current = [];
    } else {
      current.push(line);
    }
  }
  const rest = current.join("\n").trim();
  if (rest !== "") statements.push(rest);
  return statements;
}

export function renderGolden(results: readonly GoldenResult[]): string {
  const blocks = results.map((r) => r.kind === "rows"
    ? `-- !query\n${r.query}\n-- !query schema\n${r.schema}\n-- !query output\n${r.rows.join("\n")}`
    : `-- !query\n${r.query}\n-- !query error\n${r.message}`);
  return blocks.join("\n\n\n") + "\n";
}
