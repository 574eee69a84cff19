import { pow10 } from "../../columnar/decimal-values.ts";

/**
 * Spark's number format strings (to_number, try_to_number, to_char): `0`/`9` digits, `.`/`D`
 * the decimal point, `,`/`G` a thousands separator, `$`, `S` (+ or −), `MI` (− or a space) and
 * `PR` (negatives in angle brackets). A format is read once into tokens; consecutive digits
 * and separators form one digit group. The result of parsing is a DECIMAL whose precision is
 * the number of digits in the format and whose scale is the number after the point.
 */

type Digits = { readonly kind: "digits"; readonly count: number; readonly exact: boolean };
type FormatToken =
  | { readonly kind: "group"; readonly parts: readonly (Digits | { readonly kind: "sep" })[] }
  | { readonly kind: "point" } | { readonly kind: "dollar" } | { readonly kind: "sign" } | { readonly kind: "minus" }
  | { readonly kind: "open" } | { readonly kind: "close" } | { readonly kind: "invalid"; readonly char: string };

/** A format string that breaks Spark's rules: the INVALID_FORMAT subclass and its sentence. */
export class InvalidNumberFormat extends Error {
  constructor(readonly subclass: string, readonly detail: string, readonly format: string) {
    super(`[INVALID_FORMAT.${subclass}] The format is invalid: '${format}'. ${detail}`);
  }
}

function tokenName(t: FormatToken): string {
  switch (t.kind) {
    case "group": return "digit sequence";
    case "point": return ". or D";
    case "dollar": return "$";
    case "sign": return "S";
    case "minus": return "MI";
    case "open": case "close": return "PR";
    case "invalid": return `character '${t.char}''`;
  }
}

function tokenize(format: string): FormatToken[] {
  const flat: (FormatToken | Digits | { kind: "sep" })[] = [];
  let pointSeen = false;
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c === "0" || c === "9") {
      const start = i;
      do i++; while (i < format.length && (format[i] === "0" || format[i] === "9"));
      // A run that starts with 0 before the point must be matched digit for digit.
      flat.push({ kind: "digits", count: i - start, exact: c === "0" && !pointSeen });
      continue;
    }
    const two = format.slice(i, i + 2);
    if (c === "." || c === "D") { flat.push({ kind: "point" }); pointSeen = true; }
    else if (c === "," || c === "G") flat.push({ kind: "sep" });
    else if (c === "$") flat.push({ kind: "dollar" });
    else if (c === "S") flat.push({ kind: "sign" });
    else if (two === "MI") { flat.push({ kind: "minus" }); i++; }
    else if (two === "PR") { flat.unshift({ kind: "open" }); flat.push({ kind: "close" }); i++; }
    else flat.push({ kind: "invalid", char: c });
    i++;
  }
  const tokens: FormatToken[] = [];
  let group: (Digits | { kind: "sep" })[] = [];
  for (const t of flat) {
    if (t.kind === "digits" || t.kind === "sep") { group.push(t); continue; }
    if (group.length > 0) { tokens.push({ kind: "group", parts: group }); group = []; }
    tokens.push(t);
  }
  if (group.length > 0) tokens.push({ kind: "group", parts: group });
  return tokens;
}

const digitCount = (t: FormatToken): number =>
  t.kind === "group" ? t.parts.reduce((s, p) => s + (p.kind === "digits" ? p.count : 0), 0) : 0;

// The order a format's tokens must follow: [PR] [MI|S] [$] digits [.] digits [$] [PR|MI|S].
const ORDER: readonly (readonly FormatToken["kind"][])[] = [["open"], ["minus", "sign"], ["dollar"], ["group"], ["point"], ["group"], ["dollar"], ["minus", "sign", "close"]];

/** A checked number format, ready to parse strings into decimals and format decimals as strings. */
export class NumberFormat {
  readonly precision: number;
  readonly scale: number;
  private readonly tokens: readonly FormatToken[];

