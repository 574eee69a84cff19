import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { readFile } from "node:fs/promises";
import * as arrow from "apache-arrow";
import { dataToVec } from "../../columnar/arrow-convert.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { Vec } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import { typeName, type StructType } from "../../types/data-types.ts";
import { parquetWasm } from "./parquet-library.ts";
import { canReadAs, sparkSchemaOfParquet, sparkTypeOfParquet } from "./parquet-types.ts";

const MAGIC = "PAR1";
/** The fixed tail of a Parquet file: the footer's length (4 bytes, little-endian) and the magic. */
const TAIL = 8;

function cannotReadFooter(path: string, reason: string): ConnectorError {
  return new ConnectorError(`[CANNOT_READ_FILE_FOOTER] Could not read footer for file: ${path}. Please ensure that the file is in either ORC or Parquet format. If not, please convert it to a valid format. If the file is in the valid format, please check if it is corrupt. (${reason})`);
}

function failedRead(path: string, cause: unknown): ConnectorError {
  return new ConnectorError(`[FAILED_READ_FILE.NO_HINT] Encountered error while reading file ${path}: ${(cause as Error).message ?? String(cause)}`, { cause });
}

/** Where the footer starts and the magic check, on the file's last 8 bytes. */
function footerLength(tail: Uint8Array, size: number, path: string): number {
  if (size < 12 || Buffer.from(tail.subarray(4, 8)).toString("latin1") !== MAGIC) {
    throw cannotReadFooter(path, `${path} is not a Parquet file: expected magic number ${MAGIC} at its tail`);
  }
  const length = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (length + TAIL + 4 > size) throw cannotReadFooter(path, `footer length ${length} does not fit a file of ${size} bytes`);
  return length;
}

/**
 * The Spark schema in a Parquet file's footer: only the footer is read (Spark's schema
 * inference reads footers, never data pages).
 */
export function readParquetSchema(path: string): StructType {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const tail = new Uint8Array(TAIL);
    readSync(fd, tail, 0, TAIL, Math.max(0, size - TAIL));
    const length = footerLength(tail, size, path);
    const footer = new Uint8Array(length + TAIL);
    readSync(fd, footer, 0, footer.length, size - footer.length);
    let ipc: Uint8Array;
    try {
      ipc = parquetWasm().readSchema(footer).intoIPCStream();
    } catch (e) {
      throw cannotReadFooter(path, (e as Error).message ?? String(e));
    }
    return sparkSchemaOfParquet(arrow.tableFromIPC(ipc).schema);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a Parquet file into batches of `schema` (the columns wanted, in order). A column
 * the file lacks is null (as in Spark); one of another type is read if Spark would widen
 * it (int into bigint, float into double, a decimal into a wider one), else the read
 * fails naming the file and the column.
 */
export async function readParquetFile(path: string, schema: StructType, batchRows: number): Promise<ColumnBatch[]> {
  const bytes = new Uint8Array(await readFile(path));
  footerLength(bytes.subarray(bytes.length - TAIL), bytes.length, path);
  const fileSchema = readSchemaOf(bytes, path);
  const byName = new Map(fileSchema.fields.map((f, i) => [f.name.toLowerCase(), i]));
  const found = schema.fields.map((f) => byName.get(f.name.toLowerCase()));
  for (const [k, index] of found.entries()) {
    if (index === undefined) continue;
    const want = schema.fields[k]!;
    const has = sparkTypeOfParquet(fileSchema.fields[index]!.type);
    if (!canReadAs(has, want.dataType)) {
      throw new ConnectorError(`[FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH] Error while reading file ${path}. Data type mismatches when reading Parquet column \`${want.name}\`. Expected Spark type "${typeName(want.dataType).toUpperCase()}", actual Parquet type "${typeName(has).toUpperCase()}".`);
    }
  }
  const columns = [...new Set(found.filter((i): i is number => i !== undefined).map((i) => fileSchema.fields[i]!.name))];
  let table: arrow.Table;
  try {
    // Only the columns wanted are decoded; none wanted (count(*)) still needs the row count.
    const options = columns.length > 0 ? { batchSize: batchRows, columns } : { batchSize: batchRows };
    table = arrow.tableFromIPC(parquetWasm().readParquet(bytes, options).intoIPCStream());
  } catch (e) {
    throw failedRead(path, e);
  }
  return table.batches.map((rb) => {
    const vecs = schema.fields.map((f, k): Vec => {
      const index = found[k];
      const data = index === undefined ? undefined : rb.getChild(fileSchema.fields[index]!.name)?.data[0];
      if (data === undefined) return nullVec(f.dataType, rb.numRows);
      return dataToVec(microsecondTimestamps(data), f.dataType);
    });
    return new ColumnBatch(schema, vecs, rb.numRows);
  });
}

function readSchemaOf(bytes: Uint8Array, path: string): arrow.Schema {
  const size = bytes.length;
  const length = footerLength(bytes.subarray(size - TAIL), size, path);
  try {
    return arrow.tableFromIPC(parquetWasm().readSchema(bytes.subarray(size - TAIL - length)).intoIPCStream()).schema;
  } catch (e) {
    throw cannotReadFooter(path, (e as Error).message ?? String(e));
  }
}

function nullVec(type: import("../../types/data-types.ts").DataType, n: number): Vec {
  const b = new VecBuilder(type, n);
  for (let i = 0; i < n; i++) b.appendNull();
  return b.finish();
}

/**
 * INT96 (and any nanosecond) timestamps as microseconds, rounded down as Spark truncates
 * them; exact, through 64-bit integers (a double cannot hold nanoseconds since 1970).
 */
function microsecondTimestamps(data: arrow.Data): arrow.Data {
  const type = data.type;
  if (!(type instanceof arrow.Timestamp) || type.unit !== arrow.TimeUnit.NANOSECOND) return data;
  const src = data.values as BigInt64Array;
  const out = new BigInt64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const ns = src[i]!;
    const us = ns / 1000n;
    out[i] = ns < 0n && us * 1000n !== ns ? us - 1n : us;
  }
  return arrow.makeData({
    type: new arrow.TimestampMicrosecond(type.timezone), length: data.length, nullCount: data.nullCount,
    nullBitmap: data.nullBitmap, data: out, offset: 0,
  } as never);
}
