import { zoneRules } from "../../common/time-zone.ts";
import { ConfKeys } from "../../common/config.ts";
import type { Table } from "apache-arrow";
import { temporaryViewName } from "../../session/table-name.ts";
import { AnalysisError } from "../../common/errors.ts";
import { cubeSets, groupingSetIndices, rollupSets } from "../../plan/grouping-sets.ts";
import { toPlainArrowTable } from "../../columnar/arrow-convert.ts";
import { showString } from "../../columnar/show-string.ts";
import { resultRowsOf } from "../../columnar/values.ts";
import type { NaDrop, NaFill, NaReplace } from "../na-functions.ts";
import { naDropPlan, naFillPlan, naReplacePlan } from "./na-plans.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { runLocalPlan, runLocalPlanBatches } from "./run-local-plan.ts";
import { Alias, ColumnRef } from "../../expr/expression.ts";
import { schemaOf } from "../../expr/scope.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { typeName, type DataType, type StructType } from "../../types/data-types.ts";
import { Column, colExpr } from "../column.ts";
import { requireColumn, requireColumnOrName } from "../argument-checks.ts";
import { explainString } from "../explain.ts";
import type { GroupedData } from "../grouped-data.ts";
import { LocalGroupedData } from "./local-grouped-data.ts";
import { unionByNamePlan } from "./union-by-name.ts";
import { filterBySql, selectBySql } from "./sql-text-subqueries.ts";
import { isValueColumn, jsonOfRow } from "./json-lines.ts";
import { DESCRIBE_STATISTICS, randomSeed, randomSplitPlans, samplePlan, summaryPlan } from "./dataset-stats.ts";
import type { Session } from "../../session/session.ts";
import { Dataset, type DataFrame, type Row } from "../dataset.ts";
import type { DataStreamWriter } from "../data-stream-writer.ts";
import { LocalDataStreamWriter } from "./local-data-stream-writer.ts";
import type { DataFrameWriter } from "../data-frame-writer.ts";
import { LocalDataFrameWriter } from "./local-data-frame-writer.ts";
import type { TypedStruct, TypedType } from "../../types/schema-builder.ts";
import { KeyValueGroupedDataset, type KeyValueGroupedDatasetWithoutKeyType } from "../typed/key-value-grouped-dataset.ts";
import { filterPlan, flatMapPlan, mapPlan, toDataType, toSchema, type DataTypeLike, type SchemaLike } from "../typed/lambda-plans.ts";
import type {
  Aggregated, ColumnArg, ColumnName, Dropped, Projected, Renamed, SelectArg, ValueAt, WithColumn,
} from "../typed/typed-row.ts";
import { viewAs } from "../typed/view-as.ts";
import { droppedPlan, renamedPlan, toDFPlan, withColumnPlan } from "./column-plans.ts";

type ColOrName = Column | string;

/**
 * A local session's Dataset (Spark's `classic` implementation): an immutable, lazily
 * evaluated query over a resolved logical plan, run in this process. Every
 * transformation resolves at once (so a wrong column name fails where it is written).
 */
export class LocalDataset<T = Row> extends Dataset<T> {
  /** @internal Made by the session's readers, `sql`, `createDataFrame` and transformations. `values`: a Dataset of
   *  the values of its one string column `value` (toJSON's Dataset<string>), while it has that shape. */
  constructor(sparkSession: Session, /** @internal */ readonly plan: LogicalPlan, private readonly values = false) {
    super(sparkSession);
  }

  /** @internal */
  protected derive<U = T>(plan: LogicalPlan): LocalDataset<U> {
    return new LocalDataset<U>(this.sparkSession, plan, this.values && isValueColumn(plan));
  }

  /** One JSON object per row (Spark's toJSON, timestamps in the session time zone; null fields left out). */
  toJSON(): Dataset<string> {
    return new LocalDataset<string>(this.sparkSession, build.project(this.plan, [Alias.create(jsonOfRow(this.plan), "value")]), true);
  }

  // ---- Schema ----
  get schema(): StructType {
    return schemaOf(this.plan.output);
  }

