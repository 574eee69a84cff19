import { UTC_TEMPORAL_TEXT, type TemporalText } from "./temporal-text.ts";
import { formatCell, formatDouble, formatFloat, formatLong } from "./show-string.ts";
import { formatDecimal } from "./decimal-values.ts";
import { assertNever } from "../common/errors.ts";
import type { DataType } from "../types/data-types.ts";

/*
 * Values as JSON text, as Spark's JSON writer (Jackson, default options) writes them: the
 * JSON sink, to_json and the bus sinks share it. Reading JSON back into values is
 * json-decoding.ts.
 */

/** One value as JSON text, as the JSON sink writes it; dates and timestamps as `text` formats them. */
export function jsonValue(value: unknown, type: DataType, text: TemporalText = UTC_TEMPORAL_TEXT): string {
  if (value === null || value === undefined) return "null";
  switch (type.kind) {
    case "null": return "null";
    case "string": return jsonString(value as string);
    case "boolean": return value ? "true" : "false";
    case "byte": case "short": case "int": return String(value);
    case "long": return formatLong(value as number);
    case "decimal": return formatDecimal(value as bigint, type.scale);
    case "float": case "double": {
      // Jackson quotes the non-numeric doubles (QUOTE_NON_NUMERIC_NUMBERS).
      const text = type.kind === "float" ? formatFloat(value as number) : formatDouble(value as number);
      return Number.isFinite(value) ? text : `"${text}"`;
    }
    case "timestamp": return jsonString(text.timestamp(value as number));
    case "date": return jsonString(text.date(value as number));
    case "timestamp_ntz": return jsonString(text.timestampNtz(value as number));
    case "interval_dt": case "interval_ym": case "interval": return jsonString(formatCell(value, type));
    case "binary": return `"${Buffer.from(value as Uint8Array).toString("base64")}"`;
    case "struct": {
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const f of type.fields) {
        const v = obj[f.name];
        if (v !== null && v !== undefined) parts.push(`${jsonString(f.name)}:${jsonValue(v, f.dataType, text)}`);
      }
      return `{${parts.join(",")}}`;
    }
    case "array": return `[${(value as unknown[]).map((v) => jsonValue(v, type.elementType, text)).join(",")}]`;
    case "map": {
      const parts = [...(value as Map<unknown, unknown>)].map(([k, v]) => `${jsonString(mapKey(k, type.keyType, text))}:${jsonValue(v, type.valueType, text)}`);
      return `{${parts.join(",")}}`;
    }
    default: return assertNever(type, "data type");
  }
}

function mapKey(key: unknown, type: DataType, text: TemporalText): string {
  switch (type.kind) {
    case "string": return key as string;
    case "timestamp": return text.timestamp(key as number);
    case "date": return text.date(key as number);
    case "double": return formatDouble(key as number);
    case "float": return formatFloat(key as number);
    case "decimal": return formatDecimal(key as bigint, type.scale);
    case "long": return formatLong(key as number);
    default: return String(key);
  }
}

/** `2026-01-01T10:00:00.000Z`: Spark's default JSON/CSV timestamp format in UTC (milliseconds, floored). */
export function formatTimestampMillisIso(micros: number): string {
  return UTC_TEMPORAL_TEXT.timestamp(micros);
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: "\\\"", 0x5c: "\\\\", 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

/** A JSON string literal escaped as Jackson does (upper-case \u00XX for other control characters). */
export function jsonString(text: string): string {
  let out = "\"";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += text.slice(start, i) + (SHORT_ESCAPES[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`);
    start = i + 1;
  }
  return out + text.slice(start) + "\"";
}
