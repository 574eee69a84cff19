import { formatDate, formatTimestampIso } from "../../columnar/temporal.ts";
import type { DataType } from "../../types/data-types.ts";
import { jsonValue } from "../sinks/json-writer.ts";

/**
 * A column value as a stream entry field: strings as they are, numbers and booleans as
 * Spark casts them to STRING (INT 7 → "7"), timestamps ISO-8601 in UTC, dates
 * yyyy-MM-dd, binary as its bytes, structs, arrays and maps as JSON.
 */
export function fieldValue(value: unknown, type: DataType): string | Buffer {
  switch (type.kind) {
    case "string": return value as string;
    case "timestamp": return formatTimestampIso(value as number);
    case "date": return formatDate(value as number);
    case "binary": return Buffer.from(value as Uint8Array);
    case "struct": case "array": case "map": return jsonValue(value, type);
    case "long": return Number.isSafeInteger(value) ? String(value) : BigInt(Math.trunc(value as number)).toString();
    default: return String(value);
  }
}
