import { AnalysisError } from "../common/errors.ts";
import { ArrayType, NullType, StringType, typeName, type DataType } from "../types/data-types.ts";
import { typeOf, widerType } from "./coercion.ts";
import type { Expression } from "./expression.ts";

/**
 * Spark's stringPromotion (non-ANSI TypeCoercion): a string meets any atomic type but
 * binary and boolean as a string, so `coalesce(1, 'a')` and `x IN (1, 'a')` work on strings.
 */
function stringPromotion(a: DataType, b: DataType): DataType | null {
  const promotes = (t: DataType): boolean => t.kind !== "binary" && t.kind !== "boolean" && t.kind !== "interval"
    && t.kind !== "array" && t.kind !== "map" && t.kind !== "struct" && t.kind !== "null";
  if ((a.kind === "string" && promotes(b)) || (b.kind === "string" && promotes(a))) return StringType;
  return null;
}

/** Spark's findWiderTypeForTwo: numeric/decimal/temporal widening, then string promotion, element-wise for arrays. */
export function widerTypeForTwo(a: DataType, b: DataType): DataType | null {
  const wider = widerType(a, b) ?? stringPromotion(a, b);
  if (wider !== null) return wider;
  if (a.kind === "array" && b.kind === "array") {
    const element = widerTypeForTwo(a.elementType, b.elementType);
    return element === null ? null : ArrayType(element, a.containsNull || b.containsNull);
  }
  return null;
}

const hasStringType = (t: DataType): boolean => t.kind === "string" || (t.kind === "array" && hasStringType(t.elementType));

/**
 * Spark's findWiderCommonType (IN lists, coalesce, CASE): widerTypeForTwo folded over the
 * types with the string-like ones first, since the fold is not associative with strings
 * (INT, DATE, STRING is a string, though INT and DATE have no common type).
 */
export function widerCommonType(types: readonly DataType[]): DataType | null {
  const strings = types.filter(hasStringType);
  const ordered = [...strings.filter((t, i) => strings.findIndex((u) => typeName(u) === typeName(t)) === i), ...types.filter((t) => !hasStringType(t))];
  let t: DataType | null = NullType;
  for (const u of ordered) {
    t = widerTypeForTwo(t, u);
    if (t === null) return null;
  }
  return t;
}

/** Spark's DATATYPE_MISMATCH.DATA_DIFF_TYPES for `fn`'s inputs that have no common type. */
export function dataDiffTypes(display: string, fn: string, args: readonly Expression[]): AnalysisError {
  return new AnalysisError(
    `[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "${display}" due to data type mismatch: Input to \`${fn}\` should all be the same type, ` +
    `but it's [${args.map((x) => `"${typeName(typeOf(x)).toUpperCase()}"`).join(", ")}].`,
  );
}
