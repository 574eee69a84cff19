import { compareStrings } from "../../columnar/string-order.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { parseDateDays } from "../../columnar/temporal.ts";
import { ConnectorError } from "../../common/errors.ts";
import { constantVec } from "../../expr/vec-ops.ts";
import type { DataType, StructField } from "../../types/data-types.ts";
import { DateType, DoubleType, IntegerType, LongType, StringType, StructType, typeName } from "../../types/data-types.ts";
import type { SourcePredicate } from "../source.ts";
import { isPartitionDirectory } from "./file-listing.ts";

/** Spark's marker for a null partition value. */
const NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

/** The raw `k=v` directory values between a base path and a file, outermost first. */
function rawValuesOf(path: string, basePaths: readonly string[]): [name: string, value: string | null][] {
  const base = basePaths.find((b) => path.startsWith(b.endsWith("/") ? b : `${b}/`));
  if (base === undefined) return [];
  const segments = path.slice(base.length).split("/").filter((s) => s !== "");
  segments.pop(); // the file name
  return segments.filter(isPartitionDirectory).map((segment) => {
    const eq = segment.indexOf("=");
    const value = unescapePathName(segment.slice(eq + 1));
    return [unescapePathName(segment.slice(0, eq)), value === NULL_PARTITION ? null : value];
  });
}

/** Spark escapes special characters of partition values as %XX in directory names. */
function unescapePathName(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Spark's partition column type inference: int, long, double, date, or string. */
function inferType(values: readonly (string | null)[]): DataType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return StringType;
  if (present.every((v) => /^-?\d+$/.test(v))) {
    return present.every((v) => Math.abs(Number(v)) <= 2147483647) ? IntegerType : LongType;
  }
  if (present.every((v) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v))) return DoubleType;
  if (present.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && parseDateDays(v) !== null)) return DateType;
  return StringType;
}

function toInternal(raw: string | null, type: DataType, path: string, name: string): unknown {
  if (raw === null) return null;
  switch (type.kind) {
    case "string": return raw;
    case "int": case "long": case "double": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n) || (type.kind !== "double" && !Number.isInteger(n))) break;
      return n;
    }
    case "date": {
      const days = parseDateDays(raw);
      if (days === null) break;
      return days;
    }
    default: break;
  }
  throw new ConnectorError(`${path}: partition value ${name}=${raw} is not a ${typeName(type)}`);
}

/**
 * Hive-style partitioning of a file source (Spark's partition discovery): directories
 * `k=v` under the input paths give each file the values of partition columns, which are
 * part of the source's schema without being read from the files. A filter on them that
 * the optimizer pushes into the scan skips whole files before any is opened.
 */
export class FilePartitioning {
  private constructor(
    readonly columns: readonly StructField[],
    readonly basePaths: readonly string[],
  ) {}

  /** No partition columns: every file is read whole. */
  static none(basePaths: readonly string[]): FilePartitioning {
    return new FilePartitioning([], basePaths);
  }

  /**
   * The partition columns of `files` under `basePaths`: their names must agree across
   * files; their types come from `userSchema` when it names them, else are inferred.
   */
  static discover(files: readonly string[], basePaths: readonly string[], userSchema: StructType | null): FilePartitioning {
    let names: string[] | null = null;
    const valuesByName = new Map<string, (string | null)[]>();
    for (const path of files) {
      const raw = rawValuesOf(path, basePaths);
      const these = raw.map(([n]) => n);
      if (names === null) names = these;
      else if (names.join("/") !== these.join("/")) {
        throw new ConnectorError(`Conflicting partition column names: [${names.join(", ")}] and [${these.join(", ")}] (at ${path})`);
      }
      for (const [n, v] of raw) valuesByName.set(n, [...(valuesByName.get(n) ?? []), v]);
    }
    const columns = (names ?? []).map((name) => {
      const given = userSchema?.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
      return { name: given?.name ?? name, dataType: given?.dataType ?? inferType(valuesByName.get(name) ?? []), nullable: true };
    });
    return new FilePartitioning(columns, basePaths);
  }

