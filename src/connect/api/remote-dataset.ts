import type { NaDrop, NaFill, NaReplace } from "../../api/na-functions.ts";
import { create } from "@bufbuild/protobuf";
import { Table, type RecordBatch } from "apache-arrow";
import { AnalysisError } from "../../common/errors.ts";
import { fromRecordBatch } from "../../columnar/arrow-convert.ts";
import { batchToRows } from "../../columnar/values.ts";
import { Column } from "../../api/column.ts";
import type { DataFrameWriter } from "../../api/data-frame-writer.ts";
import type { DataStreamWriter } from "../../api/data-stream-writer.ts";
import { Dataset, type ColumnOrNames, type DataFrame, type Row } from "../../api/dataset.ts";
import type { GroupedData } from "../../api/grouped-data.ts";
import { withSparkForm } from "../../api/spark-form.ts";
import type { KeyValueGroupedDataset } from "../../api/typed/key-value-grouped-dataset.ts";
import { Call, ColumnRef, Star } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import type { StructType } from "../../types/data-types.ts";
import type { Expression } from "../gen/spark/connect/expressions_pb.ts";
import { RelationSchema, type Relation } from "../gen/spark/connect/relations_pb.ts";
import { columnToProto, sortOrderToProto } from "../plan/column-to-proto.ts";
import { expressionString } from "../plan/expressions.ts";
import { COUNT_ROWS } from "../plan/relations.ts";
import { checkFraction, randomSeed } from "../../plan/sample.ts";
import type { RemoteSessionBackend } from "../remote-session-backend.ts";
import type { Session } from "../../session/session.ts";
import { javaScriptFunction } from "../unsupported.ts";
import { RemoteDataFrameWriter } from "./remote-data-frame-writer.ts";
import { RemoteDataStreamWriter } from "./remote-data-stream-writer.ts";
import { RemoteGroupedData } from "./remote-grouped-data.ts";
import { explainRemote, printRemoteSchema, remoteDtypes, remoteIsStreaming, remoteSchema, splitBounds } from "./remote-analysis.ts";
import { hintParameters, partitionSpec, rangePartitionSpec, sampleByColumn, strata, targetSchema, unpivotColumns } from "./remote-partitioning.ts";

type ColOrName = Column | string;
const named = (c: ColOrName): Column => (typeof c === "string" ? new Column(ColumnRef.create(c)) : c);

/**
 * A remote session's Dataset (Spark's `connect` implementation): the unresolved Spark
 * Connect Relation its calls built, as Spark's Connect client builds it. Nothing resolves
 * here: Spark checks names when the plan is first analysed or run, and its errors come
 * back as AnalysisError with Spark's error class.
 */
export class RemoteDataset<T = Row> extends Dataset<T, "remote"> {
  /** `values`: toJSON's Dataset<string>, collected as the values of its one string column `value` while it has that shape. */
  constructor(readonly backend: RemoteSessionBackend, readonly relation: Relation, private readonly values = false) {
    super(backend.session as Session<any>);
  }

  get plan(): LogicalPlan {
    throw new AnalysisError("a DataFrame of a remote session has no local plan: it runs on Spark (toConnectPlan(df) from rivulet/connect shows what it sends)");
  }

