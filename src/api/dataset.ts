import type { Table } from "apache-arrow";
import { AnalysisError } from "../common/errors.ts";
import * as ops from "./dataset-operations.ts";
import { inputFiles, sameSemantics, semanticHash } from "./plan-semantics.ts";
import type { Row } from "../columnar/values.ts";
import type { DataType, StructType } from "../types/data-types.ts";
import type { TypedStruct, TypedType } from "../types/schema-builder.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Session } from "../session/session.ts";
import type { Column } from "./column.ts";
import type { DataFrameWriter } from "./data-frame-writer.ts";
import type { DataStreamWriter } from "./data-stream-writer.ts";
import type { GroupedData } from "./grouped-data.ts";
import { DataFrameNaFunctions, type FillValue, type NaDrop, type NaFill, type NaReplace } from "./na-functions.ts";
import { DataFrameStatFunctions } from "./data-frame-stat-functions.ts";
import { DataFrameWriterV2 } from "./data-frame-writer-v2.ts";
import { observeDataset, type Observation } from "./observation.ts";
import { columnByRegex } from "./column-regex.ts";
import type { Answer, SessionMode } from "./session-mode.ts";
import type { KeyValueGroupedDataset, KeyValueGroupedDatasetWithoutKeyType } from "./typed/key-value-grouped-dataset.ts";
import type { SchemaLike } from "./typed/lambda-plans.ts";
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
 * `M` is the session's mode (`"local"` unless the session came from `remote(url)`). On a
 * remote session what needs the server — `schema`, `columns`, `dtypes`, `isStreaming`,
 * `printSchema()`, `explain()`, temp views — is a Promise, typed so (`Answer<M, X>`) that
 * tsc asks for the `await`; `writeStream…start()` gives a `Promise<RemoteStreamingQuery>`.
 */
export abstract class Dataset<T = Row, M extends SessionMode = "local"> {
  constructor(readonly sparkSession: Session<M>) {}

  /**
   * @internal The resolved logical plan a local session's Dataset runs; a remote
   * session's Dataset has none (it holds a Spark Connect Relation) and says so.
   */
  abstract readonly plan: LogicalPlan;

  // ---- Schema ----
  abstract get schema(): Answer<M, StructType>;
  abstract get columns(): Answer<M, string[]>;
  abstract get dtypes(): Answer<M, [string, string][]>;
  abstract get isStreaming(): Answer<M, boolean>;
  abstract printSchema(): Answer<M, void>;
  abstract explain(extended?: boolean | "simple" | "extended"): Answer<M, void>;

  /**
   * A column of this Dataset (Spark's `df.col("name")`), bound to it so it still names
   * this Dataset's column after a join. On a typed Dataset the name must be one of its
   * columns, and the Column carries its type.
   */
  abstract col<N extends ColumnName<T>>(name: N): Column<ValueAt<T, N>, N>;

  // ---- Transformations ----
  /** On a typed Dataset, `select("action", "time")` narrows the row type to those columns. */
  abstract select<const A extends readonly SelectArg<T>[]>(...cols: A): Dataset<Projected<T, A>, M>;

  /**
   * filter(col("x").gt(1)), filter("x > 1") (a SQL condition), or filter(row => …): a
   * lambda over the typed row, opaque to the optimizer (as in Spark; local sessions only).
   */
  abstract filter(predicate: (row: T) => boolean): Dataset<T, M>;
  abstract filter(condition: Column | string): Dataset<T, M>;

  where(condition: Column | string): Dataset<T, M> {
    return this.filter(condition);
  }

  /** select with SQL expressions: selectExpr("action", "bytes * 2 AS double_bytes", "*"). */
  abstract selectExpr(...exprs: string[]): Dataset<Row, M>;

  /** Adds (or replaces) column `name`: typed as the Column's value type (`unknown` unless it says). */
  abstract withColumn<N extends string, V>(name: N, column: Column<V, string>): Dataset<WithColumn<T, N, V>, M>;
  abstract withColumns(columns: Record<string, Column>): Dataset<Row, M>;
  abstract withColumnRenamed<E extends ColumnName<T>, R extends string>(existing: E, newName: R): Dataset<Renamed<T, E, R>, M>;
  abstract toDF(...names: string[]): Dataset<Row, M>;
  abstract drop<const C extends readonly (ColumnName<T> | Column<any, any>)[]>(...cols: C): Dataset<Dropped<T, C>, M>;

