import { ColumnBatch } from "../../columnar/column-batch.ts";
import { formatCell } from "../../columnar/show-string.ts";
import { valueAt } from "../../columnar/vector.ts";
import { AnalysisError } from "../../common/errors.ts";
import type { ZoneRules } from "../../common/time-zone.ts";
import { StructType, typeName } from "../../types/data-types.ts";
import { getOption } from "./sink-input.ts";

/** Where Spark's DataStreamWriter / DataFrameWriter pass partitionBy to a data source (DataSourceUtils.PARTITIONING_COLUMNS_KEY). */
export const PARTITION_COLUMNS_OPTION = "__partition_columns";

/** Spark's marker directory value for a null (or empty) partition value. */
const NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

/** The partitionBy columns an options map carries (a JSON array, as Spark encodes it), or none. */
export function partitionColumnsOf(options: Readonly<Record<string, string>>): string[] {
  const text = getOption(options, PARTITION_COLUMNS_OPTION);
  if (text === undefined) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The options with partitionBy columns added as Spark passes them to a data source. */
export function optionsWithPartitionColumns(options: Readonly<Record<string, string>>, columns: readonly string[] | null): Record<string, string> {
  return columns === null || columns.length === 0 ? { ...options } : { ...options, [PARTITION_COLUMNS_OPTION]: JSON.stringify(columns) };
}

/** Spark's ExternalCatalogUtils.escapePathName: characters a directory name cannot hold safely as %XX. */
export function escapePathName(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += (c >= 0x01 && c <= 0x1f) || c === 0x7f || "\"#%'*/:=?\\{[]^".includes(ch) ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : ch;
  }
  return out;
}

/** One partition's rows: its directory (`country=US/year=2024`) and the data columns. */
export interface PartitionGroup {
  readonly directory: string;
  readonly batches: ColumnBatch[];
}

/**
 * Spark's partitioned file layout (FileFormatWriter with partition columns): rows are
 * grouped by the values of the partition columns, each group written under
 * `col=value/…` and without those columns in the files. Checked when the write is set up:
 * the columns exist (names resolved case-insensitively), are atomic, and leave a data column.
 */
export class PartitionedLayout {
  readonly dataSchema: StructType;
  readonly #partitionIndices: number[];
  readonly #dataIndices: number[];

  constructor(readonly schema: StructType, columns: readonly string[], readonly zone: ZoneRules) {
    const indices = columns.map((name) => {
      const i = schema.fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
      if (i < 0) throw new AnalysisError(`Partition column \`${name}\` not found in schema ${schema.toDDL()}`);
      const type = schema.fields[i]!.dataType;
      if (type.kind === "struct" || type.kind === "array" || type.kind === "map") {
        throw new AnalysisError(`Cannot use ${typeName(type)} for partition column ${name}`);
      }
      return i;
    });
    if (new Set(indices).size !== indices.length) throw new AnalysisError(`Found duplicate column(s) in the partition schema: ${columns.join(", ")}`);
    if (indices.length === schema.fields.length) throw new AnalysisError("Cannot use all columns for partition columns");
    this.#partitionIndices = indices;
    this.#dataIndices = schema.fields.flatMap((_, i) => (indices.includes(i) ? [] : [i]));
    this.dataSchema = new StructType(this.#dataIndices.map((i) => schema.fields[i]!));
  }

  /** The rows of `batches` grouped by partition directory, in the order directories first appear. */
  group(batches: readonly ColumnBatch[]): PartitionGroup[] {
    const groups = new Map<string, ColumnBatch[]>();
    for (const batch of batches) {
      const rowsByDir = new Map<string, number[]>();
      for (let r = 0; r < batch.numRows; r++) {
        const dir = this.#directoryOf(batch, r);
        let rows = rowsByDir.get(dir);
        if (rows === undefined) rowsByDir.set(dir, (rows = []));
        rows.push(r);
      }
      for (const [dir, rows] of rowsByDir) {
        const taken = batch.take(Int32Array.from(rows));
        const data = new ColumnBatch(this.dataSchema, this.#dataIndices.map((i) => taken.columns[i]!), taken.numRows);
        let list = groups.get(dir);
        if (list === undefined) groups.set(dir, (list = []));
        list.push(data);
      }
    }
    return [...groups].map(([directory, list]) => ({ directory, batches: list }));
  }

  /** `name=value/…` of a row: the value cast to a string (timestamps in the session zone), escaped. */
  #directoryOf(batch: ColumnBatch, row: number): string {
    return this.#partitionIndices.map((i) => {
      const field = this.schema.fields[i]!;
      const v = valueAt(batch.columns[i]!, row);
      const text = v === null || v === undefined ? "" : formatCell(v, field.dataType, this.zone);
      return `${escapePathName(field.name)}=${text === "" ? NULL_PARTITION : escapePathName(text)}`;
    }).join("/");
  }
}
