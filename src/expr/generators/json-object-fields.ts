import { objectMembers, skipSpace, valueText } from "../json-raw-text.ts";

/**
 * The top-level fields of a JSON object as json_tuple returns them, read from the text so that
 * nothing is lost through JS numbers (json-raw-text.ts): a string unquoted, an integer as
 * written, a fractional number as Java prints the double (Spark's Jackson: `1.50` → `1.5`), an
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
  // Well-formed: the scan need not check syntax.
  const fields = new Map<string, string | null>();
  for (const [key, start, end] of objectMembers(text, skipSpace(text, 0))) {
    if (!fields.has(key)) fields.set(key, valueText(text.slice(start, end)));
  }
  return fields;
}