  get columns(): string[] {
    return this.plan.output.map((c) => c.name);
  }

  get dtypes(): [string, string][] {
    return this.plan.output.map((c) => [c.name, typeName(c.dataType)]);
  }

  get isStreaming(): boolean {
    return this.plan.isStreaming;
  }

  printSchema(): void {
    // Spark println()s the tree, which already ends with a newline.
    process.stdout.write(this.schema.treeString() + "\n");
  }

  explain(extended: boolean | "simple" | "extended" = false): void {
    process.stdout.write(explainString(this.plan, extended === true || extended === "extended", this.sparkSession.conf) + "\n");
  }

  /**
   * A column of this Dataset, resolved now (Spark's `df.col("name")`). On a typed
   * Dataset the name must be one of its columns, and the Column carries its type.
   */
  col<N extends ColumnName<T>>(name: N): Column<ValueAt<T, N>, N>;
  col(name: string): Column {
    if (name === "*" || name.endsWith(".*")) return new Column(colExpr(name));
    build.project(this.plan, [colExpr(name)]);
    // Bound to this frame (Spark's plan id), so it still names this frame's column after a join.
    return new Column(ColumnRef.ofPlan(name, this.plan));
  }

  // ---- Transformations ----
  /** On a typed Dataset, `select("action", "time")` narrows the row type to those columns. */
  select<const A extends readonly SelectArg<T>[]>(...cols: A): Dataset<Projected<T, A>>;
  select(...cols: (ColOrName | readonly ColOrName[])[]): Dataset<any> {
    const flat = cols.flat() as ColOrName[];
    for (const c of flat) requireColumnOrName("cols", c);
    return this.derive(build.project(this.plan, flat.map(colExpr)));
  }

  /**
   * filter(col("x").gt(1)), filter("x > 1") (a SQL condition), or filter(row => …): a
   * lambda over the typed row, opaque to the optimizer (as in Spark).
   */
  filter(predicate: (row: T) => boolean): Dataset<T>;
  filter(condition: Column | string): Dataset<T>;
  filter(condition: Column | string | ((row: T) => boolean)): Dataset<T> {
    if (typeof condition === "function") return this.derive(filterPlan(this.plan, condition as (row: Row) => boolean));
    requireColumnOrName("condition", condition);
    return this.derive(typeof condition === "string" ? filterBySql(this.sparkSession, this.plan, condition) : build.filter(this.plan, condition.expr));
  }

  /** select with SQL expressions: selectExpr("action", "bytes * 2 AS double_bytes", "*"). */
  selectExpr(...exprs: string[]): Dataset<Row> {
    return this.derive(selectBySql(this.sparkSession, this.plan, exprs));
  }

  /** Adds (or replaces) column `name`: typed as the Column's value type (`unknown` unless it says). */
  withColumn<N extends string, V>(name: N, column: Column<V, string>): Dataset<WithColumn<T, N, V>>;
  withColumn(name: string, column: Column): Dataset<any> {
    requireColumn("col", column);
    return this.derive(withColumnPlan(this.plan, name, column.expr));
  }

  withColumns(columns: Record<string, Column>): Dataset<Row> {
    let ds: Dataset<Row> = this as unknown as Dataset<Row>;
    for (const [name, c] of Object.entries(columns)) ds = ds.withColumn(name, c);
    return ds;
  }

  withColumnRenamed<E extends ColumnName<T>, M extends string>(existing: E, newName: M): Dataset<Renamed<T, E, M>>;
  withColumnRenamed(existing: string, newName: string): Dataset<any> {
    const plan = renamedPlan(this.plan, existing, newName);
    return plan === this.plan ? (this as unknown as Dataset<Row>) : this.derive(plan);
  }

  toDF(...names: string[]): Dataset<Row> {
    if (names.length === 0) return this as unknown as Dataset<Row>;
    return this.derive(toDFPlan(this.plan, names));
  }

