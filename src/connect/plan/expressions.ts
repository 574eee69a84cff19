import { create } from "@bufbuild/protobuf";
import {
  Expression_SortOrder_NullOrdering as NullOrdering, Expression_SortOrder_SortDirection as SortDirection,
  ExpressionSchema, type Expression,
} from "../gen/spark/connect/expressions_pb.ts";
import { Decimal } from "../../columnar/decimal.ts";
import { literalTypeOf } from "../../expr/literal-type.ts";
import type { ArrayType, DataType } from "../../types/data-types.ts";
import { toProtoDataType } from "./data-types.ts";

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
  return create(ExpressionSchema, { exprType: { case: "unresolvedAttribute", value: { unparsedIdentifier: attributeSql(name), ...(planId === undefined ? {} : { planId }) } } });
}

/**
 * The identifier as Spark's Scala client sends it: the name parsed into parts as Spark's
 * `parseAttributeName` does, then joined with "." and only parts holding a "." in backticks
 * (`` col("`a`") `` goes as "a", `` col("`a.b`") `` stays "`a.b`"). A name Spark cannot parse
 * goes unchanged: the server reports it.
 */
function attributeSql(name: string): string {
  const parts = parseAttributeName(name);
  return parts === null ? name : parts.map((p) => (p.includes(".") ? `\`${p}\`` : p)).join(".");
}

function parseAttributeName(name: string): string[] | null {
  const parts: string[] = [];
  let part = "";
  let inQuotes = false;
  let closedQuote = false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (inQuotes) {
      if (c !== "`") part += c;
      else if (name[i + 1] === "`") { part += "`"; i++; } else { inQuotes = false; closedQuote = true; }
    } else if (c === "`") {
      if (part.length > 0 || closedQuote) return null;
      inQuotes = true;
    } else if (c === ".") {
      if (i === 0 || name[i - 1] === "." || i === name.length - 1) return null;
      parts.push(part);
      part = "";
      closedQuote = false;
    } else {
      if (closedQuote) return null;
      part += c;
    }
  }
  if (inQuotes) return null;
  parts.push(part);
  return parts;
}

/**
 * `lit(v)`: a JS number is an `integer` when it is a 32-bit integer, a `double` when not
 * integral, else a `long`; a bigint a `long`; a Date a `timestamp` in µs; null Spark's null;
 * a Decimal a `decimal` of its own precision and scale; an array an `array` literal whose
 * element type is the one a local session gives it (`[1, 2.5]` is array<double>), each
 * element sent as that type, as Spark's Scala client sends `lit(Array(…))`.
 */
export function literal(value: unknown): Expression {
  return create(ExpressionSchema, { exprType: { case: "literal", value: { literalType: literalKind(value) as never } } });
}

type LiteralKind = { case: string; value: unknown };

function literalKind(value: unknown): LiteralKind {
  if (value === null || value === undefined) return { case: "null", value: { kind: { case: "null", value: {} } } };
  switch (typeof value) {
    case "boolean": return { case: "boolean", value };
    case "string": return { case: "string", value };
    case "bigint": return { case: "long", value };
    case "number":
      if (!Number.isInteger(value)) return { case: "double", value };
      if (value >= -(2 ** 31) && value < 2 ** 31) return { case: "integer", value };
      // An integral number past the 64-bit range has no long: it stays the double it is.
      if (value >= -(2 ** 63) && value < 2 ** 63) return { case: "long", value: BigInt(value) };
      return { case: "double", value };
    default:
      if (value instanceof Date) return { case: "timestamp", value: BigInt(value.getTime()) * 1000n };
      if (value instanceof Uint8Array) return { case: "binary", value };
      if (value instanceof Decimal) return { case: "decimal", value: { value: value.toString(), precision: value.precision, scale: value.scale } };
      if (Array.isArray(value)) return arrayLiteral(value, literalTypeOf(value) as ArrayType);
      throw new TypeError(`lit(): ${Object.prototype.toString.call(value)} has no Spark literal type`);
  }
}

function arrayLiteral(values: readonly unknown[], type: ArrayType): LiteralKind {
  return { case: "array", value: { elementType: toProtoDataType(type.elementType), elements: values.map((v) => ({ literalType: literalKindOf(v, type.elementType) })) } };
}

/** An array's element as the array's element type (1 in `[1, 2.5]` goes as the double 1). */
function literalKindOf(value: unknown, type: DataType): LiteralKind {
  if (value === null || value === undefined) return { case: "null", value: toProtoDataType(type) };
  switch (type.kind) {
    case "long": return { case: "long", value: BigInt(value as number | bigint) };
    case "double": return { case: "double", value: Number(value) };
    case "decimal": {
      const d = value instanceof Decimal ? value : new Decimal(String(value));
      return { case: "decimal", value: { value: d.toString(), precision: type.precision, scale: type.scale } };
    }
    case "array": return arrayLiteral(value as unknown[], type);
    default: return literalKind(value);
  }
}

/**
 * A call to a function of Spark's registry (`=`, `<`, `and`, `sum`, `window`, …). Spark 4.0's
 * Scala client always sets the optional `is_internal` (false for every public function and
 * for `when`), so it shows in the plan; PySpark leaves it unset — we follow the Scala client.
 */
export function call(name: string, args: readonly Expression[], distinct = false): Expression {
  return create(ExpressionSchema, { exprType: { case: "unresolvedFunction", value: { functionName: name, arguments: [...args], isDistinct: distinct, isInternal: false } } });
}

/** `expr("a + 1")`, `filter("a > 1")`, `selectExpr(…)`: SQL text that Spark parses. */
export function expressionString(sql: string): Expression {
  return create(ExpressionSchema, { exprType: { case: "expressionString", value: { expression: sql } } });
}

/** `expr AS name`; several names for a generator's columns (`explode(m) AS (k, v)`, Spark's MultiAlias). */
export function alias(expr: Expression, name: string | readonly string[]): Expression {
  return create(ExpressionSchema, { exprType: { case: "alias", value: { expr, name: typeof name === "string" ? [name] : [...name] } } });
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

/**
 * `window(t, "1 hour")` as Spark 4.0's Scala client fills it: slide = duration, start
 * "0 second" (the issue's form; PySpark would send only the arguments given).
 */
export function timeWindow(time: Expression, windowDuration: string, slideDuration?: string, startTime?: string): Expression {
  return call("window", [time, literal(windowDuration), literal(slideDuration ?? windowDuration), literal(startTime ?? "0 second")]);
}
