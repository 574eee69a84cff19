import { utf8Text } from "./utf8-text.ts";

/**
 * A cursor over JSON text held as UTF-8 bytes (a line of a file chunk): the scanning
 * primitives the JSON lines decoder and the schema inference share. Working on the bytes
 * read from the file spares decoding whole chunks into JS strings: only the values a
 * query keeps are ever decoded, and strings the decoder interns are not even that.
 * It accepts what Spark's JSON reader accepts by default: single-quoted strings,
 * NaN / Infinity, and standard escapes. Nothing here allocates unless asked for a value.
 */
export class JsonSyntaxError extends Error {}

const SPACE = 32, TAB = 9, CR = 13, LF = 10;
const QUOTE = 34, APOS = 39, BACKSLASH = 92;
const MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57, LOWER_E = 101, UPPER_E = 69;
const LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44, COLON = 58;

/** Powers of ten exactly representable as doubles: v / 10^k is then correctly rounded (Clinger's fast path). */
export const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

const EMPTY = Buffer.alloc(0);

export class JsonCursor {
  b: Buffer = EMPTY;
  pos = 0;
  /**
   * Where the text ends. A line break also ends it: a line may be scanned inside a block of
   * lines without finding its end first, and nothing (not a string either) runs past it.
   */
  end = 0;
  /** Where the current line starts, so that errors give a column within the line. */
  lineStart = 0;
  /** Set by scanString: whether the string just scanned holds escapes. */
  escaped = false;
  /** Set by scanNumber: the value, and whether it was written as an integer. */
  num = 0;
  integral = false;

  /** Starts on a new block of bytes (a chunk of lines); `reset` then picks a line in it. */
  beginText(b: Buffer): void {
    this.b = b;
  }

  reset(start: number, end: number): void {
    this.pos = start;
    this.end = end;
    this.lineStart = start;
  }

  /** Throws a syntax error at the cursor; the column counts characters, not bytes. */
  fail(what: string): never {
    const column = utf8Text(this.b, this.lineStart, Math.min(this.pos, this.end)).length + 1;
    const shown = this.pos < this.end && this.b[this.pos] !== LF ? `'${String.fromCodePoint(utf8Text(this.b, this.pos, Math.min(this.pos + 4, this.end)).codePointAt(0)!)}'` : "end of input";
    throw new JsonSyntaxError(`${what} at column ${column}, found ${shown}`);
  }

  /** Skips whitespace; returns the next byte, or -1 at the end (or at a line break, which stays at `pos`). */
  skipWs(): number {
    const b = this.b;
    let i = this.pos;
    while (i < this.end) {
      const c = b[i]!;
      if (c !== SPACE && c !== TAB && c !== CR) {
        this.pos = i;
        return c === LF ? -1 : c;
      }
      i++;
    }
    this.pos = i;
    return -1;
  }

  /** Expects `code` after whitespace and moves past it. */
  expect(code: number, what: string): void {
    if (this.skipWs() !== code) this.fail(`expected ${what}`);
    this.pos++;
  }

  /**
   * At an opening quote: moves past the closing one and returns the index of the first
   * byte of the contents (contents end at `pos - 1`). Sets `escaped`.
   */
  scanString(): number {
    const b = this.b;
    const quote = b[this.pos]!;
    const start = this.pos + 1;
    const end = this.end;
    let escaped = false;
    let i = start;
    for (;;) {
      if (i >= end) {
        this.pos = end;
        return this.fail("unterminated string");
      }
      const c = b[i]!;
      if (c === quote) break;
      // (An escape's second byte must be on the line: not a line break, not past `end`.)
      if (c === BACKSLASH && i + 1 < end && b[i + 1] !== LF) {
        escaped = true;
        i += 2;
      } else if (c === LF || c === BACKSLASH) {
        this.pos = i;
        return this.fail("unterminated string");
      } else i++;
    }
    this.escaped = escaped;
    this.pos = i + 1;
    return start;
  }

  /** The contents of the string scanned last, starting at `start`. */
  stringValue(start: number): string {
    return this.escaped ? unescape(this.b, start, this.pos - 1, this) : utf8Text(this.b, start, this.pos - 1);
  }

  /** At a string: its value. */
  readString(): string {
    return this.stringValue(this.scanString());
  }

  isQuote(c: number): boolean {
    return c === QUOTE || c === APOS;
  }

  /** At a number (or NaN / Infinity): parses it into `num`, `integral`. Returns false if it is not a number. */
  scanNumber(): boolean {
    const b = this.b;
    const start = this.pos;
    const end = this.end;
    let i = start;
    let c = i < end ? b[i]! : -1;
    let negative = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      c = ++i < end ? b[i]! : -1;
    }
    if (c < ZERO || c > NINE) {
      if (this.#wordAt(i, "NaN")) { this.num = NaN; this.pos = i + 3; this.integral = false; return true; }
      if (this.#wordAt(i, "Infinity")) { this.num = negative ? -Infinity : Infinity; this.pos = i + 8; this.integral = false; return true; }
      return false;
    }
    let v = 0;
    let digits = 0;
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      digits++;
      c = ++i < end ? b[i]! : -1;
    }
    if (c === DOT || c === LOWER_E || c === UPPER_E) {
      let fraction = 0;
      let exponent = false;
      if (c === DOT) {
        c = ++i < end ? b[i]! : -1;
        if (c < ZERO || c > NINE) { this.pos = i; this.fail("expected a digit"); }
        while (c >= ZERO && c <= NINE) {
          v = v * 10 + (c - ZERO);
          fraction++;
          c = ++i < end ? b[i]! : -1;
        }
      }
      if (c === LOWER_E || c === UPPER_E) {
        exponent = true;
        c = ++i < end ? b[i]! : -1;
        if (c === MINUS || c === PLUS) c = ++i < end ? b[i]! : -1;
        if (c < ZERO || c > NINE) { this.pos = i; this.fail("expected a digit"); }
        while (c >= ZERO && c <= NINE) c = ++i < end ? b[i]! : -1;
      }
      // Up to 15 significant digits and no exponent: one exact division; otherwise the runtime's parser.
      if (!exponent && digits + fraction <= 15) this.num = (negative ? -v : v) / EXACT_POWERS_OF_TEN[fraction]!;
      else this.num = Number(b.toString("latin1", start, i));
      this.integral = false;
    } else {
      // Beyond 15 digits the running product may round; let the runtime parse it exactly.
      this.num = digits > 15 ? Number(b.toString("latin1", start, i)) : negative ? -v : v;
      this.integral = true;
    }
    this.pos = i;
    return true;
  }