  /** Throws InvalidNumberFormat with Spark's subclass when `format` breaks a rule. */
  constructor(readonly pattern: string) {
    this.tokens = tokenize(pattern);
    this.precision = this.tokens.reduce((s, t) => s + digitCount(t), 0);
    const point = this.tokens.findIndex((t) => t.kind === "point");
    this.scale = point < 0 ? 0 : this.tokens.slice(point).reduce((s, t) => s + digitCount(t), 0);
    this.check(point);
  }

  private fail(subclass: string, detail: string): never {
    throw new InvalidNumberFormat(subclass, detail, this.pattern);
  }

  private check(point: number): void {
    const t = this.tokens;
    if (this.pattern === "") this.fail("EMPTY", "The number format string cannot be empty.");
    if (!t.some((x) => x.kind === "group")) this.fail("WRONG_NUM_DIGIT", "The format string requires at least one number digit.");
    const dollar = t.findIndex((x) => x.kind === "dollar");
    if (t.findIndex((x) => x.kind === "group") < dollar) this.fail("CUR_MUST_BEFORE_DIGIT", "Currency characters must appear before digits in the number format.");
    if (point >= 0 && point < dollar) this.fail("CUR_MUST_BEFORE_DEC", "Currency characters must appear before any decimal point in the number format.");
    t.forEach((x, i) => {
      if (x.kind !== "group") return;
      const afterPoint = point >= 0 && i > point;
      x.parts.forEach((p, j) => {
        if (p.kind !== "sep") return;
        if (afterPoint) this.fail("THOUSANDS_SEPS_MUST_BEFORE_DEC", "Thousands separators (, or G) may not appear after the decimal point in the number format.");
        if (j === 0 || j === x.parts.length - 1 || x.parts[j - 1]!.kind === "sep" || x.parts[j + 1]!.kind === "sep") {
          this.fail("CONT_THOUSANDS_SEPS", "Thousands separators (, or G) must have digits in between them in the number format.");
        }
      });
    });
    for (const kind of ["point", "sign", "minus", "dollar", "close"] as const) {
      const found = t.filter((x) => x.kind === kind);
      if (found.length > 1) this.fail("WRONG_NUM_TOKEN", `At most one ${tokenName(found[0]!)} is allowed in the number format.`);
    }
    let k = 0;
    for (const allowed of ORDER) if (k < t.length && allowed.includes(t[k]!.kind)) k++;
    if (k < t.length) {
      this.fail("UNEXPECTED_TOKEN", `Found the unexpected ${tokenName(t[k]!)} in the format string; the structure of the format string must match: ` +
        "`[MI|S]` `[$]` `[0|9|G|,]*` `[.|D]` `[0|9]*` `[$]` `[PR|MI|S]`.");
    }
  }

  /** The unscaled value (at this format's scale) the string spells, or null when it does not match. */
  parse(input: string): bigint | null {
    let before = "", after = "";
    let atPoint = false, opened = false, closed = false, negative = false;
    let i = 0;
    for (const token of this.tokens) {
      const c = i < input.length ? input[i] : undefined;
      switch (token.kind) {
        case "group": {
          const sizes: number[] = [];
          let current = 0;
          while (i < input.length) {
            const ch = input[i]!;
            if (/\s/.test(ch)) { i++; continue; }
            if (ch >= "0" && ch <= "9") { current++; if (atPoint) after += ch; else before += ch; i++; continue; }
            if (ch === ",") { sizes.push(current); current = 0; i++; continue; }
            break;
          }
          sizes.push(current);
          // Compare group sizes from the right, so leading optional groups may be absent.
          const expected = token.parts.filter((p): p is Digits => p.kind === "digits").reverse();
          sizes.reverse();
          if (sizes.length > expected.length) return null;
          for (let g = 0; g < expected.length; g++) {
            const actual = sizes[g] ?? 0;
            if (expected[g]!.exact ? actual !== expected[g]!.count : actual > expected[g]!.count) return null;
          }
          break;
        }
        case "point": if (c === ".") { atPoint = true; i++; } break;
        case "dollar":
          if (c === undefined) break;
          if (c !== "$") return null;
          i++;
          break;
        case "sign": if (c === "+") i++; else if (c === "-") { negative = !negative; i++; } break;
        case "minus": if (c === "-") { negative = !negative; i++; } break;
        case "open":
          if (c === "<") { opened = true; i++; }
          break;
        case "close":
          if (c === ">") {
            if (!opened) return null;
            closed = true; negative = !negative; i++;
          }
          break;
        case "invalid": return null;
      }
    }
    if (i < input.length || opened !== closed || (before === "" && after === "")) return null;
    const unscaled = BigInt((before || "0") + after.padEnd(this.scale, "0"));
    return negative ? -unscaled : unscaled;
  }

