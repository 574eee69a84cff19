import { AnalysisError } from "../common/errors.ts";
import { isAnyTimestamp, isNumeric, sameType, type DataType } from "../types/data-types.ts";

/**
 * Whether INSERT may write a `from` value into a `to` column: Spark's default store
 * assignment policy (ANSI, `Cast.canANSIStoreAssign`) — the same type, numbers into
 * numbers, anything atomic into a string, dates and timestamps into each other, NULL into
 * anything, nested types field by field. A string into a number is refused, not parsed.
 */
export function canStoreAssign(from: DataType, to: DataType): boolean {
  if (from.kind === "null") return true;
  if (from.kind === to.kind) {
    if (from.kind === "struct" && to.kind === "struct") {
      return from.fields.length === to.fields.length && from.fields.every((f, i) => canStoreAssign(f.dataType, to.fields[i]!.dataType));
    }
    if (from.kind === "array" && to.kind === "array") return canStoreAssign(from.elementType, to.elementType);
    if (from.kind === "map" && to.kind === "map") return canStoreAssign(from.keyType, to.keyType) && canStoreAssign(from.valueType, to.valueType);
    return true;
  }
  if (isNumeric(from) && isNumeric(to)) return true;
  if (to.kind === "string") return from.kind !== "struct" && from.kind !== "array" && from.kind !== "map";
  const temporal = (t: DataType): boolean => t.kind === "date" || isAnyTimestamp(t);
  if (temporal(from) && temporal(to)) return true;
  return false;
}

/** `spark.sql.storeAssignmentPolicy`: ANSI (the default), LEGACY (any cast, non-ANSI), STRICT (only casts that lose nothing). */
export type StoreAssignmentPolicy = "ANSI" | "LEGACY" | "STRICT";

export const STORE_ASSIGNMENT_POLICY_KEY = "spark.sql.storeAssignmentPolicy";

export function storeAssignmentPolicy(value: string | undefined): StoreAssignmentPolicy {
  const v = (value ?? "ANSI").trim().toUpperCase();
  if (v === "ANSI" || v === "LEGACY" || v === "STRICT") return v;
  throw new AnalysisError(`[INVALID_CONF_VALUE.OUT_OF_RANGE_OF_OPTIONS] The value '${value}' in the config "${STORE_ASSIGNMENT_POLICY_KEY}" is invalid. It should be one of 'ANSI', 'LEGACY', 'STRICT'.`);
}

const NUMERIC_ORDER = ["byte", "short", "int", "long", "float", "double"];
const INTEGRAL_DIGITS: Readonly<Record<string, number>> = { byte: 3, short: 5, int: 10, long: 20 };

/** Integer digits and scale of an exact numeric type, as Spark's DecimalType.forType. */
function exactShape(t: DataType): [number, number] | null {
  if (t.kind === "decimal") return [t.precision - t.scale, t.scale];
  const digits = INTEGRAL_DIGITS[t.kind];
  return digits === undefined ? null : [digits, 0];
}

/** Spark's Cast.canUpCast, what the STRICT policy allows: a cast that cannot lose a value. */
export function canUpCast(from: DataType, to: DataType): boolean {
  if (from.kind === "null" || sameType(from, to)) return true;
  if (isNumeric(from) && isNumeric(to)) {
    if (to.kind === "decimal" || from.kind === "decimal") {
      const f = exactShape(from);
      const t = exactShape(to);
      if (f === null || t === null) return false;
      return t[0] >= f[0] && t[1] >= f[1];
    }
    return NUMERIC_ORDER.indexOf(from.kind) <= NUMERIC_ORDER.indexOf(to.kind);
  }
  if (to.kind === "string") return from.kind !== "binary" && from.kind !== "struct" && from.kind !== "array" && from.kind !== "map";
  if (from.kind === "date" && isAnyTimestamp(to)) return true;
  if (from.kind === "array" && to.kind === "array") return canUpCast(from.elementType, to.elementType);
  if (from.kind === "map" && to.kind === "map") return canUpCast(from.keyType, to.keyType) && canUpCast(from.valueType, to.valueType);
  if (from.kind === "struct" && to.kind === "struct") {
    return from.fields.length === to.fields.length && from.fields.every((f, i) => canUpCast(f.dataType, to.fields[i]!.dataType));
  }
  return false;
}
