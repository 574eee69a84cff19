import { ColumnBatch } from "../columnar/column-batch.ts";
import { valueAt } from "../columnar/vector.ts";
import { AnalysisError } from "../common/errors.ts";
import { typeOf } from "../expr/coercion.ts";
import { compileExpression } from "../expr/compile.ts";
import { displayExpression } from "../expr/display.ts";
import { defaultEvalContext } from "../expr/eval-context.ts";
import { referencedColumns, type Expression } from "../expr/expression.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { StructType, typeName } from "../types/data-types.ts";

/**
 * The value of a LIMIT or OFFSET expression: any constant integer expression (`LIMIT 2 + 1`),
 * evaluated once, with Spark's INVALID_LIMIT_LIKE_EXPRESSION errors otherwise.
 */
export function limitLikeValue(what: "limit" | "offset", written: Expression): number {
  const invalid = (sub: string, why: string, shown: string): never => {
    throw new AnalysisError(`[INVALID_LIMIT_LIKE_EXPRESSION.${sub}] The ${what} like expression "${shown}" is invalid. ${why}`);
  };
  let e: Expression;
  try {
    e = resolveExpression(written, []);
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err;
    return invalid("IS_UNFOLDABLE", `The ${what} expression must evaluate to a constant value, but got "${displayExpression(written)}".`, displayExpression(written));
  }
  const shown = displayExpression(e);
  if (referencedColumns(e).size > 0) invalid("IS_UNFOLDABLE", `The ${what} expression must evaluate to a constant value, but got "${shown}".`, shown);
  const t = typeOf(e);
  if (t.kind !== "int" && t.kind !== "long" && t.kind !== "null") {
    invalid("DATA_TYPE", `The ${what} expression must be integer type, but got "${typeName(t).toUpperCase()}".`, shown);
  }
  const value = valueAt(compileExpression(e)(new ColumnBatch(new StructType([]), [], 1), defaultEvalContext()), 0);
  if (value === null) invalid("IS_NULL", `The evaluated ${what} expression must not be null, but got NULL.`, shown);
  const n = Number(value);
  if (n < 0) invalid("IS_NEGATIVE", `The ${what} expression must be equal to or greater than 0, but got ${n}.`, shown);
  return n;
}
