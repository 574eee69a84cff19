import { divideHalfUp } from "../../columnar/decimal-values.ts";
import { decimalToDouble } from "../../columnar/decimal-values.ts";
import { ExecutionError } from "../../common/errors.ts";
import type { DataType } from "../../types/data-types.ts";
import { valueToString } from "../cast.ts";

/**
 * java.util.Formatter's `%[index$][flags][width][.precision]conversion`, as format_string
 * and printf use it: s S b B c C d o x X e E f g G h H % n. Arguments are internal values
 * with their SQL types; a conversion that does not fit its argument fails as Java's does.
 */

const SPEC = /%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;

export interface FormatArg {
  readonly value: unknown;
  readonly type: DataType;
}

function isIntegral(a: FormatArg): boolean {
  return a.type.kind === "int" || a.type.kind === "long";
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function pad(s: string, width: number, flags: string, numeric: boolean): string {
  if (s.length >= width) return s;
  if (flags.includes("-")) return s + " ".repeat(width - s.length);
  if (numeric && flags.includes("0")) {
    const sign = /^[-+ (]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(width - s.length) + s.slice(sign.length);
  }
  return " ".repeat(width - s.length) + s;
}

/** Sign handling shared by d, e, f: '+', ' ', '(' flags. */
function signed(negative: boolean, body: string, flags: string): string {
  if (negative) return flags.includes("(") ? `(${body})` : `-${body}`;
  if (flags.includes("+")) return `+${body}`;
  if (flags.includes(" ")) return ` ${body}`;
  return body;
}

/**
 * A finite x ≥ 0 as its shortest decimal digits and exponent (x = 0.d1d2… × 10^(exp + 1)), what
 * java.util.Formatter rounds (FormattedFloatingDecimal): HALF_UP on that text, not on the binary value.
 */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [m, e] = x.toExponential().split("e") as [string, string];
  return { digits: m.replace(".", ""), exp: Number(e) };
}

/** %.pf: x ≥ 0 with p decimals, rounded HALF_UP on its shortest decimal text (1.005 → 1.01). */
function javaFixed(x: number, p: number): string {
  const { digits, exp } = shortestDigits(x);
  const scale = digits.length - 1 - exp; // x = digits × 10^-scale
  let unscaled = BigInt(digits);
  if (scale > p) unscaled = divideHalfUp(unscaled, 10n ** BigInt(scale - p));
  else unscaled *= 10n ** BigInt(p - scale);
  const text = unscaled.toString().padStart(p + 1, "0");
  return p === 0 ? text : `${text.slice(0, -p)}.${text.slice(-p)}`;
}

/** Java's %e mantissa/exponent: at least two exponent digits; HALF_UP on the shortest digits. */
function javaExponential(x: number, precision: number, upper: boolean): string {
  let { digits, exp } = shortestDigits(x);
  if (digits.length > precision + 1) {
    digits = divideHalfUp(BigInt(digits), 10n ** BigInt(digits.length - precision - 1)).toString();
    if (digits.length > precision + 1) { digits = digits.slice(0, precision + 1); exp++; } // 9.96 → 10.0
  } else digits = digits.padEnd(precision + 1, "0");
  const m = precision === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const s = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return upper ? s.toUpperCase() : s;
}

function twosComplement(v: unknown, type: DataType, radix: 8 | 16): string {
  const b = BigInt(v as number | bigint);
  const bits = type.kind === "int" ? 32 : 64;
  return BigInt.asUintN(bits, b).toString(radix);
}

function convert(conv: string, flags: string, precision: number | undefined, arg: FormatArg | undefined, spec: string): [string, boolean] {
  const lower = conv.toLowerCase();
  const upper = conv !== lower;
  if (arg === undefined) throw new ExecutionError(`format_string: missing argument for format specifier '${spec}' (java.util.MissingFormatArgumentException)`);
  const { value, type } = arg;
  const mismatch = (): ExecutionError => new ExecutionError(`format_string: ${conv} != ${type.kind === "string" ? "java.lang.String" : type.kind} (java.util.IllegalFormatConversionException)`);
  switch (lower) {
    case "s": {
      let s = value === null ? "null" : valueToString(value, type);
      if (precision !== undefined) s = s.slice(0, precision);
      return [upper ? s.toUpperCase() : s, false];
    }
    case "b": {
      let s = value === null ? "false" : type.kind === "boolean" ? String(value) : "true";
      if (precision !== undefined) s = s.slice(0, precision);
      return [upper ? s.toUpperCase() : s, false];
    }
    case "c": {
      if (value === null) return ["null", false];
      const s = isIntegral(arg) ? String.fromCodePoint(Number(value)) : type.kind === "string" && Array.from(value as string).length === 1 ? (value as string) : null;
      if (s === null) throw mismatch();
      return [upper ? s.toUpperCase() : s, false];
    }
    case "d": {
      if (value === null) return ["null", false];
      if (!isIntegral(arg)) throw mismatch();
      const b = BigInt(value as number | bigint);
      let digits = (b < 0n ? -b : b).toString();
      if (flags.includes(",")) digits = groupThousands(digits);
      return [signed(b < 0n, digits, flags), true];
    }
    case "o": case "x": {
      if (value === null) return ["null", false];
      if (!isIntegral(arg)) throw mismatch();
      let s = twosComplement(value, type, lower === "x" ? 16 : 8);
      if (flags.includes("#")) s = (lower === "x" ? "0x" : "0") + s;
      return [upper ? s.toUpperCase() : s, true];
    }
    case "e": case "f": case "g": {
      if (value === null) return ["null", false];
      if (type.kind !== "double" && type.kind !== "float" && type.kind !== "decimal") throw mismatch();
      // A decimal holds its unscaled digits.
      const x = type.kind === "decimal" ? decimalToDouble(value as bigint, type.scale) : Number(value);
      if (!Number.isFinite(x)) return [Number.isNaN(x) ? "NaN" : signed(x < 0, "Infinity", flags), false];
      const p = precision ?? 6;
      const abs = Math.abs(x);
      let body: string;
      if (lower === "f") {
        body = javaFixed(abs, p);
        if (flags.includes(",")) { const [i, f] = body.split("."); body = groupThousands(i!) + (f === undefined ? "" : `.${f}`); }
      } else if (lower === "e") body = javaExponential(abs, p, upper);
      else {
        const prec = p === 0 ? 1 : p;
        body = abs !== 0 && (abs < 1e-4 || abs >= 10 ** prec) ? javaExponential(abs, prec - 1, upper) : javaFixed(abs, Math.max(0, prec - 1 - (abs === 0 ? 0 : Math.floor(Math.log10(abs)))));
      }
      return [signed(x < 0 || Object.is(x, -0), body, flags), true];
    }
    case "h": {
      const s = value === null ? "null" : Math.abs(Number(value) | 0).toString(16);
      return [upper ? s.toUpperCase() : s, false];
    }
    default:
      throw new ExecutionError(`format_string: unknown format conversion '${conv}' in '${spec}' (java.util.UnknownFormatConversionException)`);
  }
}

export function javaFormat(format: string, args: readonly FormatArg[]): string {
  let ordinary = 0;
  let last = -1;
  return format.replace(SPEC, (spec, index: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
    if (conv === "%") return pad("%", width === undefined ? 0 : Number(width), flags, false);
    if (conv === "n") return "\n";
    let k: number;
    if (flags.includes("<")) k = last;
    else if (index !== undefined) k = Number(index.slice(0, -1)) - 1;
    else k = ordinary++;
    last = k;
    const [s, numeric] = convert(conv, flags, precision === undefined ? undefined : Number(precision.slice(1)), args[k], spec);
    return pad(s, width === undefined ? 0 : Number(width), flags, numeric);
  });
}
