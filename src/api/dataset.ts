import type { Table } from "apache-arrow";
import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { toPlainArrowTable } from "../columnar/arrow-convert.ts";
import { showString } from "../columnar/show-string.ts";
import { batchToRows, type Row } from "../columnar/values.ts";
import { executeBatch } from "../execution/batch-execution.ts";
import { Alias, ColumnRef, type Expression } from "../expr/expression.ts";
import { schemaOf } from "../expr/scope.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { typeName, type StructType } from "../types/data-types.ts";
import { Column, colExpr } from "./column.ts";
import { explainString } from "./explain.ts";
import { parseExpression, parseSelectItem } from "../sql/sql-script.ts";
import { GroupedData } from "./grouped-data.ts";
import type { Session } from "../session/session.ts";
import { DataStreamWriter } from "./data-stream-writer.ts";

export type { Row };

type ColOrName = Column | string;

/**
 * Spark's Dataset: an immutable, lazily evaluated query over a logical plan. `T` is the
 * row type; a DataFrame is `Dataset<Row>`. Every transformation resolves at once (so a
 * wrong column name fails where it is written) and returns a new Dataset.
 */
export class Dataset<T = Row> {
  constructor(readonly sparkSession: Session, readonly plan: LogicalPlan) {}

  protected derive<U = T>(plan: LogicalPlan): Dataset<U> {
    return new Dataset<U>(this.sparkSession, plan);
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

  /** A column of this Dataset, resolved now (Spark's `df.col("name")`). */
  col(name: string): Column {
    if (name === "*") return new Column(colExpr("*"));
    build.project(this.plan, [colExpr(name)]);
    return new Column(colExpr(name));
  }

  // ---- Transformations ----
  select(...cols: (ColOrName | readonly ColOrName[])[]): Dataset<Row> {
    const flat = cols.flat() as ColOrName[];
    return this.derive(build.project(this.plan, flat.map(colExpr)));
  }

  /** filter(col("x").gt(1)) or filter("x > 1") (a SQL condition). */
  filter(condition: Column | string): Dataset<T> {
    const expr = typeof condition === "string" ? parseExpression(condition) : condition.expr;
    return this.derive(build.filter(this.plan, expr));
  }

  where(condition: Column | string): Dataset<T> {
    return this.filter(condition);
  }

  /** select with SQL expressions: selectExpr("action", "bytes * 2 AS double_bytes", "*"). */
  selectExpr(...exprs: string[]): Dataset<Row> {
    return this.derive(build.project(this.plan, exprs.map(parseSelectItem)));
  }

  withColumn(name: string, column: Column): Dataset<Row> {
    const existing = this.plan.output.findIndex((c) => sameName(c.name, name));
    const exprs: Expression[] = this.plan.output.map((c, i) =>
      i === existing ? Alias.create(column.expr, name) : ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
    if (existing < 0) exprs.push(Alias.create(column.expr, name));
    return this.derive(build.project(this.plan, exprs));
  }

  withColumns(columns: Record<string, Column>): Dataset<Row> {
    let ds: Dataset<Row> = this as unknown as Dataset<Row>;
    for (const [name, c] of Object.entries(columns)) ds = ds.withColumn(name, c);
    return ds;
  }

  withColumnRenamed(existing: string, newName: string): Dataset<Row> {
    if (!this.plan.output.some((c) => sameName(c.name, existing))) return this as unknown as Dataset<Row>;
    const exprs = this.plan.output.map((c, i) => {
      const ref = ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
      return sameName(c.name, existing) ? Alias.create(ref, newName) : ref;
    });
    return this.derive(build.project(this.plan, exprs));
  }

  toDF(...names: string[]): Dataset<Row> {
    if (names.length === 0) return this as unknown as Dataset<Row>;
    if (names.length !== this.plan.output.length) {
      throw new AnalysisError(`The number of columns doesn't match. Old column names (${this.plan.output.length}): ${this.columns.join(", ")}. New column names (${names.length}): ${names.join(", ")}`);
    }
    return this.derive(build.project(this.plan, this.plan.output.map((c, i) => Alias.create(ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier), names[i]!))));
  }

  drop(...cols: ColOrName[]): Dataset<Row> {
    const names = cols.map((c) => (typeof c === "string" ? c : c.expr.kind === "ColumnRef" ? c.expr.name : ""));
    const kept = this.plan.output
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => !names.some((n) => sameName(n, c.name)));
    if (kept.length === this.plan.output.length) return this as unknown as Dataset<Row>;
    return this.derive(build.project(this.plan, kept.map(({ c, i }) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier))));
  }

  groupBy(...cols: (ColOrName | readonly ColOrName[])[]): GroupedData {
    return new GroupedData(this.sparkSession, this.plan, (cols.flat() as ColOrName[]).map(colExpr));
  }

  agg(first: Column | Record<string, string>, ...rest: Column[]): Dataset<Row> {
    return this.groupBy().agg(first, ...rest);
  }

  withWatermark(eventTime: string, delayThreshold: string): Dataset<T> {
    return this.derive(build.withWatermark(this.plan, eventTime, delayThreshold));
  }

  dropDuplicates(...cols: (string | readonly string[])[]): Dataset<T> {
    const names = cols.flat() as string[];
    return this.derive(build.deduplicate(this.plan, names.length === 0 ? null : names));
  }

  distinct(): Dataset<T> {
    return this.dropDuplicates();
  }

  orderBy(...cols: (ColOrName | readonly ColOrName[])[]): Dataset<T> {
    return this.derive(build.sort(this.plan, (cols.flat() as ColOrName[]).map(colExpr)));
  }

  sort(...cols: (ColOrName | readonly ColOrName[])[]): Dataset<T> {
    return this.orderBy(...cols);
  }

  limit(n: number): Dataset<T> {
    return this.derive(build.limit(this.plan, n));
  }

  union(other: Dataset<T>): Dataset<T> {
    return this.derive(build.union([this.plan, other.plan]));
  }

  unionAll(other: Dataset<T>): Dataset<T> {
    return this.union(other);
  }

  /** Union by column name rather than position. */
  unionByName(other: Dataset<T>, allowMissingColumns = false): Dataset<T> {
    const exprs = this.plan.output.map((c) => {
      const i = other.plan.output.findIndex((o) => sameName(o.name, c.name));
      if (i < 0) {
        if (!allowMissingColumns) throw new AnalysisError(`Cannot resolve column name "${c.name}" among (${other.columns.join(", ")})`);
        return Alias.create({ kind: "Cast", child: { kind: "Literal", value: null, dataType: { kind: "null" } }, to: c.dataType, dataType: c.dataType }, c.name);
      }
      const o = other.plan.output[i]!;
      return ColumnRef.bound(o.name, i, o.dataType, o.nullable, o.qualifier);
    });
    return this.union(new Dataset<T>(this.sparkSession, build.project(other.plan, exprs)));
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

  as(name: string): Dataset<T> {
    return this.alias(name);
  }

  // ---- Actions (batch only) ----
  #requireBatch(action: string): void {
    if (this.plan.isStreaming) {
      throw new AnalysisError(`Queries with streaming sources must be executed with writeStream.start(); ${action}() is not available on a streaming Dataset`);
    }
  }

  async #run(action: string): Promise<import("../columnar/column-batch.ts").ColumnBatch> {
    this.#requireBatch(action);
    return executeBatch(this.sparkSession.optimizePlan(this.plan), this.sparkSession.conf);
  }

  async collect(): Promise<T[]> {
    return batchToRows(await this.#run("collect")) as T[];
  }

  async take(n: number): Promise<T[]> {
    return this.limit(n).collect();
  }

  async head(n = 1): Promise<T[]> {
    return this.take(n);
  }

  async first(): Promise<T | undefined> {
    return (await this.take(1))[0];
  }

  async count(): Promise<number> {
    return (await this.#run("count")).numRows;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  async toArrow(): Promise<Table> {
    const batch = await this.#run("toArrow");
    return toPlainArrowTable(batch);
  }

  /** Prints the first `n` rows as Spark's show() does. */
  async show(n = 20, truncate: boolean | number = true, vertical = false): Promise<void> {
    process.stdout.write(await this.showString(n, truncate, vertical) + "\n");
  }

  async showString(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    const batch = await this.limit(n + 1).#run("show");
    return showString(batch.slice(0, n), n, truncate, vertical, batch.numRows > n);
  }

  // ---- Streaming ----
  get writeStream(): DataStreamWriter<T> {
    if (!this.plan.isStreaming) throw new AnalysisError("'writeStream' can be called only on streaming Dataset/DataFrame");
    return new DataStreamWriter<T>(this);
  }

  // ---- Views ----
  createOrReplaceTempView(name: string): void {
    this.sparkSession.catalog.registerView(name, this.plan, true);
  }

  createTempView(name: string): void {
    this.sparkSession.catalog.registerView(name, this.plan, false);
  }

  toString(): string {
    return `[${this.plan.output.map((c) => `${c.name}: ${typeName(c.dataType)}`).join(", ")}]`;
  }
}

/** Spark's DataFrame: a Dataset of untyped rows. */
export type DataFrame = Dataset<Row>;
