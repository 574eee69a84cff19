/**
 * The string that stands for a tuple of key values wherever the engine keys by value:
 * aggregation groups and their state, deduplication, join keys, distinct tuples. It is
 * JSON, except that the numbers JSON cannot hold keep tags of their own: JSON writes NaN,
 * Infinity and -Infinity all as null, which would put them in one group with the nulls,
 * where Spark keeps four. -0 and 0 stay one key (JSON writes both as 0), as Spark's
 * normalization of floating-point keys makes them.
 */
export function keyString(values: readonly unknown[]): string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if ((typeof v === "number" && !Number.isFinite(v)) || (typeof v === "object" && v !== null) || typeof v === "bigint") return JSON.stringify(values, tagNonFinite);
  }
  return JSON.stringify(values); // the common case: no replacer call per value
}

// Longs beyond ±2^53 are bigints (vector.ts), which JSON cannot write: tagged too.
function tagNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return { "\u0000bigint": String(value) };
  return typeof value === "number" && !Number.isFinite(value) ? { "\u0000number": String(value) } : value;
}
