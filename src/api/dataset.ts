import type { Table } from "apache-arrow";
import type { Row } from "../columnar/values.ts";
import type { StructType } from "../types/data-types.ts";
import type { TypedStruct, TypedType } from "../types/schema-builder.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Session } from "../session/session.ts";
import type { Column } from "./column.ts";
import type { DataFrameWriter } from "./data-frame-writer.ts";
import type { DataStreamWriter } from "./data-stream-writer.ts";
import type { GroupedData } from "./grouped-data.ts";
import { DataFrameNaFunctions, type FillValue, type NaDrop, type NaFill } from "./na-functions.ts";
import type { KeyValueGroupedDataset } from "./typed/key-value-grouped-dataset.ts";
import type { DataTypeLike, SchemaLike } from "./typed/lambda-plans.ts";
import type {
  Aggregated, ColumnArg, ColumnName, Dropped, Projected, Renamed, SelectArg, ValueAt, WithColumn,
} from "./typed/typed-row.ts";

export type { Row };

/**
 * Spark's Dataset (Spark 4's `sql/api` Dataset): the one public API, implemented twice
 * and chosen by the session, as Spark's `classic` and `connect` implementations are —
 * a local session's Datasets hold resolved logical plans and run here
 * (`api/local/local-dataset.ts`); a remote session's hold the unresolved Spark Connect
 * Relation their calls built and run on a Spark cluster (`connect/api/remote-dataset.ts`).
 * `T` is the row type; a DataFrame is `Dataset<Row>`. Every transformation returns a new
 * Dataset.
 *
 * On a remote session what needs the server — `schema`, `columns`, `dtypes`,
 * `isStreaming`, `printSchema()`, `explain()` — is a Promise (await it; awaiting works
 * on a local session too), and `writeStream…start()` gives a `Promise<StreamingQuery>`.
 */
export abstract class Dataset<T = Row> {
  constructor(readonly sparkSession: Session) {}

  /**
   * @internal The resolved logical plan a local session's Dataset runs; a remote
   * session's Dataset has none (it holds a Spark Connect Relation) and says so.
   */
  abstract readonly plan: LogicalPlan;

  // ---- Schema ----
  abstract get schema(): StructType;
  abstract get columns(): string[];
  abstract get dtypes(): [string, string][];
  abstract get isStreaming(): boolean;
  abstract printSchema(): void;
  abstract explain(extended?: boolean | "simple" | "extended"): void;

  /**
   * A column of this Dataset (Spark's `df.col("name")`), bound to it so it still names
   * this Dataset's column after a join. On a typed Dataset the name must be one of its
   * columns, and the Column carries its type.
   */
  abstract col<N extends ColumnName<T>>(name: N): Column<ValueAt<T, N>, N>;

  // ---- Transformations ----
  /** On a typed Dataset, `select("action", "time")` narrows the row type to those columns. */
  abstract select<const A extends readonly SelectArg<T>[]>(...cols: A): Dataset<Projected<T, A>>;

  /**
   * filter(col("x").gt(1)), filter("x > 1") (a SQL condition), or filter(row => …): a
   * lambda over the typed row, opaque to the optimizer (as in Spark; local sessions only).
   */
  abstract filter(predicate: (row: T) => boolean): Dataset<T>;
  abstract filter(condition: Column | string): Dataset<T>;

  abstract where(condition: Column | string): Dataset<T>;

  /** select with SQL expressions: selectExpr("action", "bytes * 2 AS double_bytes", "*"). */
  abstract selectExpr(...exprs: string[]): Dataset<Row>;

  /** Adds (or replaces) column `name`: typed as the Column's value type (`unknown` unless it says). */
  abstract withColumn<N extends string, V>(name: N, column: Column<V, string>): Dataset<WithColumn<T, N, V>>;
  abstract withColumns(columns: Record<string, Column>): Dataset<Row>;
  abstract withColumnRenamed<E extends ColumnName<T>, M extends string>(existing: E, newName: M): Dataset<Renamed<T, E, M>>;
  abstract toDF(...names: string[]): Dataset<Row>;
  abstract drop<const C extends readonly (ColumnName<T> | Column<any, any>)[]>(...cols: C): Dataset<Dropped<T, C>>;

  /** On a typed Dataset the keys are checked names or Columns, and the aggregation's result is typed. */
  abstract groupBy<const A extends readonly SelectArg<T>[]>(...cols: A): GroupedData<Projected<T, A>>;
  /** Aggregates by (a, b), (a) and () in one aggregation (Spark's rollup); left-out columns are NULL. */
  abstract rollup(...cols: (Column | string)[]): GroupedData<Row>;
  /** Aggregates by every subset of the columns in one aggregation (Spark's cube). */
  abstract cube(...cols: (Column | string)[]): GroupedData<Row>;
  /** Aggregates by each listed set of columns (Spark 4's groupingSets); `cols` are the result's grouping columns. */
  abstract groupingSets(sets: readonly (readonly (Column | string)[])[], ...cols: (Column | string)[]): GroupedData<Row>;
  abstract agg<const A extends readonly Column<any, any>[]>(...cols: A): Dataset<Aggregated<Projected<T, []>, A>>;
  abstract agg(exprs: Record<string, string>): Dataset<Row>;

  abstract withWatermark(eventTime: ColumnName<T>, delayThreshold: string): Dataset<T>;
  abstract dropDuplicates(...cols: (ColumnName<T> | readonly ColumnName<T>[])[]): Dataset<T>;
  abstract distinct(): Dataset<T>;

