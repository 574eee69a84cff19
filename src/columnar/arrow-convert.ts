import * as arrow from "apache-arrow";
import { assertNever } from "../common/errors.ts";
import type { DataType, MapType, StructType } from "../types/data-types.ts";
import { fromArrowSchema, toArrowSchema, toArrowType } from "../types/arrow-types.ts";
import { ColumnBatch } from "./column-batch.ts";
import { dataToVec, rememberVec } from "./arrow-to-vec.ts";
import { VecBuilder } from "./vec-builder.ts";
import type { Vec } from "./vector.ts";
import { formatCalendarInterval, type CalendarInterval } from "./intervals.ts";
import { bigIntOfLong } from "./long-values.ts";

const TWO_32 = 4294967296;

// Converting a batch twice (an operator's output re-read) must not cost twice: remember
// each dictionary's Arrow vector (arrow-to-vec.ts remembers the other direction).
const dictVectors = new WeakMap<readonly string[], arrow.Vector<arrow.Utf8>>();

function packValidity(valid: Uint8Array | null, n: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  if (valid === null) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array(((n + 63) >> 6) << 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap: nulls === 0 ? undefined : bitmap, nullCount: nulls };
}

function int64FromNumbers(values: Float64Array | Int32Array, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const hi = Math.floor(v / TWO_32);
    words[2 * i] = v - hi * TWO_32;
    words[2 * i + 1] = hi;
  }
  return out;
}

/** What a string column's Data holds until its dictionary is first read (deferDictionary). */
const NOT_YET_BUILT = arrow.makeVector(utf8Data([]));

/**
 * Makes `data.dictionary` build `dict`'s Arrow vector when first read. A source's batches
 * are Arrow (DESIGN.md), but the engine reads them back as the Vecs they were made from
 * (rememberVec) and never looks at the dictionary: re-encoding each batch's strings to
 * UTF-8 would be work nobody uses. An Arrow consumer (IPC, toArrow, a sink) reads the
 * property and gets the same vector an eager conversion would have made.
 */
