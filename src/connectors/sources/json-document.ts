import { JsonCursor, JsonSyntaxError } from "../../columnar/json-cursor.ts";

const SPACE = 32, CR = 13, LF = 10, TAB = 9;
const QUOTE = 34, APOS = 39, BACKSLASH = 92, LBRACE = 123, LBRACKET = 91, RBRACKET = 93, COMMA = 44;

/** One record of a multi-line JSON file: its bytes in JsonDocument.text, and the file line it starts on (1-based). */
export interface JsonDocumentRecord {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/**
 * A whole JSON file read with Spark's multiLine option: one value, an object (one row) or
 * an array of objects (a row each). `text` is the file's bytes with the line breaks
 * between tokens turned into spaces, so each record is one line that the JSON lines
 * decoder reads as it reads any other; positions are those of the file.
 */
export interface JsonDocument {
  readonly text: Buffer;
  readonly records: readonly JsonDocumentRecord[];
}

/** Why a multi-line file is malformed, and where (the whole file is then one bad record, as in Spark). */
export interface JsonDocumentError {
  readonly line: number;
  readonly reason: string;
}

/**
 * Splits a multi-line JSON file into its records, or says why it is malformed: not one
 * JSON value, a syntax error anywhere, text after the value, or an array element that is
 * not an object. An empty (or blank) file has no records.
 */
export function splitJsonDocument(bytes: Buffer): JsonDocument | JsonDocumentError {
  const text = flattened(bytes);
  const lines = new LineIndex(bytes);
  const cur = new JsonCursor();
  cur.beginText(text);
  cur.reset(0, text.length);
  const records: JsonDocumentRecord[] = [];
  const record = (): void => {
    const start = cur.pos;
    if (text[start] !== LBRACE) cur.fail("expected '{'");
    cur.skipValue();
    records.push({ start, end: cur.pos, line: lines.lineOf(start) });
  };
  try {
    const c = cur.skipWs();
    if (c === -1) return { text, records };
    if (c === LBRACKET) {
      cur.pos++;
      if (cur.skipWs() === RBRACKET) cur.pos++;
      else {
        for (;;) {
          cur.skipWs();
          record();
          const next = cur.skipWs();
          cur.pos++;
          if (next === RBRACKET) break;
          if (next !== COMMA) { cur.pos--; cur.fail("expected ',' or ']'"); }
        }
      }
    } else record();
    if (cur.skipWs() !== -1) cur.fail("unexpected text after the JSON value");
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    // The cursor counted columns from the start of the text: give the file's line and column.
    const at = Math.min(cur.pos, text.length);
    const line = lines.lineOf(at);
    const column = bytes.toString("utf8", lines.startOf(line), at).length + 1;
    return { line, reason: `invalid JSON: ${e.message.replace(/ at column \d+/, ` at line ${line} column ${column}`)}` };
  }
  return { text, records };
}

export function isJsonDocumentError(d: JsonDocument | JsonDocumentError): d is JsonDocumentError {
  return "reason" in d;
}

/**
 * A copy of `bytes` where CR and LF outside strings are spaces. Line breaks inside a
 * string stay: JSON does not allow them there, and the cursor reports them as it would
 * on one line (Spark's reader rejects unquoted control characters too).
 */
function flattened(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  let quote = 0;
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (quote !== 0) {
      if (c === BACKSLASH) i++;
      else if (c === quote || c === LF) quote = 0; // an unterminated string fails at its line break
    } else if (c === QUOTE || c === APOS) quote = c;
    else if (c === LF || c === CR || c === TAB) out[i] = SPACE;
  }
  return out;
}

/** Line numbers (1-based) of byte positions in a file. */
class LineIndex {
  readonly #starts: number[] = [0];

  constructor(bytes: Buffer) {
    for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) this.#starts.push(i + 1);
  }

  lineOf(pos: number): number {
    let lo = 0, hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  startOf(line: number): number {
    return this.#starts[line - 1] ?? 0;
  }
}

const arrayCursor = new JsonCursor();

/**
 * The elements of a JSON lines line that holds an array of objects (Spark's JSON lines
 * reader makes each element a row): [start, end) of each element in `b`, or null when the
 * line is not such an array (the caller reports it malformed). `end` bounds the line.
 */
export function jsonArrayLineElements(b: Buffer, start: number, end: number): Array<readonly [number, number]> | null {
  const cur = arrayCursor;
  cur.beginText(b);
  cur.reset(start, end);
  const elements: Array<readonly [number, number]> = [];
  try {
    if (cur.skipWs() !== LBRACKET) return null;
    cur.pos++;
    if (cur.skipWs() === RBRACKET) cur.pos++;
    else {
      for (;;) {
        const from = cur.skipWs();
        if (from !== LBRACE) return null;
        const s = cur.pos;
        cur.skipValue();
        elements.push([s, cur.pos]);
        const next = cur.skipWs();
        cur.pos++;
        if (next === RBRACKET) break;
        if (next !== COMMA) return null;
      }
    }
    return cur.skipWs() === -1 ? elements : null;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return null;
    throw e;
  } finally {
    cur.beginText(EMPTY); // do not keep the caller's block alive
  }
}

const EMPTY = Buffer.alloc(0);
