import { IntegerType, StringType, isNumeric } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * format_number(x, d | pattern), as Spark's FormatNumber over java.text.DecimalFormat
 * (Locale.US, HALF_EVEN, on the exact value of a double): with an integer d, x rounded to d
 * decimals with thousands separators ("#,###,###.00…"), null for d < 0; with a string, the
 * DecimalFormat pattern itself ('#,##0.00', '0.000'; '' is "#,###,###,###,###,###,##0").
 * A negative value keeps its sign when it rounds to zero (-0.5 → "-0"), as Java's.
 */

/** Rounds a non-negative decimal digit string "int.frac" half-even to `d` fraction digits. */
function roundDigits(intPart: string, frac: string, d: number): [string, string] {
  if (frac.length <= d) return [intPart, frac.padEnd(d, "0")];
  const kept = intPart + frac.slice(0, d);
  const rest = frac.slice(d);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const last = kept.length === 0 ? 0 : kept.charCodeAt(kept.length - 1) - 48;
  const up = first > 5 || (first === 5 && (tail || last % 2 === 1));
  let digits = up ? (BigInt(kept || "0") + 1n).toString().padStart(kept.length, "0") : kept;
  if (digits.length < d + 1) digits = digits.padStart(d + 1, "0");
  return [digits.slice(0, digits.length - d), digits.slice(digits.length - d)];
}

/** A DecimalFormat pattern's positive part: literal prefix and suffix, digit counts, grouping size. */
interface Pattern {
  readonly prefix: string;
  readonly suffix: string;
  readonly minInt: number;
  readonly minFrac: number;
  readonly maxFrac: number;
  /** 0: no grouping. */
  readonly grouping: number;
  readonly showPoint: boolean;
  readonly percent: boolean;
}

const DEFAULT_PATTERN = "#,###,###,###,###,###,##0";

function compile(text: string): Pattern {
  const positive = text.split(";")[0] ?? "";
  let i = 0;
  let prefix = "", suffix = "", percent = false;
  const literal = (): string | null => {
    const c = positive[i]!;
    if (c === "'") {
      const end = positive.indexOf("'", i + 1);
      const quoted = end < 0 ? positive.slice(i + 1) : positive.slice(i + 1, end);
      i = end < 0 ? positive.length : end + 1;
      return quoted === "" ? "'" : quoted;
    }
    if ("#0,.".includes(c)) return null;
    i++;
    if (c === "%") { percent = true; return "%"; }
    return c;
  };
  while (i < positive.length) {
    const l = literal();
    if (l === null) break;
    prefix += l;
  }
  let minInt = 0, minFrac = 0, maxFrac = 0, sinceComma = -1, grouping = 0, showPoint = false, inFraction = false;
  for (; i < positive.length && "#0,.".includes(positive[i]!); i++) {
    const c = positive[i]!;
    if (c === ".") { inFraction = true; showPoint = true; continue; }
    if (inFraction) {
      if (c === "0") { minFrac++; maxFrac++; } else if (c === "#") maxFrac++;
      continue;
    }
    if (c === ",") { sinceComma = 0; continue; }
    if (c === "0") minInt++;
    if (sinceComma >= 0) sinceComma++;
  }
  if (sinceComma > 0) grouping = sinceComma;
  while (i < positive.length) suffix += literal() ?? positive[i++]!;
  return { prefix, suffix, minInt, minFrac, maxFrac, grouping, showPoint: showPoint && minFrac > 0, percent };
}

const patterns = new Map<string, Pattern>();

function patternOf(text: string): Pattern {
  let p = patterns.get(text);
  if (p === undefined) {
    p = compile(text === "" ? DEFAULT_PATTERN : text);
    if (patterns.size > 256) patterns.clear();
    patterns.set(text, p);
  }
  return p;
}

/** The exact decimal digits of x, its sign, with at least `fraction` + 30 digits after the point for a double. */
function exactText(value: unknown, scale: number | null, fraction: number, times100: boolean): { neg: boolean; int: string; frac: string } | string {
  let text: string;
  let neg: boolean;
  if (typeof value === "bigint") {
    neg = value < 0n;
    const abs = (neg ? -value : value) * (times100 ? 100n : 1n);
    const s = scale ?? 0;
    const digits = abs.toString().padStart(s + 1, "0");
    text = s === 0 ? digits : `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
  } else {
    const x = (value as number) * (times100 ? 100 : 1);
    if (Number.isNaN(x)) return "NaN";
    neg = x < 0 || Object.is(x, -0);
    if (!Number.isFinite(x)) return neg ? "-∞" : "∞";
    const a = Math.abs(x);
    // toFixed is exact for doubles: enough digits past the kept ones to see a true tie.
    text = a < 1e21 ? a.toFixed(Math.min(100, fraction + 30)) : BigInt(a).toString();
  }
  const [int = "0", frac = ""] = text.split(".");
  return { neg, int, frac };
}

function group(digits: string, size: number): string {
  if (size <= 0) return digits;
  let out = "";
  for (let end = digits.length; end > 0; end -= size) out = digits.slice(Math.max(0, end - size), end) + (out === "" ? "" : "," + out);
  return out;
}

/** x formatted by a DecimalFormat pattern (Locale.US, HALF_EVEN). */
export function formatWithPattern(value: unknown, scale: number | null, patternText: string): string {
  const p = patternOf(patternText);
  const exact = exactText(value, scale, p.maxFrac, p.percent);
  if (typeof exact === "string") return exact;
  const [ri, rf] = roundDigits(exact.int, exact.frac, p.maxFrac);
  const frac = rf.replace(/0+$/, "").padEnd(p.minFrac, "0");
  let int = ri.replace(/^0+/, "");
  if (int.length < p.minInt) int = int.padStart(p.minInt, "0");
  if (int === "" && frac === "") int = "0";
  const body = group(int, p.grouping) + (frac !== "" || p.showPoint ? `.${frac}` : "");
  return `${exact.neg ? "-" : ""}${p.prefix}${body}${p.suffix}`;
}

/** format_number(x, d): "#,###,###.00…" with d zeros; null for d < 0. */
export function formatNumber(value: unknown, scale: number | null, d: number): string | null {
  if (d < 0) return null;
  return formatWithPattern(value, scale, d === 0 ? DEFAULT_PATTERN : `${DEFAULT_PATTERN}.${"0".repeat(d)}`);
}

export const formatNumberFunction: ScalarFunction = {
  name: "format_number",
  resolve(args) {
    checkArity("format_number", args, 2);
    const t = typeOf(args[0]!);
    if (!isNumeric(t) && t.kind !== "null") throw typeMismatch("format_number", args, 0, "numeric");
    // The second argument is the number of decimals, or (a string) a DecimalFormat pattern.
    const second = typeOf(args[1]!).kind === "string" ? args[1]! : coerceArg("format_number", args, 1, IntegerType);
    return { args: [args[0]!, second], dataType: StringType };
  },
  evaluate(vecs, n, _ctx, call) {
    const t = typeOf(call.args[0]!);
    const scale = t.kind === "decimal" ? t.scale : null;
    return mapRows(vecs, n, StringType, ([x, d]) => typeof d === "string" ? formatWithPattern(x, scale, d) : formatNumber(x, scale, d as number));
  },
};