function deferDictionary(data: arrow.Data, dict: readonly string[]): void {
  const settle = (target: arrow.Data, value: arrow.Vector): void => {
    Object.defineProperty(target, "dictionary", { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(data, "dictionary", {
    enumerable: true, configurable: true,
    get(this: arrow.Data) {
      const v = dictionaryVector(dict);
      settle(this, v);
      return v;
    },
    set(this: arrow.Data, value: arrow.Vector) {
      settle(this, value);
    },
  });
}

/** A dictionary's Arrow vector, made once per list while the list keeps its length (some producers append to theirs). */
function builtDictionary(dict: readonly string[]): arrow.Vector<arrow.Utf8> | undefined {
  const v = dictVectors.get(dict);
  return v !== undefined && v.length === dict.length ? v : undefined;
}

function dictionaryVector(dict: readonly string[]): arrow.Vector<arrow.Utf8> {
  let v = builtDictionary(dict);
  if (!v) {
    v = arrow.makeVector(utf8Data(dict));
    dictVectors.set(dict, v);
  }
  return v;
}

/** Utf8 Data of non-null strings, offsets and bytes filled directly (Arrow's builders encode string by string, far slower). */
function utf8Data(strings: readonly string[]): arrow.Data<arrow.Utf8> {
  const n = strings.length;
  const offsets = new Int32Array(n + 1);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    bytes += Buffer.byteLength(strings[i]!, "utf8");
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  const writer = Buffer.from(data.buffer, 0, bytes);
  for (let i = 0; i < n; i++) writer.write(strings[i]!, offsets[i]!, "utf8");
  return arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data });
}

/** Vec → Arrow Data of `type`'s Arrow type. */
export function vecToData(vec: Vec, type: DataType, arrowType?: arrow.DataType): arrow.Data {
  const n = vec.length;
  const { bitmap, nullCount } = packValidity(vec.valid, n);
  const at = arrowType ?? toArrowType(type);
  let data: arrow.Data;
  switch (vec.kind) {
    case "num": {
      let values: Int32Array | Float64Array | BigInt64Array | Int8Array | Int16Array | Float32Array;
      if (type.kind === "int" || type.kind === "date" || type.kind === "interval_ym") values = vec.values instanceof Int32Array ? vec.values : Int32Array.from(vec.values);
      else if (type.kind === "double") values = vec.values instanceof Float64Array ? vec.values : Float64Array.from(vec.values);
      else if (type.kind === "byte") values = Int8Array.from(vec.values);
      else if (type.kind === "short") values = Int16Array.from(vec.values);
      else if (type.kind === "float") values = Float32Array.from(vec.values);
      else values = vec.exact !== undefined ? vec.exact.subarray(0, n) : int64FromNumbers(vec.values, n);
      data = arrow.makeData({ type: at as arrow.Int32, length: n, nullCount, nullBitmap: bitmap, data: values as Int32Array });
      break;
    }
    case "bool": {
      const bits = new Uint8Array(((n + 63) >> 6) << 3);
      for (let i = 0; i < n; i++) if (vec.values[i]) bits[i >> 3]! |= 1 << (i & 7);
      data = arrow.makeData({ type: at as arrow.Bool, length: n, nullCount, nullBitmap: bitmap, data: bits });
      break;
    }
    case "str": {
      const built = builtDictionary(vec.dict);
      data = arrow.makeData({
        type: at as arrow.Dictionary<arrow.Utf8, arrow.Int32>, length: n, nullCount, nullBitmap: bitmap,
        data: vec.codes, dictionary: built ?? NOT_YET_BUILT,
      });
      if (built === undefined) deferDictionary(data, vec.dict);
      break;
    }
    case "struct":
      data = arrow.makeData({
        type: at as arrow.Struct, length: n, nullCount, nullBitmap: bitmap,
        children: vec.children.map((c, k) => vecToData(c, vec.type.fields[k]!.dataType, (at as arrow.Struct).children[k]!.type)),
      });
      break;
    case "obj": {
      if (type.kind === "decimal") {
        data = arrow.makeData({ type: at as arrow.Decimal, length: n, nullCount, nullBitmap: bitmap, data: decimal128Words(vec.values, n) });
        break;
      }
      if (type.kind === "binary") {
        data = binaryData(vec.values as readonly (Uint8Array | null)[], n, at as arrow.Binary, bitmap, nullCount);
        break;
      }
      if (type.kind === "map") {
        data = mapData(vec.values as readonly (Map<unknown, unknown> | null)[], n, type, at as arrow.Map_, bitmap, nullCount);
        break;
      }
      const values = vec.values.map((v) => (v === null ? null : toArrowValue(v, type)));
      data = arrow.vectorFromArray(values, at).data[0]!;
      break;
    }
    default: return assertNever(vec, "vector");
  }
  rememberVec(data, vec);
  return data;
}

/** Binary Data with offsets and bytes copied in one pass (Arrow's builder grows its buffers value by value). */
function binaryData(values: readonly (Uint8Array | null)[], n: number, at: arrow.Binary, bitmap: Uint8Array | undefined, nullCount: number): arrow.Data {
  const offsets = new Int32Array(n + 1);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    bytes += values[i]?.length ?? 0;
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) data.set(v, offsets[i]!);
  }
  return arrow.makeData({ type: at, length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data });
}

/**
 * Map Data from its entries: the keys and values go through VecBuilders into child columns
 * (strings dictionary-encoded as everywhere), the rows become offsets into them.
 */
function mapData(values: readonly (Map<unknown, unknown> | null)[], n: number, type: MapType, at: arrow.Map_, bitmap: Uint8Array | undefined, nullCount: number): arrow.Data {
  const offsets = new Int32Array(n + 1);
  const keys = new VecBuilder(type.keyType);
  // String values (JSON documents, log lines) are mostly distinct: a dictionary entry per value
  // spares hashing each one; readers decode values, they never group on these codes.
  const strings: (string | null)[] | null = type.valueType.kind === "string" ? [] : null;
  const items = strings === null ? new VecBuilder(type.valueType) : null;
  for (let i = 0; i < n; i++) {
    const m = values[i];
    if (m) for (const [k, v] of m) { keys.append(k); if (strings !== null) strings.push(v as string | null); else items!.append(v); }
    offsets[i + 1] = keys.length;
  }
  const entriesType = at.children[0]!.type as arrow.Struct;
  const valueVec: Vec = strings === null ? items!.finish() : uniqueStrings(strings, type.valueType);
  const entries = arrow.makeData({
    type: entriesType, length: keys.length, nullCount: 0,
    children: [vecToData(keys.finish(), type.keyType, entriesType.children[0]!.type), vecToData(valueVec, type.valueType, entriesType.children[1]!.type)],
  });
  return arrow.makeData({ type: at, length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, child: entries });
}