  /** On a typed Dataset the keys are checked names or Columns, and the aggregation's result is typed. */
  abstract groupBy<const A extends readonly SelectArg<T>[]>(...cols: A): GroupedData<Projected<T, A>, M>;
  /** Aggregates by (a, b), (a) and () in one aggregation (Spark's rollup); left-out columns are NULL. */
  abstract rollup(...cols: (Column | string)[]): GroupedData<Row, M>;
  /** Aggregates by every subset of the columns in one aggregation (Spark's cube). */
  abstract cube(...cols: (Column | string)[]): GroupedData<Row, M>;
  /** Aggregates by each listed set of columns (Spark 4's groupingSets); `cols` are the result's grouping columns. */
  abstract groupingSets(sets: readonly (readonly (Column | string)[])[], ...cols: (Column | string)[]): GroupedData<Row, M>;
  abstract agg<const A extends readonly Column<any, any>[]>(...cols: A): Dataset<Aggregated<Projected<T, []>, A>, M>;
  abstract agg(exprs: Record<string, string>): Dataset<Row, M>;

  abstract withWatermark(eventTime: ColumnName<T>, delayThreshold: string): Dataset<T, M>;
  abstract dropDuplicates(...cols: (ColumnName<T> | readonly ColumnName<T>[])[]): Dataset<T, M>;
  /**
   * Spark 3.5's dropDuplicatesWithinWatermark: drops rows whose key was seen within the
   * watermark delay of the first one, keeping a key only until the watermark passes its
   * first row's event time plus the delay (the event time need not be a key). Streaming
   * only, after withWatermark.
   */
  abstract dropDuplicatesWithinWatermark(...cols: (ColumnName<T> | readonly ColumnName<T>[])[]): Dataset<T, M>;
  distinct(): Dataset<T, M> {
    return this.dropDuplicates();
  }

  /** Spark's `df.na`: `na.fill(…)` and `na.drop(…)` replace or drop nulls (and NaN in float and double columns). */
  get na(): DataFrameNaFunctions<M> {
    return new DataFrameNaFunctions<M>({ naFill: (fill) => this.naFill(fill), naDrop: (drop) => this.naDrop(drop), naReplace: (r) => this.naReplace(r) });
  }

  /** Spark's DataFrameStatFunctions: freqItems, crosstab, corr, cov, approxQuantile, sampleBy. */
  get stat(): DataFrameStatFunctions<M> { return new DataFrameStatFunctions<M>(this); }

  /** Spark 3's DataFrameWriterV2 for a catalog table: `df.writeTo("t").create()` (local sessions). */
  writeTo(table: string): DataFrameWriterV2<T> { return new DataFrameWriterV2<T>(this, table); }

  /** Spark's colRegex: a back-quoted regex picks the column whose whole name it matches (local sessions; one column). */
  colRegex(colName: string): Column {
    const columns = this.columns;
    if (!Array.isArray(columns)) throw new AnalysisError("colRegex needs the columns at once: on a remote session, select by name");
    return columnByRegex(colName, columns);
  }

  /** Spark's observe: named aggregate metrics of the rows passing here (an Observation's `get`, or a stream's progress). */
  observe(observation: string | Observation, expr: Column, ...exprs: Column[]): Dataset<T, M> { return observeDataset(this, observation, [expr, ...exprs]); }

  /** PySpark's `fillna(value, subset)`: `na.fill`. */
  fillna(value: FillValue | Readonly<Record<string, FillValue>>, subset?: string | readonly string[]): Dataset<Row, M> {
    return this.na.fill(value, subset);
  }

  /** PySpark's `dropna(how, thresh, subset)`: `na.drop`; `thresh` (at least that many non-null values) wins over `how`. */
  dropna(how: "any" | "all" = "any", thresh?: number, subset?: string | readonly string[]): Dataset<Row, M> {
    return this.na.drop(thresh ?? how, subset);
  }

  /** @internal `na.fill`, `na.drop` and `na.replace` as each backend plans them. */
  protected abstract naFill(fill: NaFill): Dataset<Row, M>;
  protected abstract naDrop(drop: NaDrop): Dataset<Row, M>;
  protected abstract naReplace(replace: NaReplace): Dataset<Row, M>;
  abstract orderBy(...cols: (ColumnArg<T> | readonly ColumnArg<T>[])[]): Dataset<T, M>;
  sort(...cols: (ColumnArg<T> | readonly ColumnArg<T>[])[]): Dataset<T, M> {
    return this.orderBy(...cols);
  }
  abstract limit(n: number): Dataset<T, M>;
  /** Skips the first n rows (Spark 3.4's Dataset.offset). */
  abstract offset(n: number): Dataset<T, M>;

