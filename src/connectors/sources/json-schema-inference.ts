import { ConnectorError } from "../../common/errors.ts";
import type { DataType, StructField } from "../../types/data-types.ts";
import { ArrayType, BooleanType, DoubleType, LongType, NullType, StringType, StructType } from "../../types/data-types.ts";
import { JsonCursor, JsonSyntaxError } from "./json-cursor.ts";
import { forEachByteLine, forEachLineBlockSync } from "./line-chunks.ts";
import type { MalformedRecords } from "./parse-mode.ts";

const LBRACE = 123, LBRACKET = 91;

/**
 * Spark's JSON schema inference: the union of the fields of all records, names sorted,
 * integers → long, other numbers → double, objects → struct, arrays → array, and
 * string where two records disagree. Values that are null everywhere become string.
 * Malformed lines follow the parse mode; in PERMISSIVE mode they add the corrupt-record
 * column, as in Spark.
 */
export function inferJsonSchema(files: readonly string[], malformed: MalformedRecords, corruptRecordColumn: string): StructType {
  const cursor = new JsonCursor();
  let merged: DataType = new StructType([]);
  let sawMalformed = false;
  for (const path of files) {
    let line = 1;
    forEachLineBlockSync(path, (block, blockStart, blockEnd) => {
      cursor.beginText(block);
      line += forEachByteLine(block, blockStart, blockEnd, line, (b, start, end, lineNo) => {
        cursor.reset(start, end);
        if (cursor.skipWs() === -1) return;
        try {
          if (b[cursor.pos] !== LBRACE) cursor.fail("expected '{'");
          const type = inferValue(cursor);
          if (cursor.skipWs() !== -1) cursor.fail("unexpected text after the record");
          merged = mergeTypes(merged, type);
        } catch (e) {
          if (!(e instanceof JsonSyntaxError)) throw e;
          if (malformed.report(path, lineNo, `invalid JSON: ${e.message}`)) sawMalformed = true;
        }
      });
    });
  }
  const schema = finish(merged) as StructType;
  if (sawMalformed && schema.fieldIndex(corruptRecordColumn) < 0) {
    return new StructType([...schema.fields, { name: corruptRecordColumn, dataType: StringType, nullable: true }]);
  }
  return schema;
}

function inferValue(cur: JsonCursor): DataType {
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
      const t = inferValue(cur);
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
      element = mergeTypes(element, inferValue(cur));
      const next = cur.skipWs();
      cur.pos++;
      if (next === 93) break;
      if (next !== 44) { cur.pos--; cur.fail("expected ',' or ']'"); }
    }
    return ArrayType(element);
  }
  if (cur.tryWord("true") || cur.tryWord("false")) return BooleanType;
  if (cur.tryWord("null")) return NullType;
  if (cur.scanNumber()) return cur.integral ? LongType : DoubleType;
  return cur.fail("expected a value");
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
