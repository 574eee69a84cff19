import { create } from "@bufbuild/protobuf";
import {
  Expression_SortOrder_NullOrdering as NullOrdering, Expression_SortOrder_SortDirection as SortDirection,
  ExpressionSchema, type Expression,
} from "../gen/spark/connect/expressions_pb.ts";

/**
 * Spark Connect's unresolved expressions, built as Spark's Connect client builds them for
 * the same calls: names stay names (the server resolves them), functions are named as
 * Spark's registry names them, and `df.col("x")` carries the plan id of its DataFrame.
 */

/** `col("a")`, `df.col("a")` (bound to the DataFrame's plan id); `"*"` and `"t.*"` are stars. */
export function column(name: string, planId?: bigint): Expression {
  if (name === "*" || name.endsWith(".*")) {
    const target = name === "*" ? {} : { unparsedTarget: name };
    return create(ExpressionSchema, { exprType: { case: "unresolvedStar", value: { ...target, ...(planId === undefined ? {} : { planId }) } } });
  }
  return create(ExpressionSchema, { exprType: { case: "unresolvedAttribute", value: { unparsedIdentifier: name, ...(planId === undefined ? {} : { planId }) } } });
}

/**
 * `lit(v)`: a JS number is an `integer` when it is a 32-bit integer, a `double` when not
 * integral, else a `long`; a bigint a `long`; a Date a `timestamp` in µs; null Spark's null.
 */
export function literal(value: unknown): Expression {
  const lit = (literalType: Record<string, unknown>): Expression =>
    create(ExpressionSchema, { exprType: { case: "literal", value: { literalType: literalType as never } } });
  if (value === null || value === undefined) return lit({ case: "null", value: { kind: { case: "null", value: {} } } });
  switch (typeof value) {
    case "boolean": return lit({ case: "boolean", value });
    case "string": return lit({ case: "string", value });
    case "bigint": return lit({ case: "long", value });
    case "number":
      if (!Number.isInteger(value)) return lit({ case: "double", value });
      if (value >= -(2 ** 31) && value < 2 ** 31) return lit({ case: "integer", value });
      return lit({ case: "long", value: BigInt(value) });
    default:
      if (value instanceof Date) return lit({ case: "timestamp", value: BigInt(value.getTime()) * 1000n });
      if (value instanceof Uint8Array) return lit({ case: "binary", value });
      throw new TypeError(`lit(): ${Object.prototype.toString.call(value)} has no Spark literal type`);
  }
}

/** A call to a function of Spark's registry (`=`, `<`, `and`, `sum`, `window`, …). */
export function call(name: string, args: readonly Expression[], distinct = false): Expression {
  return create(ExpressionSchema, { exprType: { case: "unresolvedFunction", value: { functionName: name, arguments: [...args], isDistinct: distinct } } });
}

/** `expr("a + 1")`, `filter("a > 1")`, `selectExpr(…)`: SQL text that Spark parses. */
export function expressionString(sql: string): Expression {
  return create(ExpressionSchema, { exprType: { case: "expressionString", value: { expression: sql } } });
}

/** `expr AS name`; several names for a generator's columns (`explode(m) AS (k, v)`, Spark's MultiAlias). */
export function alias(expr: Expression, name: string | readonly string[]): Expression {
  return create(ExpressionSchema, { exprType: { case: "alias", value: { expr, name: typeof name === "string" ? [name] : [...name] } } });
}

/** `cast(type)`: a DDL type name, as Spark's client sends a string type. */
export function cast(expr: Expression, typeName: string): Expression {
  return create(ExpressionSchema, { exprType: { case: "cast", value: { expr, castToType: { case: "typeStr", value: typeName } } } });
}

/** `asc` sorts nulls first, `desc` nulls last (Spark's defaults), unless told otherwise. */
export function sortOrder(child: Expression, ascending: boolean, nullsFirst = ascending): Expression {
  return create(ExpressionSchema, {
    exprType: {
      case: "sortOrder",
      value: {
        child,
        direction: ascending ? SortDirection.ASCENDING : SortDirection.DESCENDING,
        nullOrdering: nullsFirst ? NullOrdering.SORT_NULLS_FIRST : NullOrdering.SORT_NULLS_LAST,
      },
    },
  });
}

/** `when(c1, v1).when(c2, v2).otherwise(e)`: one "when" call with every branch, as Spark's client sends it. */
export function caseWhen(branches: readonly (readonly [Expression, Expression])[], otherwise: Expression | null): Expression {
  return call("when", [...branches.flat(), ...(otherwise === null ? [] : [otherwise])]);
}

/** `between(lo, hi)`: `(x >= lo) and (x <= hi)`. */
export function between(x: Expression, lo: Expression, hi: Expression): Expression {
  return call("and", [call(">=", [x, lo]), call("<=", [x, hi])]);
}

/** `window(t, "1 hour")` as Spark's client fills it: slide = duration, start "0 second". */
export function timeWindow(time: Expression, windowDuration: string, slideDuration?: string, startTime?: string): Expression {
  return call("window", [time, literal(windowDuration), literal(slideDuration ?? windowDuration), literal(startTime ?? "0 second")]);
}
