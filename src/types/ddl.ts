import { timestampIsNtz } from "../common/config.ts";
import { ParseError } from "../common/errors.ts";
import {
  ArrayType, BinaryType, BooleanType, ByteType, DateType, DecimalType, DoubleType, FloatType, IntegerType, LongType, MapType,
  MAX_DECIMAL_PRECISION, NullType, ShortType, StringType, StructType, TimestampType, type DataType, type StructField,
  CalendarIntervalType, DAY_TIME_FIELDS, DayTimeIntervalType, TimestampNTZType, YEAR_MONTH_FIELDS, YearMonthIntervalType,
  type DayTimeField, type YearMonthField,
} from "./data-types.ts";

/**
 * Parser for Spark DDL schema strings ("time TIMESTAMP, action STRING",
 * "s STRUCT<a: INT, b: ARRAY<STRING>>") and type names ("bigint", "array<int>").
 * A small hand-written recursive descent: the SQL grammar is for queries, and a schema
 * string must parse without building a SQL parser.
 */
class DdlCursor {
  pos = 0;
  /** `timestampNtz`: what the bare type name TIMESTAMP means (spark.sql.timestampType). */
  /** `origin`: where the text starts in a SQL statement (1-based), so errors point into the statement. */
  constructor(readonly text: string, readonly timestampNtz: boolean, readonly origin?: { readonly line: number; readonly column: number }) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? "";
  }

  atEnd(): boolean {
    return this.peek() === "";
  }

  fail(message: string): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text[i] === "\n") { line++; column = 1; } else column++;
    }
    if (this.origin === undefined) throw new ParseError(`${message} in schema '${this.text}'`, line, column);
    throw new ParseError(message, line + this.origin.line - 1, line === 1 ? column + this.origin.column - 1 : column);
  }

  /** Spark's PARSE_SYNTAX_ERROR at the next token. */
  syntaxError(): never {
    const next = this.peek();
    const token = next === "" ? "end of input" : `'${/^[A-Za-z0-9_]+/.exec(this.text.slice(this.pos))?.[0] ?? next}'`;
    this.fail(`[PARSE_SYNTAX_ERROR] Syntax error at or near ${token}.`);
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.syntaxError();
    this.pos++;
  }

  describeNext(): string {
    const next = this.peek();
    return next === "" ? "end of input" : `'${this.text.slice(this.pos, this.pos + 12)}'`;
  }

  identifier(what: string): string {
    this.skipSpace();
    if (this.text[this.pos] === "`") {
      let out = "";
      this.pos++;
      while (this.pos < this.text.length) {
        const ch = this.text[this.pos++]!;
        if (ch === "`") {
          if (this.text[this.pos] === "`") { out += "`"; this.pos++; continue; }
          return out;
        }
        out += ch;
      }
      this.fail("unterminated backquoted name");
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail(`expected ${what} but found ${this.describeNext()}`);
    this.pos += m[0].length;
    return m[0];
  }

  keyword(word: string): boolean {
    this.skipSpace();
    const slice = this.text.slice(this.pos, this.pos + word.length);
    const after = this.text[this.pos + word.length] ?? " ";
    if (slice.toUpperCase() === word && !/[A-Za-z0-9_]/.test(after)) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  stringLiteral(): string {
    this.skipSpace();
    const quote = this.text[this.pos];
    if (quote !== "'" && quote !== '"') this.fail(`expected a quoted string but found ${this.describeNext()}`);
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail("unterminated string");
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }
}

function atomic(name: string, timestampNtz: boolean): DataType | undefined {
  switch (name.toLowerCase()) {
    case "string": case "varchar": case "char": case "text": return StringType;
    case "binary": return BinaryType;
    case "boolean": case "bool": return BooleanType;
    case "tinyint": case "byte": return ByteType;
    case "smallint": case "short": return ShortType;
    case "int": case "integer": return IntegerType;
    case "bigint": case "long": return LongType;
    case "float": case "real": return FloatType;
    case "double": return DoubleType;
    // DECIMAL without parameters is DECIMAL(10,0), as Spark's.
    case "decimal": case "dec": case "numeric": return DecimalType(10, 0);
    case "timestamp": return timestampNtz ? TimestampNTZType : TimestampType;
    case "timestamp_ltz": return TimestampType;
    case "timestamp_ntz": return TimestampNTZType;
    case "date": return DateType;
    case "void": case "null": return NullType;
    default: return undefined;
  }
}

function parseType(c: DdlCursor): DataType {
  const name = c.identifier("a type name");
  const lower = name.toLowerCase();
  if (lower === "array") {
    c.expect("<");
    const element = parseType(c);
    c.expect(">");
    return ArrayType(element);
  }
  if (lower === "map") {
    c.expect("<");
    const key = parseType(c);
    c.expect(",");
    const value = parseType(c);
    c.expect(">");
    return MapType(key, value);
  }
  if (lower === "struct") {
    c.expect("<");
    const fields: StructField[] = [];
    if (c.peek() !== ">") {
      do {
        const fieldName = c.identifier("a field name");
        if (c.peek() === ":") c.pos++;
        fields.push(parseFieldRest(c, fieldName));
      } while (c.peek() === "," && ++c.pos);
    }
    c.expect(">");
    return new StructType(fields);
  }
  if (lower === "interval") return parseIntervalType(c);
  const type = atomic(name, c.timestampNtz);
  if (!type) {
    c.pos -= name.length;
    c.fail(`[UNSUPPORTED_DATATYPE] Unsupported data type "${name.toUpperCase()}".`);
  }
  if (type.kind === "decimal" && c.peek() === "(") return decimalParameters(c);
  // VARCHAR(20), CHAR(1): the length does not change rivulet's representation (a string).
  if (c.peek() === "(") {
    const close = c.text.indexOf(")", c.pos);
    if (close < 0) c.fail("unterminated type parameters");
    c.pos = close + 1;
  }
  return type;
}

/** `(precision)` or `(precision, scale)` after DECIMAL: 1 ≤ precision ≤ 38, 0 ≤ scale ≤ precision. */
function decimalParameters(c: DdlCursor): DataType {
  c.expect("(");
  const int = (): number => {
    c.skipSpace();
    const m = /^\d+/.exec(c.text.slice(c.pos));
    if (!m) c.fail(`expected a number but found ${c.describeNext()}`);
    c.pos += m[0].length;
    return Number(m[0]);
  };
  const precision = int();
  let scale = 0;
  if (c.peek() === ",") { c.pos++; scale = int(); }
  c.expect(")");
  if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
    c.fail(`[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision ${precision} exceeds max precision ${MAX_DECIMAL_PRECISION}`);
  }
  if (scale > precision) c.fail(`Decimal scale (${scale}) cannot be greater than precision (${precision})`);
  return DecimalType(precision, scale);
}