  drop<const C extends readonly (ColumnName<T> | Column<any, any>)[]>(...cols: C): Dataset<Dropped<T, C>>;
  drop(...cols: ColOrName[]): Dataset<any> {
    const plan = droppedPlan(this.plan, cols);
    return plan === this.plan ? (this as unknown as Dataset<Row>) : this.derive(plan);
  }

  /** On a typed Dataset the keys are checked names or Columns, and the aggregation's result is typed. */
  groupBy<const A extends readonly SelectArg<T>[]>(...cols: A): GroupedData<Projected<T, A>>;
  groupBy(...cols: (ColOrName | readonly ColOrName[])[]): GroupedData<any> {
    return new LocalGroupedData(this.sparkSession, this.plan, (cols.flat() as ColOrName[]).map(colExpr));
  }

  /** Aggregates by (a, b), (a) and () in one aggregation (Spark's rollup); left-out columns are NULL. */
  rollup(...cols: (Column | string)[]): GroupedData<Row> {
    return new LocalGroupedData(this.sparkSession, this.plan, cols.map(colExpr), rollupSets(cols.length));
  }

  /** Aggregates by every subset of the columns in one aggregation (Spark's cube). */
  cube(...cols: (Column | string)[]): GroupedData<Row> {
    return new LocalGroupedData(this.sparkSession, this.plan, cols.map(colExpr), cubeSets(cols.length));
  }

  /** Aggregates by each listed set of columns (Spark 4's groupingSets); `cols` are the result's grouping columns. */
  groupingSets(sets: readonly (readonly (Column | string)[])[], ...cols: (Column | string)[]): GroupedData<Row> {
    const exprs = cols.map(colExpr);
    return new LocalGroupedData(this.sparkSession, this.plan, exprs, groupingSetIndices(sets.map((set) => set.map(colExpr)), exprs));
  }

  agg<const A extends readonly Column<any, any>[]>(...cols: A): Dataset<Aggregated<Projected<T, []>, A>>;
  agg(exprs: Record<string, string>): Dataset<Row>;
  agg(first: Column | Record<string, string>, ...rest: Column[]): Dataset<any> {
    return (this.groupBy() as GroupedData<any>).agg(first as Column, ...rest);
  }

  withWatermark(eventTime: ColumnName<T>, delayThreshold: string): Dataset<T> {
    return this.derive(build.withWatermark(this.plan, eventTime, delayThreshold));
  }

  dropDuplicates(...cols: (ColumnName<T> | readonly ColumnName<T>[])[]): Dataset<T> {
    const names = cols.flat() as string[];
    return this.derive(build.deduplicate(this.plan, names.length === 0 ? null : names));
  }

  dropDuplicatesWithinWatermark(...cols: (ColumnName<T> | readonly ColumnName<T>[])[]): Dataset<T> {
    const names = cols.flat() as string[];
    return this.derive(build.deduplicate(this.plan, names.length === 0 ? null : names, true));
  }

  orderBy(...cols: (ColumnArg<T> | readonly ColumnArg<T>[])[]): Dataset<T> {
    return this.derive(build.sort(this.plan, (cols.flat() as ColOrName[]).map(colExpr)));
  }

  limit(n: number): Dataset<T> {
    return this.derive(build.limit(this.plan, n));
  }

  /** Skips the first n rows (Spark 3.4's Dataset.offset). */
  offset(n: number): Dataset<T> {
    return this.derive(build.offset(this.plan, n));
  }

  union(other: Dataset<T>): Dataset<T> {
    return this.derive(build.union([this.plan, other.plan]));
  }

  /**
   * Union by column name rather than position. With `allowMissingColumns`, a column only
   * one side has is null on the other, and the right side's extra columns come last (Spark's).
   */
  unionByName(other: Dataset<T>, allowMissingColumns = false): Dataset<T> {
    return this.derive(unionByNamePlan(this.plan, other.plan, allowMissingColumns));
  }

  /** Rows in both Datasets, without duplicates (SQL's INTERSECT). */
  intersect(other: Dataset<T>): Dataset<T> {
    return this.derive(build.intersect(this.plan, other.plan, false));
  }

