import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import { temporalTextOf } from "../../columnar/temporal-text.ts";
import { UTC, type ZoneRules } from "../../common/time-zone.ts";
import { encodeParquet, parquetCompressionOf, parquetExtension } from "../parquet/parquet-writer.ts";
import { checkCsvSchema, encodeCsv } from "./csv-writer.ts";
import { encodeJsonLines } from "./json-writer.ts";
import { booleanOption, getOption } from "./sink-input.ts";

/** The formats rivulet writes files in (streaming file sink and `df.write`). */
export type FileSinkFormat = "json" | "csv" | "parquet";

export const FILE_SINK_FORMATS: readonly FileSinkFormat[] = ["json", "csv", "parquet"];

/** Turns one part file's rows into its content. */
export interface FileEncoder {
  /** The part file's extension, as Spark names it (`.json`, `.csv`, `.snappy.parquet`). */
  readonly extension: string;
  encode(batches: readonly ColumnBatch[]): string | Uint8Array;
}

/**
 * The encoder of a format with its writer options (csv: sep, header; json and csv:
 * timestampFormat, dateFormat, timeZone — by default the session's; parquet: compression);
 * option and schema errors surface here, before anything is written.
 */
export function fileEncoderOf(format: FileSinkFormat, options: Readonly<Record<string, string>>, schema: StructType, sessionZone: ZoneRules = UTC): FileEncoder {
  switch (format) {
    case "json": {
      const text = temporalTextOf(options, sessionZone);
      return { extension: ".json", encode: (batches) => batches.map((b) => encodeJsonLines(b, text)).join("") };
    }
    case "csv": {
      checkCsvSchema(schema);
      const sep = getOption(options, "sep") ?? getOption(options, "delimiter") ?? ",";
      if (sep.length === 0) throw new ConnectorError("csv sink: option 'sep' must not be empty");
      const header = booleanOption(options, "header", false, "csv sink");
      const temporalText = temporalTextOf(options, sessionZone);
      // The header once per file, above the first batch's rows.
      return { extension: ".csv", encode: (batches) => batches.map((b, i) => encodeCsv(b, { sep, header: header && i === 0, temporalText })).join("") };
    }
    case "parquet": {
      const compression = parquetCompressionOf(getOption(options, "compression") ?? getOption(options, "parquet.compression"));
      encodeParquet(schema, [], compression); // fails now on a type Parquet cannot hold
      return { extension: parquetExtension(compression), encode: (batches) => encodeParquet(schema, batches, compression) };
    }
  }
}
