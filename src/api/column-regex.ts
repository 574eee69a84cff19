import { Star, ColumnRef } from "../expr/expression.ts";
import { Column } from "./column.ts";
import { quoteIfNeeded } from "../common/identifiers.ts";

/** Spark's ParserUtils.escapedIdentifier and qualifiedEscapedIdentifier: `` `regex` `` and `` t.`regex` ``. */
const ESCAPED = /^`([\s\S]+)`$/;
const QUALIFIED_ESCAPED = /^(.+)\.`([\s\S]+)`$/;

/**
 * Spark's `df.colRegex(name)`: a back-quoted name (`` `a.*` ``, or `` t.`a.*` `` for table t's
 * columns) is a Java regular expression matched against the whole of each column name,
 * case-insensitively; in select it stands for every column it matches, in the input's order
 * (none: no column), as Spark's UnresolvedRegex. Any other name is the column itself. A regex
 * that matches exactly one of `columns` is that column, so it may stand where one value must.
 */
export function columnByRegex(colName: string, columns: readonly string[]): Column {
  const escaped = ESCAPED.exec(colName);
  if (escaped !== null) {
    const pattern = escaped[1]!.replace(/``/g, "`");
    const regex = new RegExp(`^(?:${pattern})$`, "is");
    const matches = columns.filter((c) => regex.test(c));
    return new Column(matches.length === 1 ? ColumnRef.create(quoteIfNeeded(matches[0]!)) : Star.regex(pattern));
  }
  const qualified = QUALIFIED_ESCAPED.exec(colName);
  if (qualified !== null) return new Column(Star.regex(qualified[2]!.replace(/``/g, "`"), qualified[1]!));
  return new Column(ColumnRef.create(colName));
}