  /** Rows in both Datasets, keeping duplicates: min(m, n) copies (INTERSECT ALL). */
  intersectAll(other: Dataset<T>): Dataset<T> {
    return this.derive(build.intersect(this.plan, other.plan, true));
  }

  /** Rows of this Dataset not in `other`, without duplicates (SQL's EXCEPT DISTINCT; Spark's `except`, PySpark's `subtract`). */
  except(other: Dataset<T>): Dataset<T> {
    return this.derive(build.except(this.plan, other.plan, false));
  }

  /** Rows of this Dataset not in `other`, keeping duplicates: m − n copies (EXCEPT ALL). */
  exceptAll(other: Dataset<T>): Dataset<T> {
    return this.derive(build.except(this.plan, other.plan, true));
  }

  join(right: Dataset<any>, on?: Column | string | readonly string[], how = "inner"): Dataset<Row> {
    const joinType = build.parseJoinType(how);
    const condition = on === undefined ? null : on instanceof Column ? on.expr : typeof on === "string" ? [on] : on;
    return this.derive(build.join(this.plan, right.plan, condition, on === undefined && joinType === "inner" ? "cross" : joinType));
  }

  crossJoin(right: Dataset<any>): Dataset<Row> {
    return this.derive(build.join(this.plan, right.plan, null, "cross"));
  }

  alias(name: string): Dataset<T> {
    return this.derive(build.subqueryAlias(this.plan, name));
  }

  /**
   * as("a") aliases the Dataset (as alias()); as(schema) views it as a typed Dataset
   * (Spark's `as[U]`) after checking now that it has the schema's columns with matching
   * types (or types that widen to them): the error names every mismatched column.
   */
  as<U>(schema: TypedStruct<U>): Dataset<U>;
  as(name: string): Dataset<T>;
  as(nameOrSchema: string | StructType): Dataset<any> {
    if (typeof nameOrSchema !== "string") return this.derive(viewAs(this.plan, nameOrSchema));
    return this.alias(nameOrSchema);
  }

  // ---- Typed operations (lambdas: opaque to the optimizer, as in Spark) ----
  /** One output row per row: `map(r => ({ user: r.user, kb: r.bytes / 1024 }), OutSchema)`. */
  map<U>(f: (row: T) => NoInfer<U>, schema: TypedStruct<U>): Dataset<U>;
  map(f: (row: T) => Row, schema: SchemaLike): Dataset<Row>;
  map(f: (row: T) => unknown, schema: StructType | string): Dataset<any> {
    return this.derive(mapPlan(this.plan, f as (row: Row) => unknown, toSchema(schema, "map")));
  }

  /** Any number of output rows per row. */
  flatMap<U>(f: (row: T) => Iterable<NoInfer<U>>, schema: TypedStruct<U>): Dataset<U>;
  flatMap(f: (row: T) => Iterable<Row>, schema: SchemaLike): Dataset<Row>;
  flatMap(f: (row: T) => Iterable<unknown>, schema: StructType | string): Dataset<any> {
    return this.derive(flatMapPlan(this.plan, f as (row: Row) => Iterable<unknown>, toSchema(schema, "flatMap")));
  }

  /**
   * Groups rows by the key `f` computes (Spark's groupByKey). `keyType` — a TypedType
   * such as `types.string()`, a DataType or a DDL type — is needed by the results that
   * hold the key (count, reduceGroups).
   */
  groupByKey<K>(f: (row: T) => K, keyType: TypedType<K> | TypedStruct<K>): KeyValueGroupedDataset<K, T>;
  groupByKey<K>(f: (row: T) => K, keyType: DataType | string): KeyValueGroupedDataset<K, T>;
  groupByKey<K>(f: (row: T) => K): KeyValueGroupedDatasetWithoutKeyType<K, T>;
  groupByKey<K>(f: (row: T) => K, keyType?: TypedType<K> | TypedStruct<K> | DataTypeLike): KeyValueGroupedDataset<K, T> {
    return new KeyValueGroupedDataset<K, T>(this, f, keyType === undefined ? null : toDataType(keyType as DataTypeLike));
  }

