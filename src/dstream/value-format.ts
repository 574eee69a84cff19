/**
 * How `print()` and `saveAsTextFiles` write a value: pairs as Spark prints tuples,
 * `(#spark,3)`; other arrays as lists; objects as JSON; strings as they are.
 */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    return value.length === 2 ? `(${formatValue(value[0])},${formatValue(value[1])})` : `[${value.map(formatValue).join(", ")}]`;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return `Map(${[...value].map(([k, v]) => `${formatValue(k)} -> ${formatValue(v)}`).join(", ")})`;
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    } catch {
      return String(value);
    }
  }
  return String(value);
}