  /** Spark's `df.na`: `na.fill(…)` and `na.drop(…)` replace or drop nulls (and NaN in float and double columns). */
  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions({ naFill: (fill) => this.naFill(fill), naDrop: (drop) => this.naDrop(drop) });
  }

  /** PySpark's `fillna(value, subset)`: `na.fill`. */
  fillna(value: FillValue | Readonly<Record<string, FillValue>>, subset?: string | readonly string[]): DataFrame {
    return this.na.fill(value, subset);
  }

  /** PySpark's `dropna(how, thresh, subset)`: `na.drop`; `thresh` (at least that many non-null values) wins over `how`. */
  dropna(how: "any" | "all" = "any", thresh?: number, subset?: string | readonly string[]): DataFrame {
    return this.na.drop(thresh ?? how, subset);
  }

  /** @internal `na.fill` and `na.drop` as each backend plans them. */
  protected abstract naFill(fill: NaFill): DataFrame;
  protected abstract naDrop(drop: NaDrop): DataFrame;
  abstract orderBy(...cols: (ColumnArg<T> | readonly ColumnArg<T>[])[]): Dataset<T>;
  abstract sort(...cols: (ColumnArg<T> | readonly ColumnArg<T>[])[]): Dataset<T>;
  abstract limit(n: number): Dataset<T>;
  /** Skips the first n rows (Spark 3.4's Dataset.offset). */
  abstract offset(n: number): Dataset<T>;

  abstract union(other: Dataset<T>): Dataset<T>;
  abstract unionAll(other: Dataset<T>): Dataset<T>;
  /**
   * Union by column name rather than position. With `allowMissingColumns`, a column only
   * one side has is null on the other, and the right side's extra columns come last (Spark's).
   */
  abstract unionByName(other: Dataset<T>, allowMissingColumns?: boolean): Dataset<T>;
  /** Rows in both Datasets, without duplicates (SQL's INTERSECT). */
  abstract intersect(other: Dataset<T>): Dataset<T>;
  /** Rows in both Datasets, keeping duplicates: min(m, n) copies (INTERSECT ALL). */
  abstract intersectAll(other: Dataset<T>): Dataset<T>;
  /** Rows of this Dataset not in `other`, without duplicates (SQL's EXCEPT DISTINCT; Spark's `except`, PySpark's `subtract`). */
  abstract except(other: Dataset<T>): Dataset<T>;
  /** PySpark's name for except. */
  abstract subtract(other: Dataset<T>): Dataset<T>;
  /** Rows of this Dataset not in `other`, keeping duplicates: m − n copies (EXCEPT ALL). */
  abstract exceptAll(other: Dataset<T>): Dataset<T>;

  abstract join(right: Dataset<any>, on?: Column | string | readonly string[], how?: string): Dataset<Row>;
  abstract crossJoin(right: Dataset<any>): Dataset<Row>;
  abstract alias(name: string): Dataset<T>;
  /**
   * as("a") aliases the Dataset (as alias()); as(schema) views it as a typed Dataset
   * (Spark's `as[U]`) after checking that it has the schema's columns with matching types.
   */
  abstract as<U>(schema: TypedStruct<U>): Dataset<U>;
  abstract as(name: string): Dataset<T>;

  // ---- Typed operations (JavaScript functions: local sessions only) ----
  /** One output row per row: `map(r => ({ user: r.user, kb: r.bytes / 1024 }), OutSchema)`. */
  abstract map<U>(f: (row: T) => NoInfer<U>, schema: TypedStruct<U>): Dataset<U>;
  abstract map(f: (row: T) => Row, schema: SchemaLike): Dataset<Row>;
  /** Any number of output rows per row. */
  abstract flatMap<U>(f: (row: T) => Iterable<NoInfer<U>>, schema: TypedStruct<U>): Dataset<U>;
  abstract flatMap(f: (row: T) => Iterable<Row>, schema: SchemaLike): Dataset<Row>;
  /**
   * Groups rows by the key `f` computes (Spark's groupByKey). `keyType` — a TypedType
   * such as `types.string()`, a DataType or a DDL type — is needed by the results that
   * hold the key (count, reduceGroups).
   */
  abstract groupByKey<K>(f: (row: T) => K, keyType?: TypedType<K> | TypedStruct<K> | DataTypeLike): KeyValueGroupedDataset<K, T>;

  // ---- Actions (batch only) ----
  abstract collect(): Promise<T[]>;
  abstract count(): Promise<number>;

  // take/head/first/isEmpty are the same on both backends: a limit, then collect.
  async take(n: number): Promise<T[]> {
    return this.limit(n).collect();
  }

  async head(n = 1): Promise<T[]> {
    return this.take(n);
  }

  async first(): Promise<T | undefined> {
    return (await this.take(1))[0];
  }

  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  abstract toArrow(): Promise<Table>;
  /**
   * Prints the first `n` rows as Spark's show() does; `show(false)` is Scala's
   * show(truncate = false): 20 rows, values in full.
   */
  async show(n: number | boolean = 20, truncate: boolean | number = true, vertical = false): Promise<void> {
    if (typeof n === "boolean") [n, truncate] = [20, n];
    // As Spark's println(showString(…)): the table's own last line break, then one more.
    process.stdout.write(`${await this.showString(n, truncate, vertical)}\n`);
  }
  abstract showString(n?: number, truncate?: boolean | number, vertical?: boolean): Promise<string>;

  /** Writes the rows once, as files (Spark's DataFrameWriter). */
  abstract get write(): DataFrameWriter<T>;

  // ---- Streaming ----
  abstract get writeStream(): DataStreamWriter<T>;

  // ---- Views ----
  abstract createOrReplaceTempView(name: string): void;
  abstract createTempView(name: string): void;
}

/** Spark's DataFrame: a Dataset of untyped rows. */
export type DataFrame = Dataset<Row>;