  abstract union(other: Dataset<T, M>): Dataset<T, M>;
  unionAll(other: Dataset<T, M>): Dataset<T, M> {
    return this.union(other);
  }
  /**
   * Union by column name rather than position. With `allowMissingColumns`, a column only
   * one side has is null on the other, and the right side's extra columns come last (Spark's).
   */
  abstract unionByName(other: Dataset<T, M>, allowMissingColumns?: boolean): Dataset<T, M>;
  /** Rows in both Datasets, without duplicates (SQL's INTERSECT). */
  abstract intersect(other: Dataset<T, M>): Dataset<T, M>;
  /** Rows in both Datasets, keeping duplicates: min(m, n) copies (INTERSECT ALL). */
  abstract intersectAll(other: Dataset<T, M>): Dataset<T, M>;
  /** Rows of this Dataset not in `other`, without duplicates (SQL's EXCEPT DISTINCT; Spark's `except`, PySpark's `subtract`). */
  abstract except(other: Dataset<T, M>): Dataset<T, M>;
  /** PySpark's name for except. */
  subtract(other: Dataset<T, M>): Dataset<T, M> {
    return this.except(other);
  }
  /** Rows of this Dataset not in `other`, keeping duplicates: m − n copies (EXCEPT ALL). */
  abstract exceptAll(other: Dataset<T, M>): Dataset<T, M>;

  abstract join(right: Dataset<any, M>, on?: Column | string | readonly string[], how?: string): Dataset<Row, M>;
  abstract crossJoin(right: Dataset<any, M>): Dataset<Row, M>;
  abstract alias(name: string): Dataset<T, M>;
  /**
   * as("a") aliases the Dataset (as alias()); as(schema) views it as a typed Dataset
   * (Spark's `as[U]`) after checking that it has the schema's columns with matching types.
   */
  abstract as<U>(schema: TypedStruct<U>): Dataset<U, M>;
  abstract as(name: string): Dataset<T, M>;

  // ---- Typed operations (JavaScript functions: local sessions only) ----
  /** One output row per row: `map(r => ({ user: r.user, kb: r.bytes / 1024 }), OutSchema)`. */
  abstract map<U>(f: (row: T) => NoInfer<U>, schema: TypedStruct<U>): Dataset<U, M>;
  abstract map(f: (row: T) => Row, schema: SchemaLike): Dataset<Row, M>;
  /** Any number of output rows per row. */
  abstract flatMap<U>(f: (row: T) => Iterable<NoInfer<U>>, schema: TypedStruct<U>): Dataset<U, M>;
  abstract flatMap(f: (row: T) => Iterable<Row>, schema: SchemaLike): Dataset<Row, M>;
  /**
   * Groups rows by the key `f` computes (Spark's groupByKey). `keyType` — a TypedType
   * such as `types.string()`, a DataType or a DDL type — stands for the key encoder Scala
   * infers from `K` (TypeScript erases `K`, and a stream's keys are not known when the query
   * is planned): the results that hold the key (count, reduceGroups) need it, so without it
   * they are not offered (KeyValueGroupedDatasetWithoutKeyType).
   */
  abstract groupByKey<K>(f: (row: T) => K, keyType: TypedType<K> | TypedStruct<K>): KeyValueGroupedDataset<K, T>;
  abstract groupByKey<K>(f: (row: T) => K, keyType: DataType | string): KeyValueGroupedDataset<K, T>;
  abstract groupByKey<K>(f: (row: T) => K): KeyValueGroupedDatasetWithoutKeyType<K, T>;

  // ---- Actions (batch only) ----
  abstract collect(): Promise<T[]>;
  abstract count(): Promise<number>;

  // take/head/first/isEmpty/tail are the same on both backends: a limit (or all rows), then collect.
  async take(n: number): Promise<T[]> {
    return this.limit(n).collect();
  }

  /** Spark's Scala API: `head()` is the first row (undefined when there is none, as first()), `head(n)` the first n rows. */
  head(): Promise<T | undefined>;
  head(n: number): Promise<T[]>;
  async head(n?: number): Promise<T[] | T | undefined> {
    return n === undefined ? this.first() : this.take(n);
  }

  async first(): Promise<T | undefined> {
    return (await this.take(1))[0];
  }

