import { IntegerType, StringType, isNumeric } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * format_number(x, d): x rounded half-even to d decimals (java.text.DecimalFormat
 * "#,###,###.00…", on the exact value of a double) with thousands separators; null for d < 0.
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

const group = (s: string): string => s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export function formatNumber(value: unknown, scale: number | null, d: number): string | null {
  if (d < 0) return null;
  let text: string;
  if (typeof value === "bigint" && scale !== null) {
    const neg = value < 0n;
    const abs = (neg ? -value : value).toString().padStart(scale + 1, "0");
    text = `${neg ? "-" : ""}${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}`;
  } else if (typeof value === "bigint") text = value.toString();
  else {
    const x = value as number;
    if (Number.isNaN(x)) return "NaN";
    if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
    // toFixed is exact for doubles: enough digits past d to see a true tie.
    text = Math.abs(x) < 1e21 ? x.toFixed(Math.min(100, d + 30)) : BigInt(x).toString();
  }
  const neg = text.startsWith("-");
  const [i, f = ""] = (neg ? text.slice(1) : text).split(".");
  const [ri, rf] = roundDigits(i!, f, d);
  const body = group(ri.replace(/^0+(?=\d)/, "")) + (d > 0 ? `.${rf}` : "");
  return neg && /[1-9]/.test(ri + rf) ? `-${body}` : body;
}

export const formatNumberFunction: ScalarFunction = {
  name: "format_number",
  resolve(args) {
    checkArity("format_number", args, 2);
    const t = typeOf(args[0]!);
    if (!isNumeric(t) && t.kind !== "null") throw typeMismatch("format_number", args, 0, "numeric");
    return { args: [args[0]!, coerceArg("format_number", args, 1, IntegerType)], dataType: StringType };
  },
  evaluate(vecs, n, _ctx, call) {
    const t = typeOf(call.args[0]!);
    const scale = t.kind === "decimal" ? t.scale : null;
    return mapRows(vecs, n, StringType, ([x, d]) => formatNumber(x, scale, d as number));
  },
};
