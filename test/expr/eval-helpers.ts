import { rowsToBatch, toExternal } from "../../src/columnar/values.ts";
import { valueAt, type Vec } from "../../src/columnar/vector.ts";
import { compileExpression } from "../../src/expr/compile.ts";
import type { EvalContext } from "../../src/expr/eval-context.ts";
import { Call, Cast, ColumnRef, Literal, type Expression } from "../../src/expr/expression.ts";
import { resolveExpression } from "../../src/expr/resolve.ts";
import { scopeOf } from "../../src/expr/scope.ts";
import type { DataType } from "../../src/types/data-types.ts";
import { parseDataType, parseSchema } from "../../src/types/ddl.ts";
import { UTC } from "../../src/common/time-zone.ts";

/** Shared by the expression tests: build, resolve and evaluate expressions over small tables. */
export const CTX: EvalContext = { batchTimestampMicros: 0, timeZoneId: UTC.id };
export const col = (name: string, qualifier: string | null = null): Expression => ColumnRef.create(name, qualifier);
export const lit = (v: unknown, type: DataType | null = null): Expression => Literal.create(v, type);
export const fn = (name: string, ...args: Expression[]): Expression => Call.create(name, args);
export const cast = (e: Expression, to: string): Expression => Cast.create(e, parseDataType(to));

export interface Evaluated {
  /** External values (Dates, bigints for unsafe longs). */
  readonly values: unknown[];
  /** Internal values (µs for timestamps, days for dates). */
  readonly internal: unknown[];
  readonly vec: Vec;
  readonly resolved: Expression;
  readonly type: DataType;
}

export function evaluate(ddl: string, rows: readonly unknown[], e: Expression, ctx: EvalContext = CTX): Evaluated {
  const schema = parseSchema(ddl);
  const batch = rowsToBatch(schema, rows, "test");
  const resolved = resolveExpression(e, scopeOf(schema));
  const vec = compileExpression(resolved)(batch, ctx);
  const internal = Array.from({ length: batch.numRows }, (_, i) => valueAt(vec, i));
  const values = internal.map((v) => toExternal(v, resolved.dataType!));
  return { values, internal, vec, resolved, type: resolved.dataType! };
}

/** Values of `e` over one column `ddl` holding `values`. */
export function over(ddl: string, values: readonly unknown[], e: Expression): unknown[] {
  const name = parseSchema(ddl).fields[0]!.name;
  return evaluate(ddl, values.map((v) => ({ [name]: v })), e).values;
}

/** A constant expression evaluated once. */
export function scalar(e: Expression): unknown {
  return evaluate("x INT", [{ x: 1 }], e).values[0];
}
