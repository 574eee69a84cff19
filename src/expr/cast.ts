import { AnalysisError } from "../common/errors.ts";
import type { DataType } from "../types/data-types.ts";
import { ddlTypeName, sameType } from "../types/data-types.ts";
import { formatDecimal } from "../columnar/decimal-values.ts";
import { formatFloat } from "../columnar/show-string.ts";
import { castNumericVec } from "./numeric-cast.ts";
import { VecBuilder } from "../columnar/vec-builder.ts";
import { valueAt, type NumVec, type Vec } from "../columnar/vector.ts";
import { formatDate, formatTimestamp, parseDateDays, parseTimestampMicros } from "../columnar/temporal.ts";
import { LONG_MAX, LONG_MIN, bigIntAt, hasUnsafe, longVecFromBigInts, longVecFromDoubles, parseLong } from "../columnar/long-values.ts";
import { mapStrings, numVec } from "./vec-ops.ts";
import { canCastTemporal, castTemporalVec } from "./cast-temporal.ts";
import { formatCell } from "../columnar/show-string.ts";
import { zoneOf, type EvalContext } from "./eval-context.ts";

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;

/** Whether Spark (non-ANSI) allows `CAST(from AS to)`. */
export function canCast(from: DataType, to: DataType): boolean {
  const temporal = canCastTemporal(from, to);
  if (temporal !== undefined) return temporal;
  if (from.kind === to.kind && from.kind !== "struct" && from.kind !== "array" && from.kind !== "map") return true;
  if (from.kind === "null" || to.kind === "string") return true;
  const scalar = ["string", "boolean", "byte", "short", "int", "long", "float", "double", "decimal", "timestamp", "date"];
  const numericOrBool = ["boolean", "byte", "short", "int", "long", "float", "double", "decimal"];
  if (scalar.includes(from.kind) && scalar.includes(to.kind)) {
    if (from.kind === "date" && numericOrBool.includes(to.kind)) return false;
    if (to.kind === "date" && numericOrBool.includes(from.kind)) return false;
    return true;
  }
  if (from.kind === "string" && to.kind === "binary") return true;
  if (from.kind === "struct" && to.kind === "struct") {
    return from.fields.length === to.fields.length && from.fields.every((f, i) => canCast(f.dataType, to.fields[i]!.dataType));
  }
  if (from.kind === "array" && to.kind === "array") return canCast(from.elementType, to.elementType);
  if (from.kind === "map" && to.kind === "map") return canCast(from.keyType, to.keyType) && canCast(from.valueType, to.valueType);
  return false;
}

/** Spark's Cast.checkInputDataTypes failure: `where` is the SQL position suffix ("; line 1 pos 7"), or "". */
export function checkCast(from: DataType, to: DataType, what: string, where = ""): void {
  if (!canCast(from, to)) {
    const sqlType = (t: DataType): string => ddlTypeName(t);
    throw new AnalysisError(`[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve "CAST(${what} AS ${sqlType(to)})" due to data type mismatch: cannot cast "${sqlType(from)}" to "${sqlType(to)}".${where}`);
  }
}

