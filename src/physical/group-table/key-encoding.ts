import type { DataType } from "../../types/data-types.ts";

/**
 * A grouping key's value as fixed-width words: a tag and a float64. Strings are codes into
 * their column's own dictionary (key-dictionary.ts); numbers are their value with -0.0 made
 * 0 and every NaN one tag, as Spark's NormalizeFloatingNumbers makes them; booleans 0/1; any
 * other value (structs, arrays, maps, binary, longs beyond ±2^53) a code into the column's
 * table of such values, keyed by keyString.
 */
export const TAG_NULL = 0;
export const TAG_VALUE = 1;
export const TAG_OTHER = 2;
export const TAG_NAN = 3;

/** How a key column's values become words. */
export type KeyShape = "str" | "num" | "bool" | "other";

export function keyShapeOf(type: DataType): KeyShape {
  switch (type.kind) {
    case "string": return "str";
    case "int": case "long": case "double": case "timestamp": case "date": return "num";
    case "boolean": return "bool";
    default: return "other";
  }
}

/** Encoded keys of some rows (one entry per row), column by column: the table's probe input. */
export interface EncodedKeys {
  readonly tags: Uint8Array[];
  readonly words: Float64Array[];
}

/** A key column of some groups as it travels between threads: words with the strings and values they code for. */
export interface KeyColumnData {
  readonly tags: Uint8Array;
  readonly words: Float64Array;
  readonly strings: readonly string[];
  readonly others: readonly unknown[];
}