  // ---- Actions (batch only) ----
  #run(action: string): Promise<ColumnBatch> {
    return runLocalPlan(this.sparkSession, this.plan, action);
  }

  // ---- Statistics and sampling (dataset-stats.ts) ----
  describe(...cols: string[]): DataFrame {
    const selected = cols.length === 0 ? this.plan : build.project(this.plan, cols.map(colExpr));
    return this.derive(summaryPlan(selected, DESCRIBE_STATISTICS));
  }

  summary(...statistics: string[]): DataFrame {
    return this.derive(summaryPlan(this.plan, statistics));
  }

  protected sampleWith(withReplacement: boolean, fraction: number, seed: bigint | null): Dataset<T> {
    return this.derive(samplePlan(this.plan, withReplacement, fraction, seed ?? randomSeed()));
  }

  randomSplit(weights: readonly number[], seed?: number | bigint): Dataset<T>[] {
    return randomSplitPlans(this.plan, weights, seed === undefined ? randomSeed() : BigInt(seed)).map((p) => this.derive(p));
  }

  // ---- Caching ----
  cache(): Dataset<T> {
    return this.persist();
  }

  persist(_storageLevel?: string): Dataset<T> {
    this.sparkSession.catalog.cacheManager.cache(this.plan);
    return this;
  }

  unpersist(_blocking?: boolean): Dataset<T> {
    this.sparkSession.catalog.cacheManager.uncache(this.plan);
    return this;
  }

  protected naFill(fill: NaFill): DataFrame { return naFillPlan(this as unknown as DataFrame, fill); }
  protected naDrop(drop: NaDrop): DataFrame { return naDropPlan(this as unknown as DataFrame, drop); }
  protected naReplace(replace: NaReplace): DataFrame { return naReplacePlan(this as unknown as DataFrame, replace); }

  async collect(): Promise<T[]> {
    const { schema, batches } = await runLocalPlanBatches(this.sparkSession, this.plan, "collect");
    const rows = resultRowsOf(schema, batches);
    return (this.values ? rows.map((r) => r.value) : rows) as T[];
  }

  async count(): Promise<number> {
    return (await this.#run("count")).numRows;
  }

  async toArrow(): Promise<Table> {
    const batch = await this.#run("toArrow");
    return toPlainArrowTable(batch);
  }

  async showString(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    const batch = await (this.limit(n + 1) as LocalDataset<T>).#run("show");
    const zone = zoneRules(this.sparkSession.conf.get(ConfKeys.sessionTimeZone) ?? "UTC");
    return showString(batch.slice(0, n), n, truncate, vertical, batch.numRows > n, zone);
  }

  // ---- Streaming ----
  /** @internal The result as one batch (DataFrameWriter, INSERT INTO). */
  executeToBatch(action: string): Promise<ColumnBatch> {
    return this.#run(action);
  }

  get write(): DataFrameWriter<T> {
    if (this.plan.isStreaming) throw new AnalysisError("'write' can not be called on streaming Dataset/DataFrame");
    return new LocalDataFrameWriter<T>(this);
  }

  get writeStream(): DataStreamWriter<T> {
    if (!this.plan.isStreaming) throw new AnalysisError("'writeStream' can be called only on streaming Dataset/DataFrame");
    return new LocalDataStreamWriter<T>(this);
  }

  // ---- Views ----
  createOrReplaceTempView(name: string): void {
    this.sparkSession.catalog.registerView(temporaryViewName(name), this.plan, true);
  }

  createTempView(name: string): void {
    this.sparkSession.catalog.registerView(temporaryViewName(name), this.plan, false);
  }

  createGlobalTempView(name: string): void {
    this.sparkSession.catalog.registerGlobalView(name, this.plan, false);
  }

  createOrReplaceGlobalTempView(name: string): void {
    this.sparkSession.catalog.registerGlobalView(name, this.plan, true);
  }

  override toString(): string {
    return `[${this.plan.output.map((c) => `${c.name}: ${typeName(c.dataType)}`).join(", ")}]`;
  }
}

