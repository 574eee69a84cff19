import { formatDecimal } from "../../columnar/decimal-values.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { formatDouble, formatFloat, formatLong } from "../../columnar/show-string.ts";
import { valueAt } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import { typeName } from "../../types/data-types.ts";
import type { TemporalText } from "../../columnar/temporal-text.ts";

export interface CsvWriteOptions {
  /** Field separator (Spark's `sep`, ","). */
  readonly sep: string;
  /** Write the column names as the first line of each file (Spark's `header`, false). */
  readonly header: boolean;
  /** Dates and timestamps as text (Spark's dateFormat, timestampFormat, timeZone options). */
  readonly temporalText: TemporalText;
}

/**
 * Rows as CSV (RFC 4180): a field is quoted when it holds the separator, a quote or a
 * line break, and quotes inside are doubled. Null is an empty field, the empty string
 * `""` (as Spark writes them); timestamps `2026-01-01T10:00:00.000Z` in UTC (the session
 * time zone's offset otherwise), dates `yyyy-MM-dd`.
 */
export function encodeCsv(batch: ColumnBatch, options: CsvWriteOptions): string {
  const fields = batch.schema.fields;
  let out = options.header ? fields.map((f) => quote(f.name, options.sep)).join(options.sep) + "\n" : "";
  for (let i = 0; i < batch.numRows; i++) {
    const cells = new Array<string>(fields.length);
    for (let k = 0; k < fields.length; k++) {
      const v = valueAt(batch.columns[k]!, i);
      cells[k] = v === null || v === undefined ? "" : quote(csvText(v, fields[k]!.dataType, options.temporalText), options.sep);
    }
    out += cells.join(options.sep) + "\n";
  }
  return out;
}

/** Spark's CSV source supports only atomic types; nested ones fail when the query starts. */
export function checkCsvSchema(schema: StructType): void {
  for (const f of schema.fields) {
    const k = f.dataType.kind;
    if (k === "struct" || k === "array" || k === "map") {
      throw new ConnectorError(`CSV data source does not support ${typeName(f.dataType)} data type (column ${f.name}); use to_json() or the json format`);
    }
  }
}

function csvText(value: unknown, type: DataType, text: TemporalText): string {
  switch (type.kind) {
    case "string": return value as string;
    case "boolean": return value ? "true" : "false";
    case "long": return formatLong(value as number);
    case "double": return formatDouble(value as number);
    case "float": return formatFloat(value as number);
    case "decimal": return formatDecimal(value as bigint, type.scale);
    case "timestamp": return text.timestamp(value as number);
    case "timestamp_ntz": return text.timestampNtz(value as number);
    case "date": return text.date(value as number);
    case "binary": return Buffer.from(value as Uint8Array).toString("base64");
    default: return String(value);
  }
}

function quote(text: string, sep: string): string {
  if (text === "") return "\"\"";
  if (!text.includes(sep) && !/["\r\n]/.test(text)) return text;
  return `"${text.replace(/"/g, "\"\"")}"`;
}
