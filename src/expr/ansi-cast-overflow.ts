import type { DataType, DecimalType } from "../types/data-types.ts";
import { doubleToDecimal, fitsPrecision, pow10, rescale, truncateDecimal } from "../columnar/decimal-values.ts";

/**
 * Where Spark's ANSI cast (TRY_CAST, store assignment) fails although the non-ANSI cast
 * gives a value: an integral target the value does not fit (NaN and infinities included,
 * which Java's (int) turns into 0 or saturates), seconds whose microseconds pass the long
 * range, and a string with a fraction into an integral type (UTF8String.toIntExact takes
 * no decimal point). Nested values are walked: one element that overflows fails the whole.
 */

const INTEGRAL_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n],
};

const INTEGRAL_RANK: Readonly<Record<string, number>> = { byte: 0, short: 1, int: 2, long: 3 };

const MICROS_PER_SECOND = 1_000_000;
const LONG_MAX_AS_DOUBLE = 9223372036854775807;

/**
 * The scalar that overflows inside `x` (cast from `from` to `to`): its value, types and path
 * below the top (a field's name, `element`, `key`, `value`, as Spark's TableOutputResolver
 * names nested columns); undefined when the whole value converts.
 */
export interface Overflow { readonly value: unknown; readonly from: DataType; readonly to: DataType; readonly path: readonly string[] }

export function findCastOverflow(x: unknown, from: DataType, to: DataType, path: readonly string[] = []): Overflow | undefined {
  if (x === null || x === undefined) return undefined;
  if (from.kind === "struct" && to.kind === "struct") {
    const row = x as Record<string, unknown>;
    for (let i = 0; i < to.fields.length && i < from.fields.length; i++) {
      const f = from.fields[i]!;
      const found = findCastOverflow(row[f.name] ?? null, f.dataType, to.fields[i]!.dataType, [...path, to.fields[i]!.name]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (from.kind === "array" && to.kind === "array") {
    for (const e of x as readonly unknown[]) {
      const found = findCastOverflow(e, from.elementType, to.elementType, [...path, "element"]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (from.kind === "map" && to.kind === "map") {
    for (const [k, v] of x as Map<unknown, unknown>) {
      const found = findCastOverflow(k, from.keyType, to.keyType, [...path, "key"]) ?? findCastOverflow(v, from.valueType, to.valueType, [...path, "value"]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return scalarFits(x, from, to) ? undefined : { value: x, from, to, path };
}

/** Whether a cast of `from` into `to` can fail under ANSI where the non-ANSI cast does not (so the check can be skipped). */
export function canOverflow(from: DataType, to: DataType): boolean {
  switch (to.kind) {
    case "byte": case "short": case "int": case "long": {
      const widening = INTEGRAL_RANK[from.kind] !== undefined && INTEGRAL_RANK[from.kind]! <= INTEGRAL_RANK[to.kind]!;
      return !widening && from.kind !== "boolean" && from.kind !== "date";
    }
    case "timestamp": return INTEGRAL_RANK[from.kind] !== undefined || from.kind === "double" || from.kind === "float";
    case "decimal": return from.kind !== "string" && from.kind !== "boolean" && !(from.kind === "decimal" && to.precision - to.scale >= from.precision - from.scale && to.scale >= from.scale);
    case "struct": return from.kind === "struct" && to.fields.some((f, i) => from.fields[i] !== undefined && canOverflow(from.fields[i]!.dataType, f.dataType));
    case "array": return from.kind === "array" && canOverflow(from.elementType, to.elementType);
    case "map": return from.kind === "map" && (canOverflow(from.keyType, to.keyType) || canOverflow(from.valueType, to.valueType));
    default: return false;
  }
}

function scalarFits(x: unknown, from: DataType, to: DataType): boolean {
  if (to.kind === "timestamp") return secondsFit(x, from);
  if (to.kind === "decimal") return decimalFits(x, from, to);
  const range = INTEGRAL_RANGE[to.kind];
  if (range === undefined) return true;
  switch (from.kind) {
    case "double": case "float": {
      const d = x as number;
      if (Number.isNaN(d)) return false;
      // DoubleExactNumeric.toLong compares as doubles: 2^63 itself passes and saturates.
      if (to.kind === "long") return Math.floor(d) <= LONG_MAX_AS_DOUBLE && Math.ceil(d) >= -LONG_MAX_AS_DOUBLE;
      return Number.isFinite(d) && inRange(BigInt(Math.trunc(d)), range);
    }
    case "decimal": return inRange(truncateDecimal(x as bigint, from.scale), range);
    case "byte": case "short": case "int": case "long": return inRange(BigInt(x as number | bigint), range);
    case "timestamp": return inRange(BigInt(Math.floor((x as number) / MICROS_PER_SECOND)), range);
    case "string": {
      const t = (x as string).trim();
      // The non-ANSI cast already nulls what does not parse; ANSI also refuses a fraction.
      return !/^[+-]?\d*\.\d*$/.test(t);
    }
    default: return true;
  }
}

/** Seconds (a number) as microseconds within the long range (Math.multiplyExact; a double's NaN or infinity fails). */
function secondsFit(x: unknown, from: DataType): boolean {
  switch (from.kind) {
    case "byte": case "short": case "int": case "long":
      return inRange(BigInt(x as number | bigint) * 1_000_000n, INTEGRAL_RANGE.long!);
    case "double": case "float": {
      const micros = (x as number) * MICROS_PER_SECOND;
      return Number.isFinite(micros) && Math.floor(micros) <= LONG_MAX_AS_DOUBLE && Math.ceil(micros) >= -LONG_MAX_AS_DOUBLE;
    }
    default: return true;
  }
}

/** The value rounded HALF_UP to the scale (as the cast does) within the precision. */
function decimalFits(x: unknown, from: DataType, to: DecimalType): boolean {
  let unscaled: bigint | null;
  switch (from.kind) {
    case "decimal": unscaled = rescale(x as bigint, from.scale, to.scale); break;
    case "double": case "float": unscaled = Number.isFinite(x) ? doubleToDecimal(x as number, to.scale) : null; break;
    case "byte": case "short": case "int": case "long": unscaled = BigInt(x as number | bigint) * pow10(to.scale); break;
    default: return true;
  }
  return unscaled !== null && fitsPrecision(unscaled, to.precision);
}

function inRange(v: bigint, range: readonly [bigint, bigint]): boolean {
  return v >= range[0] && v <= range[1];
}
