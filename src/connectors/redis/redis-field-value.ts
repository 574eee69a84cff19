import { formatDecimal } from "../../columnar/decimal-values.ts";
import { formatDouble, formatFloat, formatLong } from "../../columnar/show-string.ts";
import { formatDate, formatTimestampIso } from "../../columnar/temporal.ts";
import type { DataType } from "../../types/data-types.ts";
import { formatTimestampMillisIso, jsonValue } from "../../columnar/json-encoding.ts";

/**
 * A column value as a stream entry field: strings as they are, numbers and booleans as
 * Spark casts them to STRING (INT 7 → "7", DOUBLE 4 → "4.0"), timestamps ISO-8601 in UTC, dates
 * yyyy-MM-dd, binary as its bytes, structs, arrays and maps as JSON.
 */
export function fieldValue(value: unknown, type: DataType): string | Buffer {
  switch (type.kind) {
    case "string": return value as string;
    // Milliseconds always (as JavaScript's toISOString), microseconds when there are any.
    case "timestamp": return (value as number) % 1000 === 0 ? formatTimestampMillisIso(value as number) : formatTimestampIso(value as number);
    case "date": return formatDate(value as number);
    case "binary": return Buffer.from(value as Uint8Array);
    case "struct": case "array": case "map": return jsonValue(value, type);
    case "long": return formatLong(value as number);
    case "double": return formatDouble(value as number);
    case "float": return formatFloat(value as number);
    case "decimal": return formatDecimal(value as bigint, type.scale);
    default: return String(value);
  }
}
