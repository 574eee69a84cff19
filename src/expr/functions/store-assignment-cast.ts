import { ExecutionError } from "../../common/errors.ts";
import { isNull, valueAt, type Vec } from "../../columnar/vector.ts";
import { formatDecimal, pow10 } from "../../columnar/decimal-values.ts";
import { StringType, ddlTypeName, type DataType } from "../../types/data-types.ts";
import { castVec, formatDouble } from "../cast.ts";
import { typeOf } from "../coercion.ts";
import { canOverflow, findCastOverflow } from "../ansi-cast-overflow.ts";
import { Call, Literal, type Expression } from "../expression.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * The ANSI cast that Spark's default store assignment (`spark.sql.storeAssignmentPolicy`
 * ANSI) puts on a value written into a table column, and that `Dataset.to(schema)` uses:
 * `store_assignment_cast(x, 'column', 'insert' | 'cast', CAST(NULL AS type))` has the column's type and fails
 * where the non-ANSI cast would wrap an integer or give NULL. Into a table the error is
 * Spark's CheckOverflowInTableInsert's (`CAST_OVERFLOW_IN_TABLE_INSERT`), elsewhere the
 * plain ANSI cast's (`CAST_OVERFLOW`); a decimal that does not fit its precision is
 * `NUMERIC_VALUE_OUT_OF_RANGE` in both.
 */

const INTEGRAL_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n],
};

/** The integral part of a numeric value (truncated toward zero, as Java's casts), or null for NaN and infinities. */
function integralPart(x: unknown, from: DataType): bigint | null {
  if (typeof x === "bigint") return from.kind === "decimal" ? x / pow10(from.scale) : x;
  if (typeof x === "number") return Number.isFinite(x) ? BigInt(Math.trunc(x)) : null;
  return 0n;
}

/** Spark's toSQLValue: a literal as SQL would write it (3000000000L, 300S, 1.0E10D, 99.999BD). */
export function sqlValueText(x: unknown, t: DataType): string {
  switch (t.kind) {
    case "byte": return `${String(x)}Y`;
    case "short": return `${String(x)}S`;
    case "long": return `${String(x)}L`;
    case "decimal": return `${formatDecimal(x as bigint, t.scale)}BD`;
    case "double": case "float": {
      const d = x as number;
      if (Number.isNaN(d)) return "NaN";
      if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
      return `${formatDouble(d)}${t.kind === "double" ? "D" : ""}`;
    }
    default: return String(x);
  }
}

function literalText(e: unknown): string {
  return String((e as Literal).value);
}

/** `a`.`element`: a column path as Spark's toSQLId quotes it. */
function quotedPath(column: string, path: readonly string[]): string {
  return [column, ...path].map((part) => `\`${part.replace(/`/g, "``")}\``).join(".");
}

function overflow(x: unknown, from: DataType, to: DataType, column: string, mode: string, path: readonly string[] = []): ExecutionError {
  const source = `"${ddlTypeName(from).toUpperCase()}"`;
  const target = `"${ddlTypeName(to).toUpperCase()}"`;
  if (to.kind === "decimal") {
    const text = from.kind === "decimal" ? formatDecimal(x as bigint, from.scale) : sqlValueText(x, from).replace(/[LSYD]$/, "");
    return new ExecutionError(`[NUMERIC_VALUE_OUT_OF_RANGE] ${text} cannot be represented as Decimal(${to.precision}, ${to.scale}). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error, and return NULL instead.`);
  }
  if (mode === "insert") {
    return new ExecutionError(`[CAST_OVERFLOW_IN_TABLE_INSERT] Fail to insert a value of ${source} type into the ${target} type column ${quotedPath(column, path)} due to an overflow. Use \`try_cast\` on the input value to tolerate overflow and return NULL instead.`);
  }
  return new ExecutionError(`[CAST_OVERFLOW] The value ${sqlValueText(x, from)} of the type ${source} cannot be cast to ${target} due to an overflow. Use \`try_cast\` to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`);
}

/** Throws for the first row whose value does not fit `to`: an integer out of range, NaN or an infinity into an integer, a decimal the cast nulled. */
function checkFits(source: Vec, cast: Vec, to: DataType, column: string, mode: string): void {
  const range = INTEGRAL_RANGE[to.kind];
  const numeric = range !== undefined || to.kind === "decimal";
  if (!numeric) return;
  for (let i = 0; i < source.length; i++) {
    if (isNull(source, i)) continue;
    const x = valueAt(source, i);
    if (range !== undefined) {
      const whole = integralPart(x, source.type);
      if (whole === null || whole < range[0] || whole > range[1]) throw overflow(x, source.type, to, column, mode);
    } else if (isNull(cast, i)) throw overflow(x, source.type, to, column, mode);
  }
}

/**
 * Nested values, as Spark's TableOutputResolver casts them element by element: the first
 * element, field, key or value that does not fit fails with its own value and types and
 * its path (`a`.`element`, `m`.`value`, `s`.`f`).
 */
function checkNestedFits(source: Vec, from: DataType, to: DataType, column: string, mode: string): void {
  for (let i = 0; i < source.length; i++) {
    const found = findCastOverflow(valueAt(source, i), from, to);
    if (found !== undefined) throw overflow(found.value, found.from, found.to, column, mode, found.path);
  }
}

export const storeAssignmentCast: ScalarFunction = {
  name: "store_assignment_cast",
  display: (args) => args[0]!,
  // Its last argument is a typed NULL that only carries the target type.
  nullIntolerant: false,
  resolve(args) {
    return { args, dataType: typeOf(args[3]!) };
  },
  evaluate(vecs, _n, ctx, call) {
    const to = call.dataType!;
    const source = vecs[0]!;
    const cast = castVec(source, to, ctx);
    const from = typeOf(call.args[0]!);
    const fromNumeric = from.kind in INTEGRAL_RANGE || from.kind === "decimal" || from.kind === "double" || from.kind === "float";
    if (fromNumeric) checkFits(source, cast, to, literalText(call.args[1]), literalText(call.args[2]));
    else if ((from.kind === "struct" || from.kind === "array" || from.kind === "map") && canOverflow(from, to)) {
      checkNestedFits(source, from, to, literalText(call.args[1]), literalText(call.args[2]));
    }
    return cast;
  },
};

/** `x` stored into a column `column` of type `to` (mode "insert": a table; "cast": Dataset.to). */
export function storeAssignmentCastOf(x: Expression, to: DataType, column: string, mode: "insert" | "cast"): Expression {
  return Call.create("store_assignment_cast", [x, Literal.create(column, StringType), Literal.create(mode, StringType), Literal.create(null, to)], to);
}
