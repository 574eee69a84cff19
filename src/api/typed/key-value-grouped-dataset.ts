import type { Row } from "../../columnar/values.ts";
import { AnalysisError } from "../../common/errors.ts";
import { AggregateCall, Alias, ColumnRef, Star } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import { flatMapGroupsWithState, type GroupsWithStateSpec } from "../../plan/object-operators.ts";
import * as build from "../../plan/plan-builder.ts";
import type { GroupFunction, GroupsOutputMode, GroupState, GroupStateTimeoutKind } from "../../state/group-state.ts";
import { StructType, type DataType } from "../../types/data-types.ts";
import type { TypedStruct } from "../../types/schema-builder.ts";
import type { Dataset } from "../dataset.ts";
import { LocalDataset } from "../local/local-dataset.ts";
import { appendColumnPlan, toSchema, type SchemaLike } from "./lambda-plans.ts";

/**
 * Spark's KeyValueGroupedDataset: the rows of a Dataset<V> grouped by a key function
 * (`ds.groupByKey(row => row.user)`), waiting for what to do with each group. The key
 * function is opaque, as in Spark. Results that hold the key (`count`, `reduceGroups`)
 * need its type: `groupByKey(f, types.string())`; without it they are left out of the type
 * (KeyValueGroupedDatasetWithoutKeyType), and plain JavaScript gets the error below.
 */
export class KeyValueGroupedDataset<K, V> {
  constructor(
    readonly dataset: Dataset<V>,
    readonly keyFn: (row: V) => K,
    readonly keyType: DataType | null,
  ) {}

