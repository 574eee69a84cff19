import { formatDouble } from "../../columnar/show-string.ts";

/**
 * The top-level fields of a JSON object as json_tuple returns them, read from the text so that
 * nothing is lost through JS numbers: a string unquoted, an integer as written (beyond 2^53
 * too), a fractional number as Java prints the double (Spark's Jackson: `1.50` → `1.5`), an
 * object or array as compact JSON text, JSON null as null (a repeated key: its first value).
 * Null when the text is not one well-formed JSON object.
 */
export function jsonObjectFields(text: string): Map<string, string | null> | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return null;
  // Well-formed: the scan below need not check syntax.
  const fields = new Map<string, string | null>();
  let i = skipSpace(text, text.indexOf("{") + 1);
  while (text[i] !== "}") {
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const valueEnd = endOfValue(text, valueStart);
    if (!fields.has(key)) fields.set(key, fieldText(text.slice(valueStart, valueEnd)));
    i = skipSpace(text, valueEnd);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return fields;
}

function fieldText(raw: string): string | null {
  const first = raw[0];
  if (first === '"') return JSON.parse(raw) as string;
  if (raw === "null") return null;
  if (first === "{" || first === "[") return compact(raw);
  if (raw === "true" || raw === "false") return raw;
  return /[.eE]/.test(raw) ? formatDouble(Number(raw)) : raw;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  return i;
}

/** The index after the string literal starting at `i`. */
function endOfString(text: string, i: number): number {
  let j = i + 1;
  while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** The index after the JSON value starting at `i`. */
function endOfValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return endOfString(text, i);
  if (first !== "{" && first !== "[") {
    let j = i;
    while (j < text.length && !",}] \n\r\t".includes(text[j]!)) j++;
    return j;
  }
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

/** A nested object or array without the whitespace between tokens (as Jackson writes it back). */
function compact(raw: string): string {
  let out = "";
  for (let j = 0; j < raw.length;) {
    const c = raw[j]!;
    if (c === '"') {
      const end = endOfString(raw, j);
      out += raw.slice(j, end);
      j = end;
    } else {
      if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") out += c;
      j++;
    }
  }
  return out;
}
