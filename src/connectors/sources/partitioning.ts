import { compareStrings } from "../../columnar/string-order.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Vec } from "../../columnar/vector.ts";
import { parseDateDays } from "../../columnar/temporal.ts";
import { ConnectorError } from "../../common/errors.ts";
import { constantVec } from "../../expr/vec-ops.ts";
import type { DataType, StructField } from "../../types/data-types.ts";
import { DateType, DoubleType, IntegerType, LongType, StringType, StructType, typeName } from "../../types/data-types.ts";
import type { SourcePredicate } from "../source.ts";
import { isPartitionDirectory } from "./file-listing.ts";
import { basename, dirname } from "node:path";
import { pathToFileURL } from "node:url";

function fileUri(path: string): string {
  return pathToFileURL(path).href.replace(/^file:\/\/\//, "file:/");
}

/** Spark's marker for a null partition value. */
const NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

/** Where partition discovery stops walking up from a file's directory: a root directory or the basePath option. */
export type IsBasePath = (dir: string) => boolean;

/** One leaf directory parsed (Spark's parsePartition): its `k=v` values, outermost first, and where the walk stopped. */
interface ParsedDirectory {
  readonly values: [name: string, value: string | null][];
  /** The table's root as seen from this directory (the directory itself when it holds no partition values). */
  readonly base: string;
}

/**
 * Walks up from `dir` collecting `k=v` names until a base path, or until a plain name
 * once values were found (`/t/a=1/_x/f` is in a=1; `/t/x/a=1/f` has root /t/x).
 */
function parseDirectory(dir: string, isBase: IsBasePath): ParsedDirectory {
  const values: [string, string | null][] = [];
  let current = dir;
  for (;;) {
    if (isBase(current)) break;
    const name = basename(current);
    const eq = name.indexOf("=");
    const parsed = eq > 0 && isPartitionDirectory(name);
    if (parsed) {
      const value = unescapePathName(name.slice(eq + 1));
      values.push([unescapePathName(name.slice(0, eq)), value === NULL_PARTITION ? null : value]);
    }
    const parent = dirname(current);
    if ((!parsed && values.length > 0) || parent === current) break;
    current = parent;
  }
  return { values: values.reverse(), base: values.length === 0 ? dir : current };
}

/** The raw `k=v` directory values of a file, outermost first (none unless it lies in partition directories). */
function rawValuesOf(path: string, isBase: IsBasePath): [name: string, value: string | null][] {
  return parseDirectory(dirname(path), isBase).values;
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
    readonly isBase: IsBasePath,
  ) {}

  /** No partition columns: every file is read whole. */
  static none(): FilePartitioning {
    return new FilePartitioning([], () => true);
  }

  /**
   * The partition columns of the listed `files` (Spark's partition discovery over their
   * directories): all partitioned directories must share one root and one list of names;
   * types come from `userSchema` when it names them, else are inferred from the values.
   */
  static discover(files: readonly string[], isBase: IsBasePath, userSchema: StructType | null): FilePartitioning {
    const leafDirs = [...new Set(files.map((f) => dirname(f)))].sort();
    const parsed = leafDirs.map((dir) => ({ dir, ...parseDirectory(dir, isBase) }));
    const partitioned = parsed.filter((p) => p.values.length > 0);
    if (partitioned.length === 0) return FilePartitioning.none();
    // Compared without case, as Spark; shown as found.
    const bases = [...new Map(parsed.map((p) => [p.base.toLowerCase(), p.base])).values()];
    if (bases.length > 1) {
      throw new ConnectorError(
        `Conflicting directory structures detected. Suspicious paths:\n\t${bases.map(fileUri).join("\n\t")}\n\n` +
          `If provided paths are partition directories, please set "basePath" in the options of the data source to specify the root ` +
          `directory of the table. If there are multiple root directories, please load them separately and then union them.`,
      );
    }
    const nameLists = [...new Set(partitioned.map((p) => p.values.map(([n]) => n).join(", ")))];
    if (nameLists.length > 1) {
      const suspicious = partitioned.filter((p) => nameLists.includes(p.values.map(([n]) => n).join(", "))).map((p) => `\t${fileUri(p.dir)}`);
      throw new ConnectorError(
        `Conflicting partition column names detected:\n\n${nameLists.map((n, i) => `\tPartition column name list #${i}: ${n}`).join("\n")}\n\n` +
          "For partitioned table directories, data files should only live in leaf directories.\n" +
          "And directories at the same level should have the same partition column name.\n" +
          `Please check the following directories for unexpected files or inconsistent partition column names:\n\n${suspicious.join("\n")}`,
      );
    }
    const names = partitioned[0]!.values.map(([n]) => n);
    const valuesByName = new Map<string, (string | null)[]>(names.map((n) => [n, []]));
    for (const p of partitioned) for (const [n, v] of p.values) valuesByName.get(n)!.push(v);
    const columns = names.map((name) => {
      const given = userSchema?.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
      return { name: given?.name ?? name, dataType: given?.dataType ?? inferType(valuesByName.get(name) ?? []), nullable: true };
    });
    return new FilePartitioning(columns, isBase);
  }

  /**
   * Whether a listed file is read: with partition columns, only files in partition
   * directories (Spark reads a partitioned table's partitions, nothing beside them).
   */
  holdsPartitionValues(path: string): boolean {
    return rawValuesOf(path, this.isBase).length === this.columns.length;
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
    const raw = new Map(rawValuesOf(path, this.isBase).map(([n, v]) => [n.toLowerCase(), v]));
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
  /** Output positions filled with partition values, and those values (or, for `_metadata`, a column maker). */
  readonly constants: readonly { readonly index: number; readonly value: unknown; readonly vec?: (rows: number) => Vec }[];
}

/** Adds the partition values of one file's batches as constant columns, in the output's order. */
export function withPartitionColumns(batches: readonly ColumnBatch[], layout: PartitionColumnsLayout): ColumnBatch[] {
  return batches.map((b) => {
    let next = 0;
    const columns = layout.output.fields.map((f, i) => {
      const constant = layout.constants.find((c) => c.index === i);
      if (constant === undefined) return b.columns[next++]!;
      return constant.vec !== undefined ? constant.vec(b.numRows) : constantVec(constant.value, f.dataType, b.numRows);
    });
    return new ColumnBatch(layout.output, columns, b.numRows);
  });
}
