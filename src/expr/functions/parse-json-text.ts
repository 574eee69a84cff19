import { JsonCursor, JsonSyntaxError } from "../../columnar/json-cursor.ts";

/** What parseJson returns for text that is not JSON. */
export const NOT_JSON = Symbol("not JSON");

const cursor = new JsonCursor();

/**
 * The text parsed, or NOT_JSON. JSON.parse is the fast path; Spark's JSON parser reads the
 * exact digits of an integer (a value past 2^63 - 1 does not fit a BIGINT field, where
 * JSON.parse would round it into one) and accepts single quotes, NaN and Infinity: text with a
 * long run of digits, or that JSON.parse refuses, goes through JsonCursor (which keeps integers
 * beyond 2^53 as bigints).
 */
export function parseJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Spark's leniencies, below
    }
  }
  try {
    // Raw line breaks are whitespace in valid JSON; the cursor stops at them, as at a line's end.
    const bytes = Buffer.from(text.replace(/[\r\n]/g, " "));
    cursor.beginText(bytes);
    cursor.reset(0, bytes.length);
    const value = cursor.parseValue();
    return cursor.skipWs() === -1 ? value : NOT_JSON;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return NOT_JSON;
    throw error;
  }
}

/** 16 digits in a row: maybe an integer beyond 2^53, which JSON.parse would round. */
const LONG_DIGIT_RUN = /\d{16}/;
