import { AnalysisError } from "../common/errors.ts";

/**
 * Keys of pair streams are compared by value, as Spark compares keys with `equals`: the
 * pair `["a", 1]` and a later `["a", 2]` share the key `"a"`, and so do two distinct
 * arrays `[1, 2]`. A JS Map compares objects by identity, so every key goes through
 * `keyOf` first: strings and numbers are their own key (the common case costs nothing),
 * anything else becomes a stable string encoding marked by a leading NUL (so it cannot
 * meet an ordinary string key unless that string starts with NUL). The same encoding
 * keys the state stores, whose keys must be strings or numbers.
 */
export type KeyOf = string | number;

export function keyOf(key: unknown): KeyOf {
  if (typeof key === "string") return key;
  if (typeof key === "number") return key === 0 ? 0 : key; // -0 and 0 are one key
  return `\u0000${encode(key)}`;
}

function encode(value: unknown): string {
  switch (typeof value) {
    case "string": return JSON.stringify(value);
    case "number": return `n${Object.is(value, -0) ? 0 : value}`;
    case "bigint": return `i${value}`;
    case "boolean": return value ? "T" : "F";
    case "undefined": return "u";
    case "symbol":
    case "function":
      throw new AnalysisError(`a ${typeof value} cannot be a key of a pair DStream: keys are compared by value`);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(encode).join(",")}]`;
  if (value instanceof Date) return `D${value.getTime()}`;
  if (value instanceof Map) return `M{${[...value].map(([k, v]) => `${encode(k)}:${encode(v)}`).sort().join(",")}}`;
  if (value instanceof Set) return `S{${[...value].map(encode).sort().join(",")}}`;
  if (ArrayBuffer.isView(value)) return `B[${Array.from(value as unknown as ArrayLike<number>).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${encode(obj[k])}`).join(",")}}`;
}

/** The hash partition (0 … n-1) of a key (Spark's HashPartitioner), stable across runs. */
export function partitionOf(key: unknown, numPartitions: number): number {
  if (numPartitions <= 1) return 0;
  const k = keyOf(key);
  if (typeof k === "number" && Number.isSafeInteger(k)) return ((k % numPartitions) + numPartitions) % numPartitions;
  const text = typeof k === "number" ? String(k) : k;
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % numPartitions;
}
