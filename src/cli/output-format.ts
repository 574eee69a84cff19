import type { DataFrame } from "../api/dataset.ts";
import type { LocalDataset } from "../api/local/local-dataset.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { jsonValue } from "../columnar/json-encoding.ts";
import { formatCell, formatDouble, formatFloat } from "../columnar/show-string.ts";
import { temporalTextOf, type TemporalText } from "../columnar/temporal-text.ts";
import { valueAt } from "../columnar/vector.ts";
import { ConfKeys } from "../common/config.ts";
import { zoneRules } from "../common/time-zone.ts";
import { encodeJsonLines } from "../connectors/sinks/json-writer.ts";
import type { DataType } from "../types/data-types.ts";

export const OUTPUT_FORMATS = ["table", "json", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * A batch DataFrame's rows in a format: `table` as Spark's show() (untruncated, up to
 * `maxRows`); `json` one object per line exactly as Spark's JSON writer (the json sink's
 * encoder: decimals as 1.50, BIGINT as a number, null fields left out, timestamps in the
 * session time zone); `csv` with a header line, as Spark's CSV writer writes values (null an
 * empty field, the empty string `""`), nested values as JSON.
 */
export async function formatResult(df: DataFrame, format: OutputFormat, maxRows: number): Promise<string> {
  if (format === "table") return (await df.showString(maxRows, false)).replace(/\n*$/, "\n");
  const text = temporalTextOf({}, zoneRules(df.sparkSession.conf.get(ConfKeys.sessionTimeZone) ?? "UTC"));
  const batch = await (df.limit(maxRows) as LocalDataset<unknown>).executeToBatch("collect");
  if (format === "json") return encodeJsonLines(batch, text);
  return csvLines(batch, text);
}

function csvLines(batch: ColumnBatch, text: TemporalText): string {
  const fields = batch.schema.fields;
  let out = fields.map((f) => csvQuote(f.name)).join(",") + "\n";
  for (let i = 0; i < batch.numRows; i++) {
    out += fields.map((f, k) => {
      const v = valueAt(batch.columns[k]!, i);
      return v === null || v === undefined ? "" : csvQuote(csvText(v, f.dataType, text));
    }).join(",") + "\n";
  }
  return out;
}

/** A value as Spark's CSV writer prints it; a nested one (which that writer refuses) as JSON. */
function csvText(v: unknown, type: DataType, text: TemporalText): string {
  switch (type.kind) {
    case "string": return v as string;
    case "timestamp": return text.timestamp(v as number);
    case "timestamp_ntz": return text.timestampNtz(v as number);
    case "date": return text.date(v as number);
    case "double": return formatDouble(v as number);
    case "float": return formatFloat(v as number);
    case "binary": return Buffer.from(v as Uint8Array).toString("base64");
    case "interval": case "interval_dt": case "interval_ym": return formatCell(v, type);
    default: return jsonValue(v, type, text);
  }
}

/**
 * RFC 4180: quoted when it holds a comma, a quote or a line break; the empty string as `""`
 * (so that it differs from null, as Spark writes it); leading or trailing spaces are quoted
 * rather than trimmed, so that nothing printed is lost.
 */
function csvQuote(text: string): string {
  return text === "" || /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
