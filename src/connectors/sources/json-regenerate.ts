import { formatDouble } from "../../expr/cast.ts";

/**
 * A (valid) JSON value's text as Spark writes it into a STRING column: JacksonParser copies
 * the value through a Jackson generator (copyCurrentStructure), so whitespace and comments go,
 * strings get double quotes and Jackson's escapes, integers keep their digits, and other
 * numbers become doubles printed by Java (`12.50` → `12.5`, `1E2` → `100.0`).
 */
export function regenerateJson(text: string): string {
  let out = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const [value, end] = readQuoted(text, i);
      out += quoteJackson(value);
      i = end;
    } else if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) {
      const close = text[i + 1] === "/" ? text.indexOf("\n", i) : text.indexOf("*/", i + 2) + 1;
      i = close <= 0 ? n : close + 1;
    } else if (c === "-" || c === "+" || (c >= "0" && c <= "9") || c === ".") {
      let j = i + 1;
      while (j < n && /[0-9a-zA-Z.+-]/.test(text[j]!)) j++;
      out += formatNumber(text.slice(i, j));
      i = j;
    } else if (c === "N" || c === "I") {
      let j = i + 1;
      while (j < n && /[a-zA-Z]/.test(text[j]!)) j++;
      out += formatNumber(text.slice(i, j));
      i = j;
    } else if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else { out += c; i++; }
  }
  return out;
}

/** A number token: integers keep their digits (as a BigInteger would), others print as Java's Double.toString. */
function formatNumber(token: string): string {
  const unsigned = token.startsWith("+") ? token.slice(1) : token;
  if (/^-?\d+$/.test(unsigned)) return BigInt(unsigned).toString();
  const d = Number(unsigned.replace(/^(-?)\./, "$10."));
  // Jackson quotes non-numeric numbers (QUOTE_NON_NUMERIC_NUMBERS).
  return Number.isFinite(d) ? formatDouble(d) : `"${formatDouble(d)}"`;
}

/** The string value of the quoted text at `start` and the index after its closing quote. */
function readQuoted(text: string, start: number): [string, number] {
  const quote = text[start]!;
  let value = "";
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    const c = text[i]!;
    if (c !== "\\") { value += c; i++; continue; }
    const e = text[i + 1]!;
    i += 2;
    switch (e) {
      case "n": value += "\n"; break;
      case "t": value += "\t"; break;
      case "r": value += "\r"; break;
      case "b": value += "\b"; break;
      case "f": value += "\f"; break;
      case "u": value += String.fromCharCode(parseInt(text.slice(i, i + 4), 16)); i += 4; break;
      default: value += e;
    }
  }
  return [value, i + 1];
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f" };

/** Jackson's string output: `"` and `\` escaped, control characters as short escapes or \u00XX; the rest as is. */
function quoteJackson(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)}"`;
}
