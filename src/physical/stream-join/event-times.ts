import { valueAt, type Vec } from "../../columnar/vector.ts";
import { eventTimeMicros } from "../event-time-value.ts";

/**
 * The event time (µs) of each row of a timestamp or window column (a window's end), read
 * off the vector's arrays; +Infinity for a null (such a row is never evicted).
 */
export function eventTimes(v: Vec): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  const source = v.kind === "struct" && v.type.fields[1]?.name === "end" && v.children[1]!.kind === "num" ? v.children[1]! : v;
  if (source.kind === "num" && source.exact === undefined) {
    const values = source.values;
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    for (const valid of [v.valid, source.valid]) if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = Infinity;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = eventTimeMicros(valueAt(v, i)) ?? Infinity;
  return out;
}

/** Splits rows into those at or behind the watermark (late) and the others; null when none is late. */
export function lateRows(times: Vec, watermark: number): { late: Int32Array; onTime: Int32Array } | null {
  const t = eventTimes(times);
  let numLate = 0;
  for (let i = 0; i < t.length; i++) if (t[i]! <= watermark) numLate++;
  if (numLate === 0) return null;
  const late = new Int32Array(numLate);
  const onTime = new Int32Array(t.length - numLate);
  let a = 0, b = 0;
  for (let i = 0; i < t.length; i++) { if (t[i]! <= watermark) late[a++] = i; else onTime[b++] = i; }
  return { late, onTime };
}