/** `INTERVAL` (CalendarIntervalType), `INTERVAL DAY TO SECOND`, `INTERVAL HOUR`, `INTERVAL YEAR TO MONTH`… */
function parseIntervalType(c: DdlCursor): DataType {
  const field = (): string | undefined => {
    for (const f of [...DAY_TIME_FIELDS, ...YEAR_MONTH_FIELDS]) if (c.keyword(f.toUpperCase())) return f;
    return undefined;
  };
  const from = field();
  if (from === undefined) return CalendarIntervalType;
  const to = c.keyword("TO") ? field() ?? c.fail(`expected an interval field after TO but found ${c.describeNext()}`) : from;
  const dt = DAY_TIME_FIELDS as readonly string[], ym = YEAR_MONTH_FIELDS as readonly string[];
  if (dt.includes(from) && dt.includes(to) && dt.indexOf(to) >= dt.indexOf(from)) {
    return DayTimeIntervalType(dt.indexOf(from) as DayTimeField, dt.indexOf(to) as DayTimeField);
  }
  if (ym.includes(from) && ym.includes(to) && ym.indexOf(to) >= ym.indexOf(from)) {
    return YearMonthIntervalType(ym.indexOf(from) as YearMonthField, ym.indexOf(to) as YearMonthField);
  }
  return c.fail(`Intervals FROM ${from} TO ${to} are not supported`);
}

function parseFieldRest(c: DdlCursor, name: string): StructField {
  const dataType = parseType(c);
  let nullable = true;
  for (;;) {
    if (c.keyword("NOT")) {
      if (!c.keyword("NULL")) c.fail(`expected NULL after NOT but found ${c.describeNext()}`);
      nullable = false;
    } else if (c.keyword("COMMENT")) {
      c.stringLiteral();
    } else break;
  }
  return { name, dataType, nullable };
}

/**
 * What the type name TIMESTAMP means: the active session's spark.sql.timestampType unless the
 * caller fixes it (a schema rivulet wrote itself, where TIMESTAMP is always TIMESTAMP_LTZ).
 */
export interface DdlOptions {
  readonly timestampType?: "TIMESTAMP_LTZ" | "TIMESTAMP_NTZ";
  /** Where the text starts in a SQL statement (1-based line and column): errors then give the statement's position. */
  readonly origin?: { readonly line: number; readonly column: number };
}

function cursor(text: string, options: DdlOptions): DdlCursor {
  return new DdlCursor(text, options.timestampType === undefined ? timestampIsNtz() : options.timestampType === "TIMESTAMP_NTZ", options.origin);
}

/** Parses a DDL schema string such as "time TIMESTAMP, action STRING" (or "struct<...>"). */
export function parseSchema(ddl: string, options: DdlOptions = {}): StructType {
  const c = cursor(ddl, options);
  if (c.atEnd()) c.fail("empty schema");
  const save = c.pos;
  if (c.keyword("STRUCT") && c.peek() === "<") {
    c.pos = save;
    const t = parseType(c);
    if (!c.atEnd()) c.fail(`unexpected ${c.describeNext()} after the struct type`);
    return t as StructType;
  }
  c.pos = save;
  const fields: StructField[] = [];
  do {
    const name = c.identifier("a column name");
    if (c.peek() === ":") c.pos++;
    fields.push(parseFieldRest(c, name));
  } while (c.peek() === "," && ++c.pos);
  if (!c.atEnd()) c.syntaxError();
  const seen = new Set<string>();
  for (const f of fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) c.fail(`duplicate column '${f.name}'`);
    seen.add(key);
  }
  return new StructType(fields);
}

/** Parses one type name ("bigint", "array<string>", "struct<a:int>") as used by `cast("long")`. */
export function parseDataType(text: string, options: DdlOptions = {}): DataType {
  const c = cursor(text, options);
  const t = parseType(c);
  if (!c.atEnd()) c.fail(`unexpected ${c.describeNext()} after the type`);
  return t;
}
