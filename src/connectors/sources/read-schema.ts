import type { StructField } from "../../types/data-types.ts";
import { StructType } from "../../types/data-types.ts";

/**
 * The schema a read produces: the requested columns (ReadRequest.columns, matched
 * exactly, then case-insensitively) in schema order, or the whole schema.
 */
export function readSchemaOf(schema: StructType, columns: readonly string[] | undefined): StructType {
  if (columns === undefined) return schema;
  const wanted = new Set(columns);
  const wantedLower = new Set(columns.map((c) => c.toLowerCase()));
  const keep: StructField[] = schema.fields.filter((f) => wanted.has(f.name));
  if (keep.length < columns.length) {
    for (const f of schema.fields) {
      if (!keep.includes(f) && wantedLower.has(f.name.toLowerCase())) keep.push(f);
    }
    keep.sort((a, b) => schema.fields.indexOf(a) - schema.fields.indexOf(b));
  }
  return new StructType(keep);
}

