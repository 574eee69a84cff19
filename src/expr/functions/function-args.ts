import { AnalysisError } from "../../common/errors.ts";
import { isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import type { Call, Expression } from "../expression.ts";
import { asStr, constantVec, mapRows, mapStringDict, mapStrings } from "../vec-ops.ts";

// ---------- argument checking, shared by the string, date/time and collection functions ----------

export function checkArity(fn: string, args: readonly Expression[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw wrongNumArgs(fn, args.length, min, max);
  }
}

/** Spark's WRONG_NUM_ARGS: "[2, 3]" lists each valid count, "> 0" for variadic functions. */
export function wrongNumArgs(fn: string, actual: number, min: number, max = min): AnalysisError {
  const expected = min === max ? `${min}` : max === Infinity ? `> ${min - 1}` : `[${Array.from({ length: max - min + 1 }, (_, k) => min + k).join(", ")}]`;
  return new AnalysisError(
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${fn}\` requires ${expected} parameters but the actual number is ${actual}. ` +
    "Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
  );
}

/** Whether Spark (non-ANSI) implicitly casts a value of type `from` where `to` is expected. */
function implicitlyCastable(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind || from.kind === "null") return true;
  const atomic = from.kind !== "struct" && from.kind !== "array" && from.kind !== "map";
  switch (to.kind) {
    case "string": return atomic;
    case "byte": case "short": case "int": case "long": case "float": case "double": case "decimal": return isNumeric(from) || from.kind === "string";
    case "timestamp": return from.kind === "date" || from.kind === "string" || from.kind === "timestamp_ntz";
    case "timestamp_ntz": return from.kind === "date" || from.kind === "string" || from.kind === "timestamp";
    case "date": return from.kind === "timestamp" || from.kind === "string" || from.kind === "timestamp_ntz";
    case "binary": return from.kind === "string";
    case "boolean": return from.kind === "string";
    default: return false;
  }
}

/** Argument `k` of `fn` as type `to`, with Spark's implicit casts; AnalysisError naming the call otherwise. */
export function coerceArg(fn: string, args: readonly Expression[], k: number, to: DataType): Expression {
  const arg = args[k]!;
  const t = typeOf(arg);
  if (!implicitlyCastable(t, to)) throw typeMismatch(fn, args, k, typeName(to));
  return castIfNeeded(arg, to);
}

/** Spark's quoted upper-case type list: "INT", ("ARRAY" or "MAP"). */
function requiredTypes(expected: string): string {
  const parts = expected.split(" or ").map((p) => `"${p.toUpperCase()}"`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(" or ")})`;
}

export function typeMismatch(fn: string, args: readonly Expression[], k: number, expected: string): AnalysisError {
  const call = `${fn}(${args.map(displayExpression).join(", ")})`;
  return new AnalysisError(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${call}" due to data type mismatch: ` +
    `Parameter ${k + 1} requires the ${requiredTypes(expected)} type, however "${displayExpression(args[k]!)}" has the type "${typeName(typeOf(args[k]!)).toUpperCase()}".`,
  );
}

/** A literal, possibly under casts: its vector holds one value repeated. */
export function isConstant(e: Expression): boolean {
  return e.kind === "Literal" || (e.kind === "Cast" && isConstant(e.child));
}

/**
 * Runs `f(str, otherArgs)` for a function whose first argument is a string. When the
 * other arguments are constants (the usual case) it runs once per dictionary entry and
 * keeps string results dictionary-encoded; otherwise row by row. Nulls give null.
 */
export function stringKernel(vecs: readonly Vec[], n: number, call: Call, f: (s: string, rest: unknown[]) => unknown): Vec {
  const type = call.dataType!;
  if (n > 0 && call.args.slice(1).every(isConstant)) {
    const rest = vecs.slice(1).map((v) => valueAt(v, 0));
    if (rest.includes(null)) return constantVec(null, type, n);
    const s = asStr(vecs[0]!);
    return type.kind === "string" ? mapStringDict(s, (x) => f(x, rest) as string | null) : mapStrings(s, type, (x) => f(x, rest));
  }
  return mapRows(vecs, n, type, (vals) => f(vals[0] as string, vals.slice(1)));
}

// ---------- code points: Spark counts characters as Unicode code points ----------
