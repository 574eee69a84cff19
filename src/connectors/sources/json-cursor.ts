/**
 * A cursor over JSON text in a larger string (a line of a chunk): the scanning primitives
 * the JSON lines decoder and the schema inference share. It accepts what Spark's JSON
 * reader accepts by default: single-quoted strings, NaN / Infinity, and standard escapes.
 * Nothing here allocates unless asked for a value.
 */
export class JsonSyntaxError extends Error {}

const SPACE = 32, TAB = 9, CR = 13, LF = 10;
const QUOTE = 34, APOS = 39, BACKSLASH = 92;
const MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57, LOWER_E = 101, UPPER_E = 69;
const LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44, COLON = 58;

export class JsonCursor {
  s = "";
  pos = 0;
  end = 0;
  /** Where the current line starts, so that errors give a column within the line. */
  lineStart = 0;
  /** Set by scanString: whether the string just scanned holds escapes. */
  escaped = false;
  /** Set by scanNumber: the value, and whether it was written as an integer. */
  num = 0;
  integral = false;
  // The first backslash at or after #slashFrom in `s` (-1: none): searching once per
  // string instead of once per value keeps scanning linear in the chunk's length.
  #slashAt = -1;
  #slashFrom = Infinity;

  /** Starts on a new text (a chunk of lines); `reset` then picks a line in it. */
  beginText(s: string): void {
    this.s = s;
    this.#slashFrom = Infinity;
  }

  reset(start: number, end: number): void {
    this.pos = start;
    this.end = end;
    this.lineStart = start;
  }

  fail(what: string): never {
    const shown = this.pos < this.end ? `'${this.s[this.pos]}'` : "end of input";
    throw new JsonSyntaxError(`${what} at column ${this.pos - this.lineStart + 1}, found ${shown}`);
  }

  /** Skips whitespace; returns the next character code, or -1 at the end. */
  skipWs(): number {
    const s = this.s;
    let i = this.pos;
    while (i < this.end) {
      const c = s.charCodeAt(i);
      if (c !== SPACE && c !== TAB && c !== CR && c !== LF) {
        this.pos = i;
        return c;
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
   * character of the contents (contents end at `pos - 1`). Sets `escaped`.
   */
  scanString(): number {
    const s = this.s;
    const quote = s.charCodeAt(this.pos);
    const start = this.pos + 1;
    const close = s.indexOf(quote === QUOTE ? '"' : "'", start);
    if (close < 0 || close >= this.end) this.fail("unterminated string");
    let slash = this.#slashAt;
    if (start < this.#slashFrom || (slash !== -1 && slash < start)) {
      slash = this.#slashAt = s.indexOf("\\", start);
      this.#slashFrom = start;
    }
    if (slash < 0 || slash > close) {
      this.escaped = false;
      this.pos = close + 1;
      return start;
    }
    this.escaped = true;
    let i = slash;
    while (i < this.end) {
      const c = s.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === quote) {
        this.pos = i + 1;
        return start;
      } else i++;
    }
    this.pos = this.end;
    return this.fail("unterminated string");
  }

  /** The contents of the string scanned last, starting at `start`. */
  stringValue(start: number): string {
    return this.escaped ? unescape(this.s, start, this.pos - 1, this) : this.s.slice(start, this.pos - 1);
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
    const s = this.s;
    const start = this.pos;
    let i = start;
    let c = s.charCodeAt(i);
    let negative = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      c = s.charCodeAt(++i);
    }
    if (c < ZERO || c > NINE) {
      if (s.startsWith("NaN", i)) { this.num = NaN; this.pos = i + 3; this.integral = false; return true; }
      if (s.startsWith("Infinity", i)) { this.num = negative ? -Infinity : Infinity; this.pos = i + 8; this.integral = false; return true; }
      return false;
    }
    let v = 0;
    const digitsStart = i;
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = s.charCodeAt(++i);
    }
    if (c === DOT || c === LOWER_E || c === UPPER_E) {
      if (c === DOT) {
        c = s.charCodeAt(++i);
        if (c < ZERO || c > NINE) { this.pos = i; this.fail("expected a digit"); }
        while (c >= ZERO && c <= NINE) c = s.charCodeAt(++i);
      }
      if (c === LOWER_E || c === UPPER_E) {
        c = s.charCodeAt(++i);
        if (c === MINUS || c === PLUS) c = s.charCodeAt(++i);
        if (c < ZERO || c > NINE) { this.pos = i; this.fail("expected a digit"); }
        while (c >= ZERO && c <= NINE) c = s.charCodeAt(++i);
      }
      this.num = Number(s.slice(start, i));
      this.integral = false;
    } else {
      // Beyond 15 digits the running product may round; let the runtime parse it exactly.
      this.num = i - digitsStart > 15 ? Number(s.slice(start, i)) : negative ? -v : v;
      this.integral = true;
    }
    if (i > this.end) { this.pos = this.end; this.fail("unexpected end of number"); }
    this.pos = i;
    return true;
  }

  /** At a literal: moves past `word` if it is there. */
  tryWord(word: string): boolean {
    if (this.s.startsWith(word, this.pos) && this.pos + word.length <= this.end) {
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
        this.#key();
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
    if (this.scanNumber()) return this.num;
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

function unescape(s: string, start: number, end: number, cursor: JsonCursor): string {
  let out = "";
  let from = start;
  let i = start;
  while (i < end) {
    if (s.charCodeAt(i) !== BACKSLASH) { i++; continue; }
    out += s.slice(from, i);
    const e = s[i + 1];
    switch (e) {
      case '"': case "'": case "\\": case "/": out += e; i += 2; break;
      case "b": out += "\b"; i += 2; break;
      case "f": out += "\f"; i += 2; break;
      case "n": out += "\n"; i += 2; break;
      case "r": out += "\r"; i += 2; break;
      case "t": out += "\t"; i += 2; break;
      case "u": {
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) { cursor.pos = i; cursor.fail("invalid \\u escape"); }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        break;
      }
      default:
        cursor.pos = i;
        cursor.fail("invalid escape");
    }
    from = i;
  }
  return out + s.slice(from, end);
}