  get isPartitioned(): boolean {
    return this.columns.length > 0;
  }

  /** The source schema: the data schema with the partition columns it lacks appended (as Spark does). */
  schemaWith(dataSchema: StructType): StructType {
    const missing = this.columns.filter((c) => dataSchema.fields.every((f) => f.name.toLowerCase() !== c.name.toLowerCase()));
    return missing.length === 0 ? dataSchema : new StructType([...dataSchema.fields, ...missing]);
  }

  /** The columns the files themselves hold. */
  dataSchemaOf(schema: StructType): StructType {
    return new StructType(schema.fields.filter((f) => !this.isPartitionColumn(f.name)));
  }

  isPartitionColumn(name: string): boolean {
    return this.columns.some((c) => c.name.toLowerCase() === name.toLowerCase());
  }

  /** The file's partition values (internal representation), by column name. */
  valuesOf(path: string): Map<string, unknown> {
    const raw = new Map(rawValuesOf(path, this.basePaths).map(([n, v]) => [n.toLowerCase(), v]));
    return new Map(this.columns.map((c) => [c.name, toInternal(raw.get(c.name.toLowerCase()) ?? null, c.dataType, path, c.name)]));
  }

  /** False when a pushed predicate on a partition column rules the whole file out. */
  keeps(path: string, filters: readonly SourcePredicate[] | undefined): boolean {
    if (filters === undefined || !this.isPartitioned) return true;
    const relevant = filters.filter((p) => this.isPartitionColumn(p.column));
    if (relevant.length === 0) return true;
    const values = this.valuesOf(path);
    return relevant.every((p) => holds(p, values.get(this.columns.find((c) => c.name.toLowerCase() === p.column.toLowerCase())!.name)));
  }
}

/** Whether a partition value satisfies a pushed predicate; as in SQL, null satisfies no comparison. */
function holds(p: SourcePredicate, value: unknown): boolean {
  switch (p.kind) {
    case "isNull": return value === null;
    case "isNotNull": return value !== null;
    case "in": return value !== null && p.values.includes(value as string | number | boolean);
    case "startsWith": return typeof value === "string" && value.startsWith(p.prefix);
    case "compare": {
      if (value === null) return false;
      const v = value as string | number, w = p.value as string | number;
      // Strings in code-point order, as the comparison kernels.
      if (typeof v === "string" && typeof w === "string" && p.op !== "=" && p.op !== "!=") {
        const c = compareStrings(v, w);
        return p.op === "<" ? c < 0 : p.op === "<=" ? c <= 0 : p.op === ">" ? c > 0 : c >= 0;
      }
      switch (p.op) {
        case "=": return v === w;
        case "!=": return v !== w;
        case "<": return v < w;
        case "<=": return v <= w;
        case ">": return v > w;
        case ">=": return v >= w;
      }
    }
  }
}

/** Where each column of a read's output comes from: the file's decoded columns, or its partition values. */
export interface PartitionColumnsLayout {
  /** The read's output schema (requested columns in schema order). */
  readonly output: StructType;
  /** Output positions filled with partition values, and those values. */
  readonly constants: readonly { readonly index: number; readonly value: unknown }[];
}

/** Adds the partition values of one file's batches as constant columns, in the output's order. */
export function withPartitionColumns(batches: readonly ColumnBatch[], layout: PartitionColumnsLayout): ColumnBatch[] {
  return batches.map((b) => {
    let next = 0;
    const columns = layout.output.fields.map((f, i) => {
      const constant = layout.constants.find((c) => c.index === i);
      return constant !== undefined ? constantVec(constant.value, f.dataType, b.numRows) : b.columns[next++]!;
    });
    return new ColumnBatch(layout.output, columns, b.numRows);
  });
}