  #requireKeyType(what: string): DataType {
    if (this.keyType === null) {
      throw new AnalysisError(`groupByKey(...).${what}() returns the key, so it needs the key's type: groupByKey(f, types.string()) (or a DataType or DDL type such as "string")`);
    }
    return this.keyType;
  }

  #derive<U>(plan: LogicalPlan): Dataset<U> {
    return new LocalDataset<U>(this.dataset.sparkSession, plan);
  }

  #groups(spec: Omit<GroupsWithStateSpec, "keyFn">): LogicalPlan {
    return flatMapGroupsWithState(this.dataset.plan, { ...spec, keyFn: this.keyFn as (row: Row) => unknown });
  }

  /** Rows per key, as `{ key, count }`: an aggregation (streaming: update or complete mode). */
  count(): Dataset<{ key: K; count: number }> {
    const keyType = this.#requireKeyType("count");
    const input = appendColumnPlan(this.dataset.plan, "key", keyType, this.keyFn as (row: Row) => unknown);
    const index = input.output.length - 1;
    const key = Alias.create(ColumnRef.bound("key", index, keyType, true), "key");
    return this.#derive(build.aggregate(input, [key], [Alias.create(AggregateCall.create("count", [Star.create()]), "count")]));
  }

  /** One output row per key from all its rows (batch queries; streams use mapGroupsWithState). */
  mapGroups<U>(f: (key: K, rows: V[]) => NoInfer<U>, schema: TypedStruct<U>): Dataset<U>;
  mapGroups(f: (key: K, rows: V[]) => Row, schema: SchemaLike): Dataset<Row>;
  mapGroups(f: (key: K, rows: V[]) => unknown, schema: StructType | string): Dataset<any> {
    const fn: GroupFunction = (key, rows) => [f(key as K, rows as V[])];
    return this.#derive(this.#groups({ name: "mapGroups", fn, schema: toSchema(schema, "mapGroups"), stateful: false, outputMode: "append", timeout: "NoTimeout" }));
  }

  /** Any number of output rows per key (batch queries). */
  flatMapGroups<U>(f: (key: K, rows: V[]) => Iterable<NoInfer<U>>, schema: TypedStruct<U>): Dataset<U>;
  flatMapGroups(f: (key: K, rows: V[]) => Iterable<Row>, schema: SchemaLike): Dataset<Row>;
  flatMapGroups(f: (key: K, rows: V[]) => Iterable<unknown>, schema: StructType | string): Dataset<any> {
    const fn: GroupFunction = (key, rows) => f(key as K, rows as V[]);
    return this.#derive(this.#groups({ name: "flatMapGroups", fn, schema: toSchema(schema, "flatMapGroups"), stateful: false, outputMode: "append", timeout: "NoTimeout" }));
  }

  /**
   * Each key's rows combined pairwise by `f`, as `{ key, value }`. On a stream the running
   * value is kept in the state store and each batch emits the keys it changed (update mode).
   */
  reduceGroups(f: (a: V, b: V) => V): Dataset<{ key: K; value: V }> {
    const keyType = this.#requireKeyType("reduceGroups");
    const valueType = new StructType(this.dataset.plan.output.map((c) => ({ name: c.name, dataType: c.dataType, nullable: c.nullable })));
    const schema = new StructType([{ name: "key", dataType: keyType, nullable: true }, { name: "value", dataType: valueType, nullable: false }]);
    const fn: GroupFunction = (key, rows, state) => {
      let acc = state.getOption() as V | undefined;
      for (const r of rows) acc = acc === undefined ? (r as V) : f(acc, r as V);
      if (acc === undefined) return [];
      state.update(acc);
      return [{ key, value: acc }];
    };
    return this.#derive(this.#groups({ name: "reduceGroups", fn, schema, stateful: true, outputMode: "update", timeout: "NoTimeout", keyColumn: 0 }));
  }

  /**
   * One output row per key and call, with a GroupState kept across micro-batches (update
   * output mode). `timeoutConf` defaults to GroupStateTimeout.NoTimeout.
   */
  mapGroupsWithState<S, U>(f: (key: K, rows: V[], state: GroupState<S>) => NoInfer<U>, schema: TypedStruct<U>): Dataset<U>;
  mapGroupsWithState<S, U>(timeoutConf: GroupStateTimeoutKind, f: (key: K, rows: V[], state: GroupState<S>) => NoInfer<U>, schema: TypedStruct<U>): Dataset<U>;
  mapGroupsWithState<S>(timeoutConf: GroupStateTimeoutKind, f: (key: K, rows: V[], state: GroupState<S>) => Row, schema: SchemaLike): Dataset<Row>;
  mapGroupsWithState(...args: unknown[]): Dataset<any> {
    const [timeout, f, schema] = (typeof args[0] === "function" ? ["NoTimeout", ...args] : args) as
      [GroupStateTimeoutKind, (key: K, rows: V[], state: GroupState<unknown>) => unknown, StructType | string];
    const fn: GroupFunction = (key, rows, state) => [f(key as K, rows as V[], state)];
    return this.#derive(this.#groups({ name: "mapGroupsWithState", fn, schema: toSchema(schema, "mapGroupsWithState"), stateful: true, outputMode: "update", timeout }));
  }

  /**
   * Any number of output rows per key and call, with a GroupState kept across
   * micro-batches: Spark's arbitrary stateful processing. `outputMode` is the mode the
   * function is written for ("update": its rows replace earlier ones for the key;
   * "append": they are final). With EventTimeTimeout the query needs withWatermark.
   */
  flatMapGroupsWithState<S, U>(outputMode: GroupsOutputMode, timeoutConf: GroupStateTimeoutKind,
    f: (key: K, rows: V[], state: GroupState<S>) => Iterable<NoInfer<U>>, schema: TypedStruct<U>): Dataset<U>;
  flatMapGroupsWithState<S>(outputMode: GroupsOutputMode, timeoutConf: GroupStateTimeoutKind,
    f: (key: K, rows: V[], state: GroupState<S>) => Iterable<Row>, schema: SchemaLike): Dataset<Row>;
  flatMapGroupsWithState(outputMode: GroupsOutputMode, timeoutConf: GroupStateTimeoutKind,
    f: (key: K, rows: V[], state: GroupState<unknown>) => Iterable<unknown>, schema: StructType | string): Dataset<any> {
    const mode = outputMode.toLowerCase();
    if (mode !== "append" && mode !== "update") {
      throw new AnalysisError(`flatMapGroupsWithState: the output mode of the function must be "append" or "update", got "${outputMode}"`);
    }
    const fn: GroupFunction = (key, rows, state) => f(key as K, rows as V[], state);
    return this.#derive(this.#groups({
      name: "flatMapGroupsWithState", fn, schema: toSchema(schema, "flatMapGroupsWithState"), stateful: true, outputMode: mode, timeout: timeoutConf,
    }));
  }
}

/**
 * What `groupByKey(f)` without the key's type gives: every operation but the ones whose
 * result holds the key (count, reduceGroups), which need its type to plan the query.
 */
export type KeyValueGroupedDatasetWithoutKeyType<K, V> = Omit<KeyValueGroupedDataset<K, V>, "count" | "reduceGroups">;