  #wordAt(i: number, word: string): boolean {
    if (i + word.length > this.end) return false;
    const b = this.b;
    for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
    return true;
  }

  /** At a literal: moves past `word` if it is there. */
  tryWord(word: string): boolean {
    if (this.#wordAt(this.pos, word)) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  /** Skips one value of any kind, validating its syntax. */
  skipValue(): void {
    const c = this.skipWs();
    if (c === QUOTE || c === APOS) this.scanString();
    else if (c === LBRACE) {
      this.pos++;
      if (this.skipWs() === RBRACE) { this.pos++; return; }
      for (;;) {
        if (!this.isQuote(this.skipWs())) this.fail("expected a field name");
        this.scanString();
        this.expect(COLON, "':'");
        this.skipValue();
        if (this.#endOf(RBRACE, "'}'")) return;
      }
    } else if (c === LBRACKET) {
      this.pos++;
      if (this.skipWs() === RBRACKET) { this.pos++; return; }
      for (;;) {
        this.skipValue();
        if (this.#endOf(RBRACKET, "']'")) return;
      }
    } else if (!this.tryWord("true") && !this.tryWord("false") && !this.tryWord("null") && !this.scanNumber()) {
      this.fail("expected a value");
    }
  }

  /** Parses one value into plain JS values (objects, arrays, strings, numbers, booleans, null). */
  parseValue(): unknown {
    const c = this.skipWs();
    if (c === QUOTE || c === APOS) return this.readString();
    if (c === LBRACE) {
      this.pos++;
      const obj: Record<string, unknown> = {};
      if (this.skipWs() === RBRACE) { this.pos++; return obj; }
      for (;;) {
        const key = this.#key();
        obj[key] = this.parseValue();
        if (this.#endOf(RBRACE, "'}'")) return obj;
      }
    }
    if (c === LBRACKET) {
      this.pos++;
      const arr: unknown[] = [];
      if (this.skipWs() === RBRACKET) { this.pos++; return arr; }
      for (;;) {
        arr.push(this.parseValue());
        if (this.#endOf(RBRACKET, "']'")) return arr;
      }
    }
    if (this.tryWord("true")) return true;
    if (this.tryWord("false")) return false;
    if (this.tryWord("null")) return null;
    const start = this.pos;
    if (this.scanNumber()) {
      // An integer beyond ±2^53 as its exact digits (a BIGINT field keeps them; others take the double).
      if (this.integral && !(this.num <= Number.MAX_SAFE_INTEGER && this.num >= -Number.MAX_SAFE_INTEGER)) return BigInt(this.b.toString("latin1", start, this.pos));
      return this.num;
    }
    return this.fail("expected a value");
  }

  /** Reads `"key" :` and returns the key. */
  #key(): string {
    if (!this.isQuote(this.skipWs())) this.fail("expected a field name");
    const key = this.readString();
    this.expect(COLON, "':'");
    return key;
  }

  /** After a member: true at the closing `close`, false after a comma. */
  #endOf(close: number, what: string): boolean {
    const c = this.skipWs();
    this.pos++;
    if (c === close) return true;
    if (c === COMMA) return false;
    this.pos--;
    return this.fail(`expected ',' or ${what}`);
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function unescape(b: Buffer, start: number, end: number, cursor: JsonCursor): string {
  let out = "";
  let from = start;
  let i = start;
  while (i < end) {
    if (b[i] !== BACKSLASH) { i++; continue; }
    out += utf8Text(b, from, i);
    const e = b[i + 1];
    switch (e) {
      case QUOTE: case APOS: case BACKSLASH: case 47 /* / */: out += String.fromCharCode(e); i += 2; break;
      case 98 /* b */: out += "\b"; i += 2; break;
      case 102 /* f */: out += "\f"; i += 2; break;
      case 110 /* n */: out += "\n"; i += 2; break;
      case 114 /* r */: out += "\r"; i += 2; break;
      case 116 /* t */: out += "\t"; i += 2; break;
      case 117 /* u */: {
        let unit = 0;
        for (let k = 2; k < 6; k++) {
          const d = i + k < end ? hexDigit(b[i + k]!) : -1;
          if (d < 0) { cursor.pos = i; cursor.fail("invalid \\u escape"); }
          unit = unit * 16 + d;
        }
        out += String.fromCharCode(unit);
        i += 6;
        break;
      }
      default:
        cursor.pos = i;
        cursor.fail("invalid escape");
    }
    from = i;
  }
  return out + utf8Text(b, from, end);
}
