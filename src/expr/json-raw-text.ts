import { formatDouble } from "../columnar/show-string.ts";

/**
 * Scanning well-formed JSON text (checked by the caller, e.g. with JSON.parse) without going
 * through JS values, so that numbers keep what Spark's Jackson copy gives them: an integer as
 * written (beyond 2^53 too), a fractional or exponent number as Java prints the double (`1.50`
 * → `1.5`, `1e2` → `100.0`). Shared by json_tuple and get_json_object.
 */

export function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  return i;
}

/** The index after the string literal starting at `i`. */
export function endOfString(text: string, i: number): number {
  let j = i + 1;
  while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** The index after the JSON value starting at `i`. */
export function endOfValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return endOfString(text, i);
  if (first !== "{" && first !== "[") return endOfScalar(text, i);
  let depth = 0;
  let j = i;
  do {
    const c = text[j]!;
    if (c === '"') { j = endOfString(text, j); continue; }
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    j++;
  } while (depth > 0);
  return j;
}

function endOfScalar(text: string, i: number): number {
  let j = i;
  while (j < text.length && !",}] \n\r\t".includes(text[j]!)) j++;
  return j;
}

/** A number token as Jackson writes it back: integers as written, others as Java's Double.toString. */
export function numberText(raw: string): string {
  return /[.eE]/.test(raw) ? formatDouble(Number(raw)) : raw;
}

/** A value's text as Jackson copies it: no whitespace between tokens, numbers as numberText. */
export function copiedText(raw: string): string {
  let out = "";
  for (let j = 0; j < raw.length;) {
    const c = raw[j]!;
    if (c === '"') {
      const end = endOfString(raw, j);
      out += raw.slice(j, end);
      j = end;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const end = endOfScalar(raw, j);
      out += numberText(raw.slice(j, end));
      j = end;
    } else {
      if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") out += c;
      j++;
    }
  }
  return out;
}

/** A value as json_tuple / get_json_object return it: a string unquoted, JSON null as null, anything else as copiedText. */
export function valueText(raw: string): string | null {
  if (raw[0] === '"') return JSON.parse(raw) as string;
  if (raw === "null") return null;
  return copiedText(raw);
}

/** The members of the object at `i` as [key, value start, value end]; the first of a repeated key first. */
export function* objectMembers(text: string, i: number): Generator<[string, number, number]> {
  let j = skipSpace(text, i + 1);
  while (text[j] !== "}") {
    const keyEnd = endOfString(text, j);
    const key = JSON.parse(text.slice(j, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const valueEnd = endOfValue(text, valueStart);
    yield [key, valueStart, valueEnd];
    j = skipSpace(text, valueEnd);
    if (text[j] === ",") j = skipSpace(text, j + 1);
  }
}

/** The elements of the array at `i` as [start, end]. */
export function* arrayElements(text: string, i: number): Generator<[number, number]> {
  let j = skipSpace(text, i + 1);
  while (text[j] !== "]") {
    const end = endOfValue(text, j);
    yield [j, end];
    j = skipSpace(text, end);
    if (text[j] === ",") j = skipSpace(text, j + 1);
  }
}
