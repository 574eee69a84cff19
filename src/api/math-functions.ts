import { Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/** Spark's `functions` for math, bitwise and string extras (re-exported by functions.ts). */

const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const unary = (name: string) => (c: ColOrName): Column => fn(name, colExpr(c));
const lit = (v: unknown): Expression => Literal.create(v, null);

export const sin = unary("sin"), cos = unary("cos"), tan = unary("tan"), asin = unary("asin"), acos = unary("acos"), atan = unary("atan");
export const sinh = unary("sinh"), cosh = unary("cosh"), tanh = unary("tanh"), asinh = unary("asinh"), acosh = unary("acosh"), atanh = unary("atanh");
export const cot = unary("cot"), sec = unary("sec"), csc = unary("csc"), degrees = unary("degrees"), radians = unary("radians");
export const cbrt = unary("cbrt"), expm1 = unary("expm1"), log1p = unary("log1p"), log2 = unary("log2"), log10 = unary("log10"), ln = unary("ln");
export const signum = unary("signum"), sign = unary("sign"), rint = unary("rint"), factorial = unary("factorial"), isnan = unary("isnan");
export const positive = unary("positive"), bin = unary("bin"), bit_count = unary("bit_count"), exp = unary("exp");
export const ascii = unary("ascii"), bit_length = unary("bit_length"), octet_length = unary("octet_length"), url_encode = unary("url_encode"), url_decode = unary("url_decode");
export const toDegrees = degrees, toRadians = radians;

export function pi(): Column { return fn("pi"); }
export function e(): Column { return fn("e"); }
export function current_database(): Column { return fn("current_database"); }
export function current_catalog(): Column { return fn("current_catalog"); }
export function current_schema(): Column { return fn("current_schema"); }
export function current_user(): Column { return fn("current_user"); }
export function user(): Column { return fn("user"); }
export function version(): Column { return fn("version"); }

/** log(x) natural, or log(base, x) as Spark's `log(base: Double, col)`. */
export function log(baseOrCol: number | ColOrName, c?: ColOrName): Column {
  return c === undefined ? fn("ln", colExpr(baseOrCol as ColOrName)) : fn("log", lit(baseOrCol), colExpr(c));
}
export function pow(l: ColOrName | number, r: ColOrName | number): Column {
  return fn("power", typeof l === "number" ? lit(l) : colExpr(l), typeof r === "number" ? lit(r) : colExpr(r));
}
export const power = pow;
export function atan2(y: ColOrName | number, x: ColOrName | number): Column {
  return fn("atan2", typeof y === "number" ? lit(y) : colExpr(y), typeof x === "number" ? lit(x) : colExpr(x));
}
export function hypot(a: ColOrName | number, b: ColOrName | number): Column {
  return fn("hypot", typeof a === "number" ? lit(a) : colExpr(a), typeof b === "number" ? lit(b) : colExpr(b));
}
export function pmod(dividend: ColOrName, divisor: ColumnLike): Column { return fn("pmod", colExpr(dividend), toExpr(divisor)); }
export function nanvl(a: ColOrName, b: ColOrName): Column { return fn("nanvl", colExpr(a), colExpr(b)); }
export function width_bucket(v: ColOrName, min: ColumnLike, max: ColumnLike, n: ColumnLike): Column {
  return fn("width_bucket", colExpr(v), toExpr(min), toExpr(max), toExpr(n));
}
export function shiftleft(c: ColOrName, numBits: number): Column { return fn("shiftleft", colExpr(c), lit(numBits)); }
export function shiftright(c: ColOrName, numBits: number): Column { return fn("shiftright", colExpr(c), lit(numBits)); }
export function shiftrightunsigned(c: ColOrName, numBits: number): Column { return fn("shiftrightunsigned", colExpr(c), lit(numBits)); }
export const shiftLeft = shiftleft, shiftRight = shiftright, shiftRightUnsigned = shiftrightunsigned;
export function bit_get(c: ColOrName, pos: ColumnLike): Column { return fn("bit_get", colExpr(c), toExpr(pos)); }
export const getbit = bit_get;
export function conv(c: ColOrName, fromBase: number, toBase: number): Column { return fn("conv", colExpr(c), lit(fromBase), lit(toBase)); }

// String extras
export function chr(c: ColOrName): Column { return fn("chr", colExpr(c)); }
export function space(c: ColumnLike): Column { return fn("space", toExpr(c)); }
export function substring_index(c: ColOrName, delim: string, count: number): Column { return fn("substring_index", colExpr(c), lit(delim), lit(count)); }
export function format_number(c: ColOrName, d: number): Column { return fn("format_number", colExpr(c), lit(d)); }
export function months_between(end: ColOrName, start: ColOrName, roundOff?: boolean): Column {
  return fn("months_between", colExpr(end), colExpr(start), ...(roundOff === undefined ? [] : [lit(roundOff)]));
}
export function parse_url(url: ColOrName, part: ColumnLike, key?: ColumnLike): Column {
  return fn("parse_url", colExpr(url), toExpr(part), ...(key === undefined ? [] : [toExpr(key)]));
}
export function regexp_count(c: ColOrName, regexp: ColumnLike): Column { return fn("regexp_count", colExpr(c), toExpr(regexp)); }
export function regexp_substr(c: ColOrName, regexp: ColumnLike): Column { return fn("regexp_substr", colExpr(c), toExpr(regexp)); }
export function regexp_extract_all(c: ColOrName, regexp: ColumnLike, idx?: ColumnLike): Column {
  return fn("regexp_extract_all", colExpr(c), toExpr(regexp), ...(idx === undefined ? [] : [toExpr(idx)]));
}
export function regexp_instr(c: ColOrName, regexp: ColumnLike, idx?: ColumnLike): Column {
  return fn("regexp_instr", colExpr(c), toExpr(regexp), ...(idx === undefined ? [] : [toExpr(idx)]));
}
export function str_to_map(text: ColOrName, pairDelim?: ColumnLike, keyValueDelim?: ColumnLike): Column {
  return fn("str_to_map", colExpr(text), ...(pairDelim === undefined ? [] : [toExpr(pairDelim)]), ...(keyValueDelim === undefined ? [] : [toExpr(keyValueDelim)]));
}
export function try_to_timestamp(c: ColOrName, format?: ColumnLike): Column {
  return fn("try_to_timestamp", colExpr(c), ...(format === undefined ? [] : [toExpr(format)]));
}