/** A string column whose dictionary holds each row's value (code i for row i; a null row's entry is ""). */
function uniqueStrings(strings: readonly (string | null)[], type: DataType): Vec {
  const m = strings.length;
  const codes = new Int32Array(m);
  const dict = new Array<string>(m);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < m; i++) {
    const v = strings[i];
    codes[i] = i;
    if (v === null || v === undefined) {
      valid ??= new Uint8Array(m).fill(1);
      valid[i] = 0;
      dict[i] = "";
    } else dict[i] = v;
  }
  return { kind: "str", type, length: m, codes, dict, valid };
}

const MASK_32 = 0xffffffffn;

/** Unscaled bigints (null rows as 0) as Arrow Decimal128 storage: four little-endian 32-bit words per value, two's complement. */
function decimal128Words(values: readonly unknown[], n: number): Uint32Array {
  const words = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "bigint" || v === 0n) continue;
    const x = BigInt.asUintN(128, v);
    words[4 * i] = Number(x & MASK_32);
    words[4 * i + 1] = Number((x >> 32n) & MASK_32);
    words[4 * i + 2] = Number((x >> 64n) & MASK_32);
    words[4 * i + 3] = Number(x >> 96n);
  }
  return words;
}

/** JS value accepted by Arrow's builders for the slow-path types (binary, list, map). */
function toArrowValue(v: unknown, type: DataType): unknown {
  switch (type.kind) {
    case "timestamp": case "timestamp_ntz": return (v as number) / 1000;
    case "date": return new Date((v as number) * 86_400_000);
    case "interval": return formatCalendarInterval(v as CalendarInterval);
    case "long": return bigIntOfLong(v as number | bigint);
    // Nested decimals go through Arrow's builders, which take a value's Decimal128 words.
    case "decimal": return decimal128Words([v], 1);
    case "array": return (v as unknown[]).map((x) => (x === null ? null : toArrowValue(x, type.elementType)));
    case "map": return new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [toArrowValue(k, type.keyType), x === null ? null : toArrowValue(x, type.valueType)]));
    case "struct": {
      const out: Record<string, unknown> = {};
      for (const f of type.fields) { const x = (v as Record<string, unknown>)[f.name]; out[f.name] = x == null ? null : toArrowValue(x, f.dataType); }
      return out;
    }
    default: return v;
  }
}

// One Arrow schema per rivulet schema: batches of a table must share their types
// (dictionary types carry an id), so that they form one Table.
const arrowSchemas = new WeakMap<StructType, arrow.Schema>();

export function arrowSchemaOf(schema: StructType): arrow.Schema {
  let s = arrowSchemas.get(schema);
  if (!s) {
    s = toArrowSchema(schema);
    arrowSchemas.set(schema, s);
  }
  return s;
}

export { dataToVec };

export function toRecordBatch(batch: ColumnBatch): arrow.RecordBatch {
  const schema = arrowSchemaOf(batch.schema);
  const children = batch.columns.map((c, i) => vecToData(c, batch.schema.fields[i]!.dataType, schema.fields[i]!.type));
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
  return new arrow.RecordBatch(schema, struct);
}

export function fromRecordBatch(rb: arrow.RecordBatch, schema: StructType = fromArrowSchema(rb.schema)): ColumnBatch {
  const columns = schema.fields.map((f, i) => dataToVec(rb.data.children[i]!, f.dataType));
  return new ColumnBatch(schema, columns, rb.numRows);
}

export function toArrowTable(schema: StructType, batches: readonly ColumnBatch[]): arrow.Table {
  if (batches.length === 0) return new arrow.Table(arrowSchemaOf(schema));
  return new arrow.Table(batches.map((b) => toRecordBatch(b.schema === schema ? b : b.withSchema(schema))));
}


/**
 * An Arrow table for users (`toArrow()`): strings as plain Utf8, as Spark's Arrow
 * conversion gives them, rather than the engine's dictionary encoding.
 */
export function toPlainArrowTable(batch: ColumnBatch): arrow.Table {
  const fields = batch.schema.fields;
  const children = batch.columns.map((vec, i) => {
    const f = fields[i]!;
    if (vec.kind !== "str") return vecToData(vec, f.dataType);
    const values = new Array<string | null>(vec.length);
    for (let r = 0; r < vec.length; r++) values[r] = vec.valid !== null && vec.valid[r] === 0 ? null : vec.dict[vec.codes[r]!]!;
    return arrow.vectorFromArray(values, new arrow.Utf8()).data[0]!;
  });
  const schema = new arrow.Schema(children.map((d, i) => new arrow.Field(fields[i]!.name, d.type, fields[i]!.nullable)));
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
  return new arrow.Table([new arrow.RecordBatch(schema, struct)]);
}
