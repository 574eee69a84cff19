import { ConnectorError } from "../../common/errors.ts";
import type { DataType, StructField } from "../../types/data-types.ts";
import { ArrayType, BooleanType, DecimalType, DoubleType, LongType, NullType, StringType, StructType } from "../../types/data-types.ts";
import { decimalShape } from "../../columnar/decimal-values.ts";
import { isCompressedInput, readInputBytesSync, withoutUtf8Bom } from "./compressed-input.ts";
import { JsonCursor, JsonSyntaxError } from "../../columnar/json-cursor.ts";
import { isJsonDocumentError, splitJsonDocument } from "./json-document.ts";
import { forEachByteLine, forEachLineBlockSync } from "./line-chunks.ts";
import { separatedRecordsAsLines } from "./line-separator.ts";
import type { MalformedRecords } from "./parse-mode.ts";

const LBRACE = 123, LBRACKET = 91;

/**
 * Spark's JSON schema inference: the union of the fields of all records, names sorted,
 * integers → long, other numbers → double, objects → struct, arrays → array, and
 * string where two records disagree. Values that are null everywhere become string.
 * Malformed lines follow the parse mode; in PERMISSIVE mode they add the corrupt-record
 * column, as in Spark.
 */
export function inferJsonSchema(files: readonly string[], malformed: MalformedRecords, corruptRecordColumn: string, options: JsonInferOptions = DEFAULT_INFER_OPTIONS): StructType {
  const cursor = new JsonCursor();
  let merged: DataType = new StructType([]);
  let sawMalformed = false;
  /** Infers the record in b[start, end) (one line); the syntax error when it is malformed, else null. */
  const inferRecord = (b: Buffer, start: number, end: number): string | null => {
    cursor.beginText(b);
    cursor.reset(start, end);
    if (cursor.skipWs() === -1) return null;
    try {
      if (b[cursor.pos] === LBRACKET && !options.multiLine) {
        // A line holding an array of objects: each element is a record (Spark's JSON lines reader).
        const type = inferValue(cursor, options);
        const element = type.kind === "array" ? type.elementType : type;
        if (element.kind !== "struct" && element.kind !== "null") cursor.fail("expected an array of objects");
        if (cursor.skipWs() !== -1) cursor.fail("unexpected text after the record");
        merged = mergeTypes(merged, element);
        return null;
      }
      if (b[cursor.pos] !== LBRACE) cursor.fail("expected '{'");
      const type = inferValue(cursor, options);
      if (cursor.skipWs() !== -1) cursor.fail("unexpected text after the record");
      merged = mergeTypes(merged, type);
      return null;
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      return e.message;
    }
  };
  for (const path of files) {
    if (options.multiLine === true) {
      const doc = splitJsonDocument(withoutUtf8Bom(readInputBytesSync(path)));
      if (isJsonDocumentError(doc)) {
        if (malformed.report(path, doc.line, doc.reason)) sawMalformed = true;
        continue;
      }
      for (const r of doc.records) inferRecord(doc.text, r.start, r.end);
      continue;
    }
    let line = 1;
    const onBlock = (block: Buffer, blockStart: number, blockEnd: number): void => {
      line += forEachByteLine(block, blockStart, blockEnd, line, (b, start, end, lineNo) => {
        const error = inferRecord(b, start, end);
        if (error !== null && malformed.report(path, lineNo, `invalid JSON: ${error}`)) sawMalformed = true;
      });
    };
    if (options.lineSep != null) {
      const lines = separatedRecordsAsLines(withoutUtf8Bom(readInputBytesSync(path)), options.lineSep);
      onBlock(lines, 0, lines.length);
    } else if (isCompressedInput(path)) {
      const bytes = withoutUtf8Bom(readInputBytesSync(path));
      onBlock(bytes, 0, bytes.length);
    } else forEachLineBlockSync(path, onBlock);
  }
  const schema = finish(merged) as StructType;
  if (sawMalformed && schema.fieldIndex(corruptRecordColumn) < 0) {
    return new StructType([...schema.fields, { name: corruptRecordColumn, dataType: StringType, nullable: true }]);
  }
  return schema;
}

/** Spark's JSON options that change inference. */
export interface JsonInferOptions {
  /** Numbers and booleans as strings (Spark's primitivesAsString, false). */
  readonly primitivesAsString: boolean;
  /** Numbers with a fraction or an exponent as decimals when they fit 38 digits (Spark's prefersDecimal, false). */
  readonly prefersDecimal: boolean;
  /** Each file is one JSON value (Spark's multiLine, false). */
  readonly multiLine?: boolean;
  /** What ends a record instead of a line break (Spark's lineSep). */
  readonly lineSep?: Buffer | null;
}

const DEFAULT_INFER_OPTIONS: JsonInferOptions = { primitivesAsString: false, prefersDecimal: false };