/** Spark's rendering of a value cast to string. */
export function valueToString(v: unknown, type: DataType, ctx?: EvalContext): string {
  switch (type.kind) {
    case "timestamp": return formatTimestamp(v as number, ctx === undefined ? undefined : zoneOf(ctx));
    case "date": return formatDate(v as number);
    case "timestamp_ntz": return formatTimestamp(v as number);
    case "interval_dt": case "interval_ym": case "interval": return formatCell(v, type);
    case "double": return formatDouble(v as number);
    case "float": return formatFloat(v as number);
    case "decimal": return formatDecimal(v as bigint, type.scale);
    case "boolean": return v ? "true" : "false";
    case "binary": return new TextDecoder().decode(v as Uint8Array);
    case "struct": return `{${type.fields.map((f) => { const x = (v as Record<string, unknown>)[f.name]; return x === null || x === undefined ? "null" : valueToString(x, f.dataType, ctx); }).join(", ")}}`;
    case "array": return `[${(v as unknown[]).map((x) => (x === null ? "null" : valueToString(x, type.elementType, ctx))).join(", ")}]`;
    case "map": return `{${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${valueToString(k, type.keyType, ctx)} -> ${x === null ? "null" : valueToString(x, type.valueType, ctx)}`).join(", ")}}`;
    default: return String(v);
  }
}

/** Java's Double.toString as Spark prints doubles: 1.0, 0.001, 1.0E10, NaN, Infinity. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes(".") || s.includes("e") ? s : `${s}.0`;
  }
  const [mantissa, exp] = d.toExponential().split("e") as [string, string];
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

function stringToBoolean(s: string): boolean | null {
  const t = s.trim().toLowerCase();
  if (["t", "true", "y", "yes", "1"].includes(t)) return true;
  if (["f", "false", "n", "no", "0"].includes(t)) return false;
  return null;
}

function stringToDouble(s: string): number | null {
  const t = s.trim();
  if (t === "" || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(NaN|Infinity)$/.test(t)) return null;
  return Number(t);
}

/** UTF8String.toInt: `[+-]digits[.digits]` (the fraction dropped) within the int range; no exponent. */
function stringToInt(s: string): number | null {
  const v = parseLong(s);
  return typeof v === "number" && v >= -2147483648 && v <= 2147483647 ? v : null;
}

/** Casts a whole vector (non-ANSI: values that do not convert become null). */
export function castVec(v: Vec, to: DataType, ctx: EvalContext): Vec {
  const from = v.type;
  // The same representation: nothing to convert. Nested types convert element by element
  // unless they are the same type (an ARRAY<DECIMAL(3,2)> is not an ARRAY<INT>'s values).
  const nested = from.kind === "struct" || from.kind === "array" || from.kind === "map";
  if (from.kind === to.kind && (nested || from.kind === "decimal" ? sameType(from, to) : from.kind !== "interval_dt" && from.kind !== "interval_ym")) return v;
  const temporal = castTemporalVec(v, to, ctx);
  if (temporal !== undefined) return temporal;
  const n = v.length;
  const numeric = castNumericVec(v, to);
  if (numeric !== null) return numeric;
  if (v.kind === "str") {
    switch (to.kind) {
      case "long": return mapStrings(v, to, parseLong);
      case "int": return mapStrings(v, to, stringToInt);
      case "double": return mapStrings(v, to, stringToDouble);
      case "boolean": return mapStrings(v, to, stringToBoolean);
      case "timestamp": return mapStrings(v, to, (s) => parseTimestampMicros(s, zoneOf(ctx)));
      case "date": return mapStrings(v, to, parseDateDays);
      case "binary": return mapStrings(v, to, (s) => new TextEncoder().encode(s));
      default: break;
    }
  }
  if (v.kind === "num") {
    const src = v.values;
    const numeric = (f: (x: number) => number, type: DataType, int32 = false): Vec => {
      const out = int32 ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(src[i]!);
      return numVec(type, out, v.valid);
    };
    // A float narrows as a double does (its value is a double already).
    const fromKind = from.kind === "float" ? "double" : from.kind;
    if (v.exact !== undefined && to.kind === "int") {
      // Java's (int) of a long keeps its low 32 bits.
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(32, v.exact[i]!));
      return numVec(to, out, v.valid);
    }
    switch (to.kind) {
      case "int":
        if (fromKind === "timestamp") return numeric((x) => Math.floor(x / MICROS_PER_SECOND) | 0, to, true);
        // A double saturates at the int range (Scala's toInt); a long wraps (Java's (int) cast).
        if (fromKind === "double") return numeric((x) => (Number.isNaN(x) ? 0 : Math.max(-2147483648, Math.min(2147483647, Math.trunc(x)))), to, true);
        return numeric((x) => Math.trunc(x) | 0, to, true);
      case "long":
        if (fromKind === "timestamp") return numeric((x) => Math.floor(x / MICROS_PER_SECOND), to);
        if (fromKind === "double") return longVecFromDoubles(to, Float64Array.from(src), v.valid);
        return numeric((x) => x, to);
      case "double":
        if (fromKind === "timestamp") return numeric((x) => x / MICROS_PER_SECOND, to);
        return numeric((x) => x, to);
      case "timestamp":
        // Spark: numbers are seconds since the epoch; dates are midnight of that day in the session time zone.
        if (fromKind === "date") return numeric((x) => zoneOf(ctx).toUtc(x * MICROS_PER_DAY), to);
        // Seconds × 10^6, saturating at the long range as Spark's SECONDS.toMicros and (long) of a double;
        // exact (a BigInt64Array beside the doubles) where the µs pass 2^53.
        if (fromKind === "long") return secondsToMicros(v, to);
        return longVecFromDoubles(to, Float64Array.from(src, (x) => x * MICROS_PER_SECOND), v.valid);
      case "date":
        if (fromKind === "timestamp") return numeric((x) => Math.floor((x + Math.round(zoneOf(ctx).offsetMinutesAt(x) * 60_000_000)) / MICROS_PER_DAY), to, true);
        break;
      case "boolean": {
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
        return { kind: "bool", type: to, length: n, values: out, valid: v.valid };
      }
      default: break;
    }
  }
  if (v.kind === "bool" && (to.kind === "int" || to.kind === "long" || to.kind === "double" || to.kind === "timestamp")) {
    const out = to.kind === "int" ? new Int32Array(n) : new Float64Array(n);
    const scale = to.kind === "timestamp" ? MICROS_PER_SECOND : 1;
    for (let i = 0; i < n; i++) out[i] = v.values[i]! * scale;
    return numVec(to, out, v.valid);
  }
  // General path: to string, nested types.
  const b = new VecBuilder(to, n);
  for (let i = 0; i < n; i++) {
    const x = valueAt(v, i);
    if (x === null) b.appendNull();
    else if (to.kind === "string") b.append(valueToString(x, from, ctx));
    else b.append(castValue(x, from, to, ctx));
  }
  return b.finish();
}

/** Casts one internal value (used for literals and nested values). */
export function castValue(x: unknown, from: DataType, to: DataType, ctx: EvalContext): unknown {
  if (x === null) return null;
  if (to.kind === "string") return valueToString(x, from, ctx);
  if (from.kind === "struct" && to.kind === "struct") {
    const out: Record<string, unknown> = {};
    to.fields.forEach((f, i) => {
      const src = from.fields[i]!;
      out[f.name] = castValue((x as Record<string, unknown>)[src.name] ?? null, src.dataType, f.dataType, ctx);
    });
    return out;
  }
  if (from.kind === "array" && to.kind === "array") return (x as unknown[]).map((e) => castValue(e, from.elementType, to.elementType, ctx));
  if (from.kind === "map" && to.kind === "map") {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of x as Map<unknown, unknown>) out.set(castValue(k, from.keyType, to.keyType, ctx), castValue(v, from.valueType, to.valueType, ctx));
    return out;
  }
  const b = new VecBuilder(from, 1);
  b.append(x);
  return valueAt(castVec(b.finish(), to, ctx), 0);
}

/** A long count of seconds as µs, exact, saturating at the long range (Java's TimeUnit.SECONDS.toMicros). */
function secondsToMicros(v: NumVec, to: DataType): NumVec {
  const n = v.length;
  if (v.exact === undefined && !hasUnsafe(Float64Array.from(v.values, (x) => x * MICROS_PER_SECOND), n)) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = v.values[i]! * MICROS_PER_SECOND;
    return { kind: "num", type: to, length: n, values: out, valid: v.valid };
  }
  const exact = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const m = bigIntAt(v, i) * 1_000_000n;
    exact[i] = m > LONG_MAX ? LONG_MAX : m < LONG_MIN ? LONG_MIN : m;
  }
  return longVecFromBigInts(to, exact, v.valid);
}
