import { AnalysisError } from "../../common/errors.ts";
import { BooleanType, typeName } from "../../types/data-types.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { bigIntAt } from "../../columnar/long-values.ts";
import { compareStrings } from "../../columnar/string-order.ts";
import { castIfNeeded, comparisonType, typeOf } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { boolVec, commonCodes, mergeValid } from "../vec-ops.ts";
import { binaryKernel } from "./kernels.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** Orders two internal values of the same type (strings by code point, as Spark's UTF8String). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : 0;
  // Longs beyond ±2^53 are bigints; JS compares a bigint with a number exactly.
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    for (const k of ka) {
      const c = compareValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

type Op = "=" | "!=" | "<" | "<=" | ">" | ">=";
const TEST: Record<Op, (c: number) => boolean> = {
  "=": (c) => c === 0, "!=": (c) => c !== 0, "<": (c) => c < 0, "<=": (c) => c <= 0, ">": (c) => c > 0, ">=": (c) => c >= 0,
};
const JS_OP: Record<Op, string> = { "=": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
/**
 * Spark's NaN semantics for doubles and floats: NaN = NaN, and NaN is greater than every other
 * value. The JS comparison decides every row without a NaN; only when it says false (or true for
 * `!=`) does the NaN test (`x !== x`) run, so the common path costs nothing more.
 */
const NAN_AWARE_OP: Record<Op, string> = {
  "=": "a === b ? 1 : a !== a && b !== b ? 1 : 0",
  "!=": "a === b ? 0 : a !== a && b !== b ? 0 : 1",
  "<": "a < b ? 1 : b !== b && a === a ? 1 : 0",
  "<=": "a <= b ? 1 : b !== b ? 1 : 0",
  ">": "a > b ? 1 : a !== a && b === b ? 1 : 0",
  ">=": "a >= b ? 1 : a !== a ? 1 : 0",
};

function resolveOperands(symbol: string, args: readonly Expression[]): Expression[] {
  const [l, r] = [typeOf(args[0]!), typeOf(args[1]!)];
  const common = comparisonType(l, r);
  if (!common) {
    throw new AnalysisError(`cannot resolve '(${symbol})' due to data type mismatch: cannot compare ${typeName(l)} with ${typeName(r)}`);
  }
  return [castIfNeeded(args[0]!, common), castIfNeeded(args[1]!, common)];
}

export function compareVecs(a: Vec, b: Vec, op: Op, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (a.kind === "num" && b.kind === "num" && (a.exact !== undefined || b.exact !== undefined)) {
    // Longs beyond ±2^53: their doubles may tie, compare the exact values.
    const test = TEST[op];
    for (let i = 0; i < n; i++) { const x = bigIntAt(a, i), y = bigIntAt(b, i); out[i] = test(x < y ? -1 : x > y ? 1 : 0) ? 1 : 0; }
  } else if (a.kind === "num" && b.kind === "num") {
    const floating = a.type.kind === "double" || a.type.kind === "float" || b.type.kind === "double" || b.type.kind === "float";
    binaryKernel(floating ? NAN_AWARE_OP[op] : `a ${JS_OP[op]} b ? 1 : 0`)(a.values, b.values, out, n);
  } else if (a.kind === "bool" && b.kind === "bool") {
    binaryKernel(`a ${JS_OP[op]} b ? 1 : 0`)(a.values, b.values, out, n);
  } else if (a.kind === "str" && b.kind === "str" && (op === "=" || op === "!=")) {
    // Equality on dictionary codes: translate one side's codes into the other's dictionary once.
    const [codes, other] = commonCodes(a, b);
    const eq = op === "=";
    for (let i = 0; i < n; i++) out[i] = (codes[i] === other[i]) === eq ? 1 : 0;
  } else if (a.kind === "str" && b.kind === "str" && b.dict.length === 1 && a.dict.length <= n) {
    // Column against a constant: decide once per dictionary entry.
    const s = b.dict[0]!;
    const test = TEST[op];
    const table = Uint8Array.from(a.dict, (x) => (test(compareStrings(x, s)) ? 1 : 0));
    for (let i = 0; i < n; i++) out[i] = table[a.codes[i]!]!;
  } else {
    const test = TEST[op];
    for (let i = 0; i < n; i++) {
      const x = valueAt(a, i), y = valueAt(b, i);
      out[i] = x !== null && y !== null && test(compareValues(x, y)) ? 1 : 0;
    }
  }
  return out;
}

function comparison(name: string, op: Op, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    display: ([a, b]) => `(${a} ${op === "!=" ? "!=" : op} ${b})`,
    resolve: (args) => ({ args: resolveOperands(op, args), dataType: BooleanType }),
    evaluate([a, b], n) {
      return boolVec(BooleanType, compareVecs(a!, b!, op, n), mergeValid(n, a!, b!));
    },
  };
}

/** `<=>`: equality where null equals null and the result is never null. */
const eqNullSafe: ScalarFunction = {
  name: "eqnullsafe",
  nullIntolerant: false,
  display: ([a, b]) => `(${a} <=> ${b})`,
  resolve: (args) => ({ args: resolveOperands("<=>", args), dataType: BooleanType }),
  evaluate([a, b], n) {
    const eq = compareVecs(a!, b!, "=", n);
    for (let i = 0; i < n; i++) {
      const na = a!.valid !== null && a!.valid[i] === 0;
      const nb = b!.valid !== null && b!.valid[i] === 0;
      if (na || nb) eq[i] = na && nb ? 1 : 0;
    }
    return boolVec(BooleanType, eq, null);
  },
};

export const comparisonFunctions: ScalarFunction[] = [
  comparison("equalto", "=", ["="]),
  comparison("notequalto", "!=", ["!=", "<>"]),
  comparison("lessthan", "<", ["<"]),
  comparison("lessthanorequal", "<=", ["<="]),
  comparison("greaterthan", ">", [">"]),
  comparison("greaterthanorequal", ">=", [">="]),
  eqNullSafe,
];
