import type { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import { formatCell } from "../../../src/columnar/show-string.ts";
import { valueAt } from "../../../src/columnar/vector.ts";
import type { ZoneRules } from "../../../src/common/time-zone.ts";
import type { DataType } from "../../../src/types/data-types.ts";

/**
 * Result rows as Spark's golden files print them (HiveResult): columns separated by a tab,
 * a top-level null as `NULL`, strings bare; inside structs, arrays and maps, strings quoted and
 * nulls as `null` (`{"a":1,"b":"x"}`, `[1,null]`, `{"k":2}`). Atomic values otherwise print
 * as `show()` prints them (a cast to string: `1.0`, `2026-01-01 10:00:00`).
 */
export function goldenRows(batch: ColumnBatch, zone: ZoneRules): string[] {
  const rows: string[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    rows.push(batch.schema.fields.map((f, k) => topLevel(valueAt(batch.columns[k]!, i), f.dataType, zone)).join("\t"));
  }
  return rows;
}

function topLevel(value: unknown, type: DataType, zone: ZoneRules): string {
  if (value === null || value === undefined) return "NULL";
  if (type.kind === "string") return value as string;
  return nested(value, type, zone);
}

function nested(value: unknown, type: DataType, zone: ZoneRules): string {
  if (value === null || value === undefined) return "null";
  switch (type.kind) {
    case "string": return `"${value as string}"`;
    case "struct": {
      const obj = value as Record<string, unknown>;
      return `{${type.fields.map((f) => `"${f.name}":${nested(obj[f.name], f.dataType, zone)}`).join(",")}}`;
    }
    case "array": return `[${(value as unknown[]).map((v) => nested(v, type.elementType, zone)).join(",")}]`;
    case "map": return `{${[...(value as Map<unknown, unknown>)].map(([k, v]) => `${nested(k, type.keyType, zone)}:${nested(v, type.valueType, zone)}`).join(",")}}`;
    default: return formatCell(value, type, zone);
  }
}
