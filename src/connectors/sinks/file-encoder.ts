import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import { temporalTextOf } from "../../columnar/temporal-text.ts";
import { UTC, type ZoneRules } from "../../common/time-zone.ts";
import { encodeParquet, parquetCompressionOf, parquetExtension } from "../parquet/parquet-writer.ts";
import { checkCsvSchema, csvWriteOptionsOf, encodeCsv } from "./csv-writer.ts";
import { compressionExtension, compressText, textCompressionOf } from "./text-compression.ts";
import { encodeJsonLines } from "./json-writer.ts";
import { checkTextSchema, encodeTextLines } from "./text-writer.ts";
import { booleanOption, getOption } from "./sink-input.ts";

/** The formats rivulet writes files in (streaming file sink and `df.write`). */
export type FileSinkFormat = "json" | "csv" | "parquet" | "text";

export const FILE_SINK_FORMATS: readonly FileSinkFormat[] = ["json", "csv", "parquet", "text"];

/** Turns one part file's rows into its content. */
export interface FileEncoder {
  /** The part file's extension, as Spark names it (`.json`, `.csv`, `.snappy.parquet`). */
  readonly extension: string;
  encode(batches: readonly ColumnBatch[]): string | Uint8Array;
}

/**
 * The encoder of a format with its writer options (csv: Spark's CSV writer options; json:
 * ignoreNullFields (default: `ignoreNullFieldsDefault`, the session's), lineSep; json and csv: timestampFormat, dateFormat, timeZone — by
 * default the session's —, compression; parquet: compression);
 * option and schema errors surface here, before anything is written.
 */
export function fileEncoderOf(format: FileSinkFormat, options: Readonly<Record<string, string>>, schema: StructType, sessionZone: ZoneRules = UTC, ignoreNullFieldsDefault = true): FileEncoder {
  switch (format) {
    case "json": {
      const text = temporalTextOf(options, sessionZone);
      // The option, else the session's spark.sql.jsonGenerator.ignoreNullFields.
      const ignoreNullFields = booleanOption(options, "ignoreNullFields", ignoreNullFieldsDefault, "json sink");
      const lineSep = getOption(options, "lineSep") ?? "\n";
      if (lineSep === "") throw new ConnectorError("json sink: 'lineSep' cannot be an empty string.");
      const compression = textCompressionOf(options, "json");
      return {
        extension: `.json${compressionExtension(compression)}`,
        encode: (batches) => compressText(batches.map((b) => encodeJsonLines(b, text, ignoreNullFields, lineSep)).join(""), compression),
      };
    }
    case "csv": {
      checkCsvSchema(schema);
      const csv = csvWriteOptionsOf(options, temporalTextOf(options, sessionZone));
      const compression = textCompressionOf(options, "csv");
      // The header once per file, above the first batch's rows.
      return {
        extension: `.csv${compressionExtension(compression)}`,
        encode: (batches) => compressText(batches.map((b, i) => encodeCsv(b, { ...csv, header: csv.header && i === 0 })).join(""), compression),
      };
    }
    case "text": {
      checkTextSchema(schema);
      const lineSep = getOption(options, "lineSep") ?? "\n";
      const compression = textCompressionOf(options, "text");
      return {
        extension: `.txt${compressionExtension(compression)}`,
        encode: (batches) => compressText(batches.map((b) => encodeTextLines(b, lineSep)).join(""), compression),
      };
    }
    case "parquet": {
      const compression = parquetCompressionOf(getOption(options, "compression") ?? getOption(options, "parquet.compression"));
      encodeParquet(schema, [], compression); // fails now on a type Parquet cannot hold
      return { extension: parquetExtension(compression), encode: (batches) => encodeParquet(schema, batches, compression) };
    }
  }
}
