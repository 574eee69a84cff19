/**
 * How the test kit decides that two rows are the same, and how it prints one.
 *
 * Each value becomes a typed key; two values are equal when their keys are equal, and a list
 * of rows is compared as a multiset by sorting the keys. The rules follow Spark's `checkAnswer`
 * (QueryTest.prepareRow and Row.equals), on purpose:
 * - NaN equals NaN (Row.equals treats two NaNs as equal), and NaN, Infinity, -Infinity and null
 *   are four different values;
 * - -0 equals 0 (prepareRow: "spark treats -0.0 as 0.0");
 * - a bigint equals a number of the same integer value (Scala's `==` on boxed numbers is
 *   numeric, and rivulet hands out a LONG as a number when it is a safe integer, a bigint past
 *   that), so `{ count: 1 }` matches a LONG 1; a number that is not a safe integer never equals
 *   a bigint (it cannot carry the exact value);
 * - a Date by its instant; a Uint8Array by its bytes; an array by its elements in order;
 *   a Map by its entries in any order; a struct (plain object) by its fields by name, where a
 *   missing field is not the same as a null one.
 */

/** The typed key of `value`: equal keys, equal values (the rules above). */
export function valueKey(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "number": return `n:${numberText(value === 0 ? 0 : value)}`;
    case "bigint": return Number.isSafeInteger(Number(value)) ? `n:${value}` : `N:${value}`;
    case "string": return `s:${JSON.stringify(value)}`;
    case "boolean": return `b:${value}`;
  }
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (value instanceof Uint8Array) return `x:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  if (value instanceof Map) {
    return `map{${[...value].map(([k, v]) => `${valueKey(k)}->${valueKey(v)}`).sort().join(",")}}`;
  }
  if (typeof value === "object") {
    const fields = Object.keys(value).sort();
    return `{${fields.map((f) => `${JSON.stringify(f)}:${valueKey((value as Record<string, unknown>)[f])}`).join(",")}}`;
  }
  return `?:${String(value)}`;
}

/** `number` as its exact text: NaN, Infinity, -Infinity and -0 each say what they are. */
function numberText(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

/**
 * A value printed so that no two different kinds look alike: `NaN`, `Infinity`, `-0`, `1n`,
 * `null`, `"text"`, Dates in ISO form, bytes as `<41 42>`, maps as `Map{k => v}`.
 */
export function formatValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "number": return numberText(value);
    case "bigint": return `${value}n`;
    case "string": return JSON.stringify(value);
    case "boolean": return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof Uint8Array) return `<${[...value].map((b) => b.toString(16).padStart(2, "0")).join(" ")}>`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${formatValue(k)} => ${formatValue(v)}`).join(", ")}}`;
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** What differs between two multisets of rows: the expected rows not found, and the rows found but not expected. */
export interface RowDifference<T> {
  readonly missing: readonly T[];
  readonly unexpected: readonly T[];
}

/** Compares `expected` and `actual` as multisets of rows; null when they hold the same rows. */
export function diffRows<T>(expected: readonly T[], actual: readonly T[]): RowDifference<T> | null {
  const remaining = new Map<string, T[]>();
  for (const row of actual) {
    const key = valueKey(row);
    const same = remaining.get(key);
    if (same) same.push(row);
    else remaining.set(key, [row]);
  }
  const missing: T[] = [];
  for (const row of expected) {
    const same = remaining.get(valueKey(row));
    if (same && same.length > 0) same.pop();
    else missing.push(row);
  }
  const unexpected = [...remaining.values()].flat();
  return missing.length === 0 && unexpected.length === 0 ? null : { missing, unexpected };
}