  /** The decimal `unscaled × 10^−scale` written in this format; `#`s where its digits do not fit. */
  format(unscaled: bigint, scale: number): string {
    const negative = unscaled < 0n;
    const abs = negative ? -unscaled : unscaled;
    const unit = pow10(scale);
    let intDigits = (abs / unit).toString().replace(/^0+/, "");
    let fracDigits = scale === 0 ? "" : (abs % unit).toString().padStart(scale, "0").replace(/0+$/, "");
    let formatBefore = 0, formatAfter = 0, seenPoint = false;
    for (const t of this.tokens) {
      if (t.kind === "point") seenPoint = true;
      else if (seenPoint) formatAfter += digitCount(t);
      else formatBefore += digitCount(t);
    }
    if (intDigits.length > formatBefore || fracDigits.length > formatAfter) {
      intDigits = "#".repeat(formatBefore);
      fracDigits = "#".repeat(formatAfter);
    }
    const beforeText = intDigits.padStart(formatBefore, " ");
    const afterText = fracDigits.padEnd(formatAfter, "0");
    const out: string[] = [];
    let bi = 0, ai = 0, atPoint = false;
    for (const token of this.tokens) {
      switch (token.kind) {
        case "group":
          for (const p of token.parts) {
            if (p.kind === "sep") {
              if (out.length > 0 && /[0-9]/.test(out[out.length - 1]!)) out.push(",");
              else pushSpace(out);
              continue;
            }
            for (let d = 0; d < p.count; d++) {
              if (atPoint) { out.push(afterText[ai++]!); continue; }
              const ch = beforeText[bi++]!;
              if (ch !== " ") out.push(ch);
              else if (p.exact) out.push("0");
              else pushSpace(out);
            }
          }
          break;
        case "point":
          if (out.length > 0 && out[out.length - 1] === " ") out[out.length - 1] = "0";
          out.push(".");
          atPoint = true;
          break;
        case "dollar": out.push("$"); break;
        case "sign": blankLonePoint(out); pushSign(out, negative ? "-" : "+"); break;
        case "minus":
          if (negative) { blankLonePoint(out); pushSign(out, "-"); } else out.push(" ");
          break;
        case "open": if (negative) out.push("<"); break;
        case "close":
          blankLonePoint(out);
          if (negative) pushSign(out, ">"); else out.push(" ", " ");
          break;
        case "invalid": break;
      }
    }
    blankLonePoint(out);
    const text = out.join("");
    return text === "" || text === "+" || text === "-" ? "0" : text;
  }
}

/** A space for an absent leading digit, moved in front of a sign already written. */
function pushSpace(out: string[]): void {
  out.push(" ");
  for (let i = out.length - 1; i >= 1 && (out[i - 1] === "+" || out[i - 1] === "-" || out[i - 1] === "<") && out[i] === " "; i--) {
    out[i] = out[i - 1]!;
    out[i - 1] = " ";
  }
}

/** A trailing sign, moved left over the spaces before it (so it sits next to the digits). */
function pushSign(out: string[], sign: string): void {
  out.push(sign);
  for (let i = out.length - 1; i >= 1 && out[i - 1] === " " && out[i] === sign; i--) {
    out[i] = " ";
    out[i - 1] = sign;
  }
}

/** A decimal point with no digit after it becomes a space. */
function blankLonePoint(out: string[]): void {
  const i = out.indexOf(".");
  if (i >= 0 && (i === out.length - 1 || out[i + 1] === " ")) out[i] = " ";
}
