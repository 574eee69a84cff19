import { isAnyTimestamp, isNumeric, type DataType } from "../types/data-types.ts";

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
