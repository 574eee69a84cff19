import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { jsonString, jsonValue } from "../../columnar/json-encoding.ts";
import { valueAt } from "../../columnar/vector.ts";
import { UTC_TEMPORAL_TEXT, type TemporalText } from "../../columnar/temporal-text.ts";

/**
 * Rows as Spark's JSON writer writes them (JacksonGenerator with default options): one
 * object per line (lineSep), null fields left out (ignoreNullFields=false writes them), timestamps `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in
 * the session time zone (or the writer's timestampFormat/timeZone options: `text`), dates
 * `yyyy-MM-dd`, doubles as Java prints them, binary as base64.
 */
export function encodeJsonLines(batch: ColumnBatch, text: TemporalText = UTC_TEMPORAL_TEXT, ignoreNullFields = true, lineSep = "\n"): string {
  const fields = batch.schema.fields;
  let out = "";
  for (let i = 0; i < batch.numRows; i++) {
    let line = "{";
    let first = true;
    for (let k = 0; k < fields.length; k++) {
      const v = valueAt(batch.columns[k]!, i);
      if (v === null || v === undefined) {
        if (ignoreNullFields) continue;
        line += `${first ? "" : ","}${jsonString(fields[k]!.name)}:null`;
      } else line += `${first ? "" : ","}${jsonString(fields[k]!.name)}:${jsonValue(v, fields[k]!.dataType, text)}`;
      first = false;
    }
    out += line + "}" + lineSep;
  }
  return out;
}
