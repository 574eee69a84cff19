/**
 * JSON text as Spark's JSON parser (Jackson, with the features Spark's JSONOptions turn on)
 * reads it: the strict grammar plus what the options allow. Spark's defaults allow single
 * quotes and NaN/Infinity; comments, unquoted field names, numeric leading zeros,
 * backslash-escaping any character and raw control characters in strings are off until an
 * option turns them on. Integers beyond ±2^53 come back as bigints (a BIGINT field needs
 * their exact digits); objects have no prototype, so any key is an own property.
 */
export interface JsonReaderFeatures {
  readonly allowComments: boolean;
  readonly allowUnquotedFieldNames: boolean;
  readonly allowSingleQuotes: boolean;
  readonly allowNumericLeadingZeros: boolean;
  readonly allowNonNumericNumbers: boolean;
  readonly allowBackslashEscapingAnyCharacter: boolean;
  readonly allowUnquotedControlChars: boolean;
}

export const DEFAULT_JSON_READER_FEATURES: JsonReaderFeatures = Object.freeze({
  allowComments: false,
  allowUnquotedFieldNames: false,
  allowSingleQuotes: true,
  allowNumericLeadingZeros: false,
  allowNonNumericNumbers: true,
  allowBackslashEscapingAnyCharacter: false,
  allowUnquotedControlChars: false,
});

/** Thrown for text the features do not allow (the record is malformed). */
export class JsonTextError extends Error {}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NAME_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const NON_NUMERIC: readonly (readonly [string, number])[] = [
  ["NaN", NaN], ["Infinity", Infinity], ["+Infinity", Infinity], ["-Infinity", -Infinity], ["+INF", Infinity], ["-INF", -Infinity],
];

/** The one JSON value of `text` (whitespace, and comments when allowed, around it). */
export function readJsonText(text: string, features: JsonReaderFeatures): unknown {
  const reader = new Reader(text, features);
  const value = reader.value();
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail("trailing characters");
  return value;
}

class Reader {
  pos = 0;
  constructor(readonly text: string, readonly features: JsonReaderFeatures) {}

  fail(what: string): never {
    throw new JsonTextError(`${what} at character ${this.pos}`);
  }

  skipSpace(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") { this.pos++; continue; }
      if (c === "/" && this.features.allowComments) {
        if (t[this.pos + 1] === "/") {
          const end = t.indexOf("\n", this.pos);
          this.pos = end < 0 ? t.length : end + 1;
          continue;
        }
        if (t[this.pos + 1] === "*") {
          const end = t.indexOf("*/", this.pos + 2);
          if (end < 0) this.fail("unterminated comment");
          this.pos = end + 2;
          continue;
        }
      }
      return;
    }
  }

  value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"' || (c === "'" && this.features.allowSingleQuotes)) return this.string();
    if (this.text.startsWith("true", this.pos)) { this.pos += 4; return true; }
    if (this.text.startsWith("false", this.pos)) { this.pos += 5; return false; }
    if (this.text.startsWith("null", this.pos)) { this.pos += 4; return null; }
    if (this.features.allowNonNumericNumbers) {
      for (const [word, v] of NON_NUMERIC) if (this.text.startsWith(word, this.pos)) { this.pos += word.length; return v; }
    }
    return this.number();
  }

  object(): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "}") { this.pos++; return out; }
    for (;;) {
      this.skipSpace();
      const name = this.fieldName();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      out[name] = this.value();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail("expected ',' or '}'");
    }
  }

  fieldName(): string {
    const c = this.text[this.pos];
    if (c === '"' || (c === "'" && this.features.allowSingleQuotes)) return this.string();
    if (!this.features.allowUnquotedFieldNames || c === undefined || !NAME_CHAR.test(c)) this.fail("expected a field name");
    const start = this.pos;
    while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  array(): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") { this.pos++; return out; }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const t = this.text;
    const quote = t[this.pos++];
    let out = "";
    for (;;) {
      const c = t[this.pos++];
      if (c === undefined) this.fail("unterminated string");
      if (c === quote) return out;
      if (c === "\\") {
        const e = t[this.pos++];
        if (e === undefined) this.fail("unterminated string");
        if (e === "u") {
          const hex = t.slice(this.pos, this.pos + 4);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
        } else if (ESCAPES[e] !== undefined) out += ESCAPES[e];
        else if ((e === "'" && this.features.allowSingleQuotes) || this.features.allowBackslashEscapingAnyCharacter) out += e;
        else this.fail(`unrecognized escape '\\${e}'`);
        continue;
      }
      if (c < " " && !this.features.allowUnquotedControlChars) this.fail("unquoted control character");
      out += c;
    }
  }

  number(): number | bigint {
    const m = /^-?(\d+)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (m === null) this.fail("unexpected character");
    const digits = m[1]!;
    if (digits.length > 1 && digits[0] === "0" && !this.features.allowNumericLeadingZeros) this.fail("leading zeros");
    this.pos += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const v = Number(m[0]);
      return Number.isSafeInteger(v) ? v : BigInt(m[0]);
    }
    return Number(m[0]);
  }
}