  /** The last n rows (Spark's tail): every row is collected to find them, as Spark moves them all to the driver. */
  async tail(n: number): Promise<T[]> {
    if (!Number.isInteger(n) || n < 0) throw new AnalysisError(`tail: the number of rows must be a non-negative integer, not ${n}`);
    const rows = await this.collect();
    return n === 0 ? [] : rows.slice(-n);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  /**
   * One JSON object per row (Spark's toJSON): a Dataset<string> whose rows are the JSON
   * texts (a column `value`), timestamps in the session time zone, null fields left out.
   */
  abstract toJSON(): Dataset<string, M>;

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
  abstract get writeStream(): DataStreamWriter<T, M>;

  // ---- Statistics and sampling ----
  /**
   * count, mean, stddev, min and max of the numeric and string columns (all, or those named),
   * as strings, one row per statistic named in the `summary` column (Spark's describe).
   */
  abstract describe(...cols: string[]): DataFrame<M>;
  /**
   * The statistics named — count, mean, stddev, min, max, percentiles such as 25%,
   * count_distinct, approx_count_distinct; by default count, mean, stddev, min, 25%, 50%, 75%,
   * max — of the numeric and string columns, as strings (Spark's summary).
   */
  abstract summary(...statistics: string[]): DataFrame<M>;

  /**
   * A random sample of about `fraction` of the rows: sample(fraction[, seed]) or
   * sample(withReplacement, fraction[, seed]). The same seed gives the same rows. Without
   * replacement a row is kept when its draw of Spark's XORShiftRandom(seed) is below
   * `fraction`, row by row in order: Spark's choice for a one-partition input.
   */
  sample(fraction: number, seed?: number | bigint): Dataset<T, M>;
  sample(withReplacement: boolean, fraction: number, seed?: number | bigint): Dataset<T, M>;
  sample(a: number | boolean, b?: number | bigint, c?: number | bigint): Dataset<T, M> {
    const [withReplacement, fraction, seed] = typeof a === "boolean" ? [a, Number(b), c] : [false, a, b];
    return this.sampleWith(withReplacement, fraction, seed === undefined ? null : BigInt(seed));
  }

  /** @internal sample() as each backend plans it; a null seed is a random one. */
  protected abstract sampleWith(withReplacement: boolean, fraction: number, seed: bigint | null): Dataset<T, M>;

  /**
   * Splits the rows by the weights (normalized to sum 1) with one random draw per row: every
   * row in exactly one split, the same seed the same splits (Spark's randomSplit).
   */
  abstract randomSplit(weights: readonly number[], seed?: number | bigint): Dataset<T, M>[];

  // ---- Caching ----
  /**
   * Keeps the rows once computed (Spark's lazy cache): the first action that needs them
   * computes them, later queries over this Dataset (or derived from it) reuse them. A batch
   * write (INSERT, df.write) makes them be computed again at the next use. A remote session
   * asks the server (AnalyzePlan Persist), so there it is a Promise.
   */
  abstract cache(): Answer<M, Dataset<T, M>>;
  /** As cache(); `storageLevel` is accepted for Spark's signature (rivulet keeps rows in memory). */
  abstract persist(storageLevel?: string): Answer<M, Dataset<T, M>>;
  /** Drops the cached rows. */
  abstract unpersist(blocking?: boolean): Answer<M, Dataset<T, M>>;

  // ---- Spark 3.4/3.5 additions (their rules in dataset-operations.ts) ----

  /** `df.transform(f, …args)`: `f(df, …args)`, to chain functions that take and return a DataFrame. */
  transform<R>(f: (df: this, ...args: any[]) => R, ...args: unknown[]): R { return f(this, ...args); }
  /** Renames several columns, `{ old: "new" }` or a Map (Spark 3.4). */
  withColumnsRenamed(renames: Readonly<Record<string, string>> | ReadonlyMap<string, string>): Dataset<Row, M> { return ops.withColumnsRenamed(this, renames); }
  /** The schema's columns by name, in its order, cast to its types (Spark 3.4's `to`; local sessions). */
  to(schema: StructType | string): Dataset<Row, M> { return ops.toSchema(this, schema); }
  /** One row per input row and value column: ids, the column's name, its value (Spark 3.4; `values` null: all but the ids). */
  unpivot(ids: ColumnOrNames, values: readonly (Column | string)[] | null | undefined, variableColumnName: string, valueColumnName: string): Dataset<Row, M> {
    return ops.unpivot(this, ids, values, variableColumnName, valueColumnName);
  }
  melt(ids: ColumnOrNames, values: readonly (Column | string)[] | null | undefined, variableColumnName: string, valueColumnName: string): Dataset<Row, M> {
    return ops.unpivot(this, ids, values, variableColumnName, valueColumnName);
  }
  /** A stratified sample: a row of stratum `k` kept with probability `fractions[k]` (0 if not listed); Spark's draws. */
  sampleBy(col: Column | string, fractions: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>, seed?: number): Dataset<T, M> {
    return this.filter(ops.sampleByCondition(col, fractions, seed));
  }
  /** Hints choose Spark's join and shuffle strategies, never the rows: one process here, the same Dataset. */
  hint(_name: string, ..._parameters: unknown[]): Dataset<T, M> { return this; }
  /** Partitioning changes where Spark's rows go, never which: one partition here, the same rows. */
  repartition(numPartitionsOrColumn?: number | Column | string, ..._cols: (Column | string)[]): Dataset<T, M> { return ops.samePartitions(this, numPartitionsOrColumn); }
  repartitionByRange(numPartitionsOrColumn?: number | Column | string, ..._cols: (Column | string)[]): Dataset<T, M> { return ops.samePartitions(this, numPartitionsOrColumn); }
  coalesce(numPartitions: number): Dataset<T, M> { return ops.samePartitions(this, numPartitions); }
  /** Sorts each partition: the one partition here (Spark's sortWithinPartitions). */
  sortWithinPartitions(...cols: (ColumnArg<T> | readonly ColumnArg<T>[])[]): Dataset<T, M> { return this.sort(...cols); }
  /** The rows computed now and held: later actions read them, not the inputs (asynchronous; Spark's localCheckpoint). */
  localCheckpoint(_eager = true): Promise<Dataset<T, M>> { return ops.checkpointRows(this); }
  /** As localCheckpoint (no RDD checkpoint directory here: the rows are held in memory). */
  checkpoint(_eager = true): Promise<Dataset<T, M>> { return ops.checkpointRows(this); }
  /** Same plan over the same inputs (Spark's sameSemantics; local sessions). */
  sameSemantics(other: Dataset<any, M>): boolean { return sameSemantics(this.plan, other.plan); }
  semanticHash(): number { return semanticHash(this.plan); }
  /** The files the Dataset's file sources read, as file URIs (Spark's inputFiles; local sessions). */
  inputFiles(): string[] { return inputFiles(this.plan); }
  /** Pearson's correlation of two numeric columns (only "pearson", as Spark). */
  corr(col1: string, col2: string, method = "pearson"): Promise<number | null> { return ops.correlation(this, col1, col2, method); }
  /** Exact quantiles of numeric columns, within any `relativeError` (Spark's approxQuantile; nulls and NaN left out). */
  approxQuantile(col: string, probabilities: readonly number[], relativeError: number): Promise<number[]>;
  approxQuantile(cols: readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[][]>;
  approxQuantile(cols: string | readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[] | number[][]> {
    return ops.approxQuantile(this, cols, probabilities, relativeError);
  }
  /** The pair counts of two columns as a table (Spark's crosstab; computed now, so a Promise). */
  crosstab(col1: string, col2: string): Promise<Dataset<Row, M>> { return ops.crosstab(this, col1, col2); }
  /** PySpark's replace(toReplace, value, subset): na.replace with a dict, a value or lists of values. */
  replace(toReplace: unknown, value?: unknown, subset?: string | readonly string[]): Dataset<Row, M> { return ops.replaceValues(this, toReplace, value, subset); }
  /** The sample covariance of two numeric columns. */
  cov(col1: string, col2: string): Promise<number | null> { return ops.statistic(this, `covar_samp(\`${col1}\`, \`${col2}\`)`); }
  /** Calls `f` with each row; foreachPartition calls it once with the one partition's rows. */
  async foreach(f: (row: T) => void | Promise<void>): Promise<void> { for (const row of await this.collect()) await f(row); }
  async foreachPartition(f: (rows: Iterable<T>) => void | Promise<void>): Promise<void> { await f(await this.collect()); }
  /** The rows one by one (computed at once). */
  async *toLocalIterator(): AsyncGenerator<T> { yield* await this.collect(); }

  // ---- Views ----
  abstract createOrReplaceTempView(name: string): Answer<M, void>;
  abstract createTempView(name: string): Answer<M, void>;
  /** A view every session of the process reads as `global_temp.name` (Spark's createGlobalTempView). */
  abstract createGlobalTempView(name: string): Answer<M, void>;
  abstract createOrReplaceGlobalTempView(name: string): Answer<M, void>;
}

/** Id columns of unpivot/melt: one column or name, or several. */
export type ColumnOrNames = Column | string | readonly (Column | string)[];

/** Spark's DataFrame: a Dataset of untyped rows. */
export type DataFrame<M extends SessionMode = "local"> = Dataset<Row, M>;