function inferValue(cur: JsonCursor, options: JsonInferOptions): DataType {
  const c = cur.skipWs();
  if (cur.isQuote(c)) {
    cur.scanString();
    return StringType;
  }
  if (c === LBRACE) {
    const fields = new Map<string, DataType>();
    cur.pos++;
    if (cur.skipWs() === 125) { cur.pos++; return new StructType([]); }
    for (;;) {
      if (!cur.isQuote(cur.skipWs())) cur.fail("expected a field name");
      const key = cur.readString();
      cur.expect(58, "':'");
      const t = inferValue(cur, options);
      const before = fields.get(key);
      fields.set(key, before === undefined ? t : mergeTypes(before, t));
      const next = cur.skipWs();
      cur.pos++;
      if (next === 125) break;
      if (next !== 44) { cur.pos--; cur.fail("expected ',' or '}'"); }
    }
    return structOf(fields);
  }
  if (c === LBRACKET) {
    cur.pos++;
    let element: DataType = NullType;
    if (cur.skipWs() === 93) { cur.pos++; return ArrayType(element); }
    for (;;) {
      element = mergeTypes(element, inferValue(cur, options));
      const next = cur.skipWs();
      cur.pos++;
      if (next === 93) break;
      if (next !== 44) { cur.pos--; cur.fail("expected ',' or ']'"); }
    }
    return ArrayType(element);
  }
  if (cur.tryWord("true") || cur.tryWord("false")) return options.primitivesAsString ? StringType : BooleanType;
  if (cur.tryWord("null")) return NullType;
  const start = cur.pos;
  if (cur.scanNumber()) {
    if (options.primitivesAsString) return StringType;
    const text = cur.b.toString("latin1", start, cur.pos);
    return cur.integral ? integralType(text) : options.prefersDecimal ? fractionalDecimal(text) : DoubleType;
  }
  return cur.fail("expected a value");
}

const MAX_DECIMAL_PRECISION = 38;

/**
 * Jackson's number type of an integer as Spark's JsonInferSchema maps it: INT or LONG →
 * bigint; BIG_INTEGER → decimal(digits, 0) up to 38 digits, else double.
 */
function integralType(text: string): DataType {
  if (text.length <= 18) return LongType;
  const value = BigInt(text);
  if (BigInt.asIntN(64, value) === value) return LongType;
  const digits = text.replace(/^[+-]?0*/, "").length;
  return digits <= MAX_DECIMAL_PRECISION ? DecimalType(digits, 0) : DoubleType;
}

/** prefersDecimal: decimal(p, s) of the number as written, double past 38 digits (or for NaN, Infinity). */
function fractionalDecimal(text: string): DataType {
  const shape = decimalShape(text);
  return shape === null || shape.precision > MAX_DECIMAL_PRECISION ? DoubleType : DecimalType(shape.precision, shape.scale);
}

/** Spark's DecimalPrecision.widerDecimalType, double past 38 digits (JsonInferSchema.compatibleType). */
function widerDecimal(a: DataType, b: DataType): DataType {
  const x = a.kind === "decimal" ? a : { precision: 20, scale: 0 };
  const y = b.kind === "decimal" ? b : { precision: 20, scale: 0 };
  const scale = Math.max(x.scale, y.scale);
  const range = Math.max(x.precision - x.scale, y.precision - y.scale);
  return range + scale > MAX_DECIMAL_PRECISION ? DoubleType : DecimalType(range + scale, scale);
}

function structOf(fields: Map<string, DataType>): StructType {
  const list: StructField[] = [...fields].map(([name, dataType]) => ({ name, dataType, nullable: true }));
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return new StructType(list);
}

/** Spark's compatibleType for JSON inference. */
export function mergeTypes(a: DataType, b: DataType): DataType {
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (a.kind === "struct" && b.kind === "struct") {
    const fields = new Map<string, DataType>();
    for (const f of a.fields) fields.set(f.name, f.dataType);
    for (const f of b.fields) {
      const before = fields.get(f.name);
      fields.set(f.name, before === undefined ? f.dataType : mergeTypes(before, f.dataType));
    }
    return structOf(fields);
  }
  if (a.kind === "array" && b.kind === "array") return ArrayType(mergeTypes(a.elementType, b.elementType));
  if (a.kind === "decimal" && b.kind === "decimal") return widerDecimal(a, b);
  if ((a.kind === "decimal" && b.kind === "long") || (a.kind === "long" && b.kind === "decimal")) return widerDecimal(a, b);
  if ((a.kind === "decimal" && b.kind === "double") || (a.kind === "double" && b.kind === "decimal")) return DoubleType;
  if (a.kind === b.kind && a.kind !== "map") return a;
  if ((a.kind === "long" || a.kind === "double") && (b.kind === "long" || b.kind === "double")) return DoubleType;
  return StringType;
}

/** Types nothing decided (null everywhere, empty arrays) become string. */
function finish(t: DataType): DataType {
  switch (t.kind) {
    case "null": return StringType;
    case "array": return ArrayType(finish(t.elementType));
    case "struct": return new StructType(t.fields.map((f) => ({ ...f, dataType: finish(f.dataType) })));
    default: return t;
  }
}

/**
 * No files to infer a schema from: Spark's words, then where rivulet looked and how to give
 * the schema — with spark.read for a batch read, spark.readStream for a stream.
 */
export function noSchemaError(format: string, path: string, batch: boolean): ConnectorError {
  const name = format.toLowerCase() === "parquet" ? "Parquet" : format.toUpperCase();
  const reader = batch ? "spark.read" : "spark.readStream";
  return new ConnectorError(
    `[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for ${name}. It must be specified manually. ` +
      `(no input files at ${path}; e.g. ${reader}.schema("time TIMESTAMP, action STRING").${format.toLowerCase()}(path))`,
  );
}