  #derive<U = T>(relation: Relation): Dataset<U, "remote"> {
    return new RemoteDataset<U>(this.backend, relation, this.values);
  }

  /** As Spark's Connect client: select(to_json(struct(col("*")))) as a Dataset<string>. */
  toJSON(): Dataset<string, "remote"> {
    const json = new Column(Call.create("to_json", [Call.create("struct", [Star.create()])])).as("value");
    return new RemoteDataset<string>(this.backend, this.#rel.project(this.relation, [columnToProto(json)]), true);
  }

  get #rel() {
    return this.backend.relations;
  }

  #other(other: Dataset<any, "remote">): Relation {
    if (other instanceof RemoteDataset && other.backend === this.backend) return other.relation;
    throw new AnalysisError("a DataFrame of a remote session can only be combined with DataFrames of the same remote session");
  }

  // ---- Statistics and sampling (StatDescribe, StatSummary, Sample relations) ----
  describe(...cols: string[]): DataFrame<"remote"> {
    return this.backend.dataset(this.backend.relations.describe(this.relation, cols));
  }

  summary(...statistics: string[]): DataFrame<"remote"> {
    return this.backend.dataset(this.backend.relations.summary(this.relation, statistics));
  }

  protected sampleWith(withReplacement: boolean, fraction: number, seed: bigint | null): Dataset<T, "remote"> {
    checkFraction(fraction, withReplacement);
    return this.backend.dataset(this.backend.relations.sample(this.relation, 0, fraction, withReplacement, seed ?? randomSeed())) as Dataset<T, "remote">;
  }

  /** As Spark's Connect client: one Sample per split, [lo, hi) of the normalized weights, in deterministic order. */
  randomSplit(weights: readonly number[], seed?: number | bigint): Dataset<T, "remote">[] {
    const s = seed === undefined ? randomSeed() : BigInt(seed);
    return splitBounds(weights).map(([lower, upper]) => this.backend.dataset(this.backend.relations.sample(this.relation, lower, upper, false, s, true)) as Dataset<T, "remote">);
  }

  // ---- Caching (AnalyzePlan Persist / Unpersist) ----
  cache(): Promise<Dataset<T, "remote">> {
    return this.persist();
  }

  async persist(_storageLevel?: string): Promise<Dataset<T, "remote">> {
    await this.backend.analyze({ case: "persist", value: { relation: this.relation } });
    return this;
  }

  async unpersist(blocking?: boolean): Promise<Dataset<T, "remote">> {
    await this.backend.analyze({ case: "unpersist", value: { relation: this.relation, ...(blocking === undefined ? {} : { blocking }) } });
    return this;
  }

  // ---- Schema (AnalyzePlan) ----
  get schema(): Promise<StructType> { return remoteSchema(this.backend, this.relation); }
  get columns(): Promise<string[]> { return this.schema.then((s) => s.fields.map((f) => f.name)); }
  get dtypes(): Promise<[string, string][]> { return remoteDtypes(this.backend, this.relation); }
  get isStreaming(): Promise<boolean> { return remoteIsStreaming(this.backend, this.relation); }
  printSchema(): Promise<void> { return printRemoteSchema(this.backend, this.relation); }
  explain(extended: boolean | "simple" | "extended" = false): Promise<void> { return explainRemote(this.backend, this.relation, extended); }

  /** `df.col("x")`: bound to this Relation by its plan id, as Spark's client binds it. */
  col(name: string): Column<any, any> {
    const planId = this.relation.common?.planId ?? 0n;
    return new Column(withSparkForm(ColumnRef.create(name), { kind: "attribute", name, planId }));
  }

  // ---- Transformations ----
  select(...cols: readonly (ColOrName | readonly ColOrName[])[]): Dataset<any, "remote"> {
    return this.#derive(this.#rel.project(this.relation, (cols.flat() as ColOrName[]).map((c) => columnToProto(named(c)))));
  }

  filter(condition: Column | string | ((row: T) => boolean)): Dataset<T, "remote"> {
    if (typeof condition === "function") throw javaScriptFunction("filter(row => …)");
    const e = typeof condition === "string" ? expressionString(condition) : columnToProto(condition);
    return this.#derive(this.#rel.filter(this.relation, e));
  }

  selectExpr(...exprs: string[]): Dataset<Row, "remote"> {
    return this.#derive(this.#rel.project(this.relation, exprs.map(expressionString)));
  }

  withColumn(name: string, column: Column): Dataset<any, "remote"> {
    return this.#derive(this.#rel.withColumns(this.relation, [[name, columnToProto(column)]]));
  }

  withColumns(columns: Record<string, Column>): Dataset<Row, "remote"> {
    return this.#derive(this.#rel.withColumns(this.relation, Object.entries(columns).map(([n, c]) => [n, columnToProto(c)] as const)));
  }

  withColumnRenamed(existing: string, newName: string): Dataset<any, "remote"> {
    return this.#derive(this.#rel.withColumnsRenamed(this.relation, [[existing, newName]]));
  }

  toDF(...names: string[]): Dataset<Row, "remote"> {
    if (names.length === 0) return this as unknown as Dataset<Row, "remote">;
    return this.#derive(this.#rel.toDF(this.relation, names));
  }

  drop(...cols: readonly ColOrName[]): Dataset<any, "remote"> {
    const columns: Expression[] = cols.filter((c): c is Column => typeof c !== "string").map(columnToProto);
    const names = cols.filter((c): c is string => typeof c === "string");
    return this.#derive(this.#rel.drop(this.relation, columns, names));
  }

  groupBy(...cols: readonly (ColOrName | readonly ColOrName[])[]): GroupedData<any, "remote"> {
    return new RemoteGroupedData(this, (cols.flat() as ColOrName[]).map((c) => columnToProto(named(c))), "groupby");
  }

  rollup(...cols: (Column | string)[]): GroupedData<Row, "remote"> {
    return new RemoteGroupedData(this, cols.map((c) => columnToProto(named(c))), "rollup");
  }

  cube(...cols: (Column | string)[]): GroupedData<Row, "remote"> {
    return new RemoteGroupedData(this, cols.map((c) => columnToProto(named(c))), "cube");
  }

  groupingSets(sets: readonly (readonly (Column | string)[])[], ...cols: (Column | string)[]): GroupedData<Row, "remote"> {
    const toProto = (c: Column | string): Expression => columnToProto(named(c));
    return new RemoteGroupedData(this, cols.map(toProto), "groupby", sets.map((set) => set.map(toProto)));
  }

  agg(first: Column | Record<string, string>, ...rest: Column[]): Dataset<any, "remote"> {
    return (this.groupBy() as RemoteGroupedData<any>).agg(first as Column, ...rest);
  }

  withWatermark(eventTime: string, delayThreshold: string): Dataset<T, "remote"> {
    return this.#derive(this.#rel.withWatermark(this.relation, eventTime, delayThreshold));
  }

  dropDuplicates(...cols: (string | readonly string[])[]): Dataset<T, "remote"> {
    const names = cols.flat() as string[];
    return this.#derive(this.#rel.deduplicate(this.relation, names.length === 0 ? null : names));
  }

  dropDuplicatesWithinWatermark(...cols: (string | readonly string[])[]): Dataset<T, "remote"> {
    const names = cols.flat() as string[];
    return this.#derive(this.#rel.deduplicate(this.relation, names.length === 0 ? null : names, true));
  }

  orderBy(...cols: (ColOrName | readonly ColOrName[])[]): Dataset<T, "remote"> {
    return this.#derive(this.#rel.sort(this.relation, (cols.flat() as ColOrName[]).map((c) => sortOrderToProto(named(c)))));
  }

  limit(n: number): Dataset<T, "remote"> {
    return this.#derive(this.#rel.limit(this.relation, n));
  }

  offset(n: number): Dataset<T, "remote"> {
    return this.#derive(this.#rel.offset(this.relation, n));
  }

  union(other: Dataset<T, "remote">): Dataset<T, "remote"> {
    return this.#derive(this.#rel.setOperation(this.relation, this.#other(other), "union", { isAll: true }));
  }

  unionByName(other: Dataset<T, "remote">, allowMissingColumns = false): Dataset<T, "remote"> {
    return this.#derive(this.#rel.setOperation(this.relation, this.#other(other), "union", { isAll: true, byName: true, allowMissingColumns }));
  }

  intersect(other: Dataset<T, "remote">): Dataset<T, "remote"> {
    return this.#derive(this.#rel.setOperation(this.relation, this.#other(other), "intersect", { isAll: false }));
  }

  intersectAll(other: Dataset<T, "remote">): Dataset<T, "remote"> {
    return this.#derive(this.#rel.setOperation(this.relation, this.#other(other), "intersect", { isAll: true }));
  }

  except(other: Dataset<T, "remote">): Dataset<T, "remote"> {
    return this.#derive(this.#rel.setOperation(this.relation, this.#other(other), "except", { isAll: false }));
  }

  exceptAll(other: Dataset<T, "remote">): Dataset<T, "remote"> {
    return this.#derive(this.#rel.setOperation(this.relation, this.#other(other), "except", { isAll: true }));
  }

  join(right: Dataset<any, "remote">, on?: Column | string | readonly string[], how = "inner"): Dataset<Row, "remote"> {
    const r = this.#other(right);
    if (on === undefined) return this.#derive(this.#rel.join(this.relation, r, how, {}));
    if (on instanceof Column) return this.#derive(this.#rel.join(this.relation, r, how, { condition: columnToProto(on) }));
    return this.#derive(this.#rel.join(this.relation, r, how, { usingColumns: typeof on === "string" ? [on] : on }));
  }

  crossJoin(right: Dataset<any, "remote">): Dataset<Row, "remote"> {
    return this.#derive(this.#rel.join(this.relation, this.#other(right), "cross", {}));
  }

  alias(name: string): Dataset<T, "remote"> {
    return this.#derive(this.#rel.subqueryAlias(this.relation, name));
  }

  /** as(schema) types the rows only (Spark's `as[U]` sends nothing); as(name) aliases. */
  as(nameOrSchema: string | object): Dataset<any, "remote"> {
    if (typeof nameOrSchema !== "string") return this;
    return this.alias(nameOrSchema);
  }

  // ---- Steering a cluster, and the Spark 3.4 shapes: Spark's own relations ----
  override hint(name: string, ...parameters: unknown[]): Dataset<T, "remote"> {
    return this.#derive(this.#rel.hint(this.relation, name, hintParameters(parameters)));
  }

  override repartition(numPartitionsOrColumn?: number | Column | string, ...cols: (Column | string)[]): Dataset<T, "remote"> {
    const { numPartitions, exprs } = partitionSpec(numPartitionsOrColumn, cols);
    if (exprs.length === 0) return this.#derive(this.#rel.repartition(this.relation, numPartitions!, true));
    return this.#derive(this.#rel.repartitionByExpression(this.relation, exprs, numPartitions));
  }

  override repartitionByRange(numPartitionsOrColumn?: number | Column | string, ...cols: (Column | string)[]): Dataset<T, "remote"> {
    const { numPartitions, exprs } = rangePartitionSpec(numPartitionsOrColumn, cols);
    return this.#derive(this.#rel.repartitionByExpression(this.relation, exprs, numPartitions));
  }

  override coalesce(numPartitions: number): Dataset<T, "remote"> {
    return this.#derive(this.#rel.repartition(this.relation, partitionSpec(numPartitions, []).numPartitions!, false));
  }

  override sortWithinPartitions(...cols: (ColOrName | readonly ColOrName[])[]): Dataset<T, "remote"> {
    return this.#derive(this.#rel.sort(this.relation, (cols.flat() as ColOrName[]).map((c) => sortOrderToProto(named(c))), false));
  }

  override sampleBy(col: Column | string, fractions: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>, seed?: number): Dataset<T, "remote"> {
    const s = seed === undefined ? randomSeed() : BigInt(seed);
    return this.#derive(this.#rel.sampleBy(this.relation, sampleByColumn(col), strata(fractions), s));
  }

  override to(schema: StructType | string): Dataset<Row, "remote"> {
    return this.#derive(this.#rel.toSchema(this.relation, targetSchema(schema)));
  }

  override unpivot(ids: ColumnOrNames, values: readonly (Column | string)[] | null | undefined, variableColumnName: string, valueColumnName: string): Dataset<Row, "remote"> {
    const columns = unpivotColumns(ids, values);
    return this.#derive(this.#rel.unpivot(this.relation, columns.ids, columns.values, variableColumnName, valueColumnName));
  }

  override melt(ids: ColumnOrNames, values: readonly (Column | string)[] | null | undefined, variableColumnName: string, valueColumnName: string): Dataset<Row, "remote"> {
    return this.unpivot(ids, values, variableColumnName, valueColumnName);
  }

  // ---- JavaScript functions: refused ----
  map(): Dataset<any, "remote"> { throw javaScriptFunction("map(row => …)"); }
  flatMap(): Dataset<any, "remote"> { throw javaScriptFunction("flatMap(row => …)"); }
  groupByKey<K>(): KeyValueGroupedDataset<K, T> {
    throw javaScriptFunction("groupByKey(row => …) (and its mapGroups/reduceGroups/flatMapGroupsWithState)");
  }

  // ---- Actions (ExecutePlan) ----
  async #batches(relation: Relation = this.relation): Promise<readonly RecordBatch[]> {
    return (await this.backend.execute({ opType: { case: "root", value: relation } })).batches;
  }

  /** NAFill, as Spark's client sends `na.fill`. */
  protected naFill(fill: NaFill): DataFrame<"remote"> {
    const [cols, values] = fill.kind === "byColumn" ? [[...fill.values.keys()], [...fill.values.values()]] : [fill.subset ?? [], [fill.value]];
    return this.#derive(this.#rel.naFill(this.relation, cols, values));
  }

  /** NAReplace, as Spark's client sends `na.replace` (the server picks the columns of the keys' type). */
  protected naReplace(replace: NaReplace): DataFrame<"remote"> {
    if (replace.replacements.length === 0) return this as unknown as DataFrame<"remote">;
    return this.#derive(this.#rel.naReplace(this.relation, replace.cols, replace.replacements));
  }

  /** NADrop, as Spark's client sends `na.drop`. */
  protected naDrop(drop: NaDrop): DataFrame<"remote"> {
    return this.#derive(this.#rel.naDrop(this.relation, drop.subset ?? [], drop.minNonNulls));
  }

  async collect(): Promise<T[]> {
    const batches = (await this.#batches()).map((rb) => fromRecordBatch(rb));
    const fields = batches[0]?.schema.fields;
    const unwrap = this.values && fields?.length === 1 && fields[0]!.name === "value" && fields[0]!.dataType.kind === "string";
    return batches.flatMap((b) => (unwrap ? batchToRows(b).map((r) => r.value) : batchToRows(b))) as T[];
  }

  /** Spark's client counts with `groupBy().count()`. */
  async count(): Promise<number> {
    const counted = this.#rel.aggregate(this.relation, [], [COUNT_ROWS]);
    const rows = (await this.#batches(counted)).flatMap((rb) => batchToRows(fromRecordBatch(rb)));
    return Number(rows[0]?.count ?? 0);
  }

  async toArrow(): Promise<Table> {
    return new Table([...await this.#batches()]);
  }

  /** Spark formats the table (a ShowString relation); it already ends with a newline. */
  async showString(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    const width = truncate === true ? 20 : truncate === false ? 0 : truncate;
    const rows = (await this.#batches(this.#rel.showString(this.relation, n, width, vertical))).flatMap((rb) => batchToRows(fromRecordBatch(rb)));
    return String(Object.values(rows[0] ?? {})[0] ?? "");
  }

  /** Spark writes the rows: `save`, `insertInto`, `saveAsTable` send a WriteOperation. */
  get write(): DataFrameWriter<T> {
    return new RemoteDataFrameWriter<T>(this);
  }

  // ---- Streaming ----
  get writeStream(): DataStreamWriter<T, "remote"> {
    return new RemoteDataStreamWriter<T>(this);
  }

  // ---- Views (a CreateDataFrameView command) ----
  createOrReplaceTempView(name: string): Promise<void> {
    return this.#createView(name, true);
  }

  createTempView(name: string): Promise<void> {
    return this.#createView(name, false);
  }

  createGlobalTempView(name: string): Promise<void> {
    return this.#createView(name, false, true);
  }

  createOrReplaceGlobalTempView(name: string): Promise<void> {
    return this.#createView(name, true, true);
  }

  async #createView(name: string, replace: boolean, isGlobal = false): Promise<void> {
    await this.backend.execute({ opType: { case: "command", value: { commandType: { case: "createDataframeView", value: { input: this.relation, name, isGlobal, replace } } } } });
  }

  override toString(): string {
    return `DataFrame[remote plan ${this.relation.common?.planId ?? 0n}]`;
  }
}

/** @internal A Relation as a fresh message (what toConnectPlan serialises). */
export function relationOf(ds: RemoteDataset<any>): Relation {
  return create(RelationSchema, ds.relation);
}
