import { tableToIPC } from "apache-arrow";
import { toArrowTable } from "../../columnar/arrow-convert.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import { parquetWasm } from "./parquet-library.ts";
import { checkParquetSchema } from "./parquet-types.ts";

/** Spark's `compression` option values for Parquet and parquet-wasm's codec for each. */
const CODECS = {
  none: "UNCOMPRESSED", uncompressed: "UNCOMPRESSED", snappy: "SNAPPY", gzip: "GZIP",
  brotli: "BROTLI", lz4: "LZ4_RAW", lz4_raw: "LZ4_RAW", zstd: "ZSTD",
} as const;
export type ParquetCompression = keyof typeof CODECS;

/** The codec of Spark's `compression` option (default snappy, as `spark.sql.parquet.compression.codec`). */
export function parquetCompressionOf(text: string | undefined): ParquetCompression {
  const name = (text ?? "snappy").trim().toLowerCase();
  if (!(name in CODECS)) {
    throw new ConnectorError(`[CODEC_NOT_AVAILABLE.WITH_AVAILABLE_CODECS_SUGGESTION] The codec ${text} is not available. Available codecs are ${Object.keys(CODECS).join(", ")}.`);
  }
  return name as ParquetCompression;
}

/** The part-file extension Spark gives a codec (`.snappy.parquet`, `.parquet` uncompressed). */
export function parquetExtension(compression: ParquetCompression): string {
  const codec = CODECS[compression];
  if (codec === "UNCOMPRESSED") return ".parquet";
  if (codec === "LZ4_RAW") return ".lz4raw.parquet";
  return `.${codec.toLowerCase()}.parquet`;
}

/**
 * Rows as one Parquet file (its bytes), through Arrow: INT64 for BIGINT, DECIMAL in
 * INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision, TIMESTAMP(MICROS, isAdjustedToUTC) for
 * TIMESTAMP and TIMESTAMP(MICROS, not adjusted) for TIMESTAMP_NTZ, as Spark 3.4+ writes
 * them. A file of no rows still holds the schema.
 */
export function encodeParquet(schema: StructType, batches: readonly ColumnBatch[], compression: ParquetCompression = "snappy"): Uint8Array {
  checkParquetSchema(schema);
  const pw = parquetWasm();
  const ipc = tableToIPC(toArrowTable(schema, batches), "stream");
  const properties = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[CODECS[compression]])
    .setCreatedBy("rivulet (parquet-rs via parquet-wasm)")
    .build();
  return pw.writeParquet(pw.Table.fromIPCStream(ipc), properties);
}
