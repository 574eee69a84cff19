import { AnalysisError } from "../common/errors.ts";
import { ColumnRef } from "../expr/expression.ts";
import { Column } from "./column.ts";

/**
 * Spark's `df.colRegex(name)`: a back-quoted name is a Java regular expression matched
 * against the whole of each column name; any other name is the column itself. Here the
 * regex must match exactly one column (a Column stands for one value); more fail with the
 * names matched, so that the caller can `select(...names)` instead.
 */
export function columnByRegex(colName: string, columns: readonly string[]): Column {
  const quoted = /^`(.+)`$/s.exec(colName);
  if (quoted === null) return new Column(ColumnRef.create(colName));
  const pattern = new RegExp(`^(?:${quoted[1]!.replace(/``/g, "`")})$`);
  const matches = columns.filter((c) => pattern.test(c));
  if (matches.length === 1) return new Column(ColumnRef.create(matches[0]!));
  if (matches.length === 0) {
    throw new AnalysisError(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name ${colName} cannot be resolved. Did you mean one of the following? [${columns.map((c) => `\`${c}\``).join(", ")}].`);
  }
  throw new AnalysisError(`[UNSUPPORTED_FEATURE] The feature is not supported: colRegex(${colName}) matching several columns (${matches.map((c) => `\`${c}\``).join(", ")}); select them by name.`);
}
