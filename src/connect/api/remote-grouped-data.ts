import { AggregateCall, Star } from "../../expr/expression.ts";
import { Column } from "../../api/column.ts";
import type { DataFrame, Dataset } from "../../api/dataset.ts";
import { GroupedData } from "../../api/grouped-data.ts";
import type { Row } from "../../columnar/values.ts";
import { isNumeric } from "../../types/data-types.ts";
import type { Expression } from "../gen/spark/connect/expressions_pb.ts";
import { columnToProto } from "../plan/column-to-proto.ts";
import { COUNT_ROWS } from "../plan/relations.ts";
import { literal } from "../plan/expressions.ts";
import type { RemoteDataset } from "./remote-dataset.ts";

/** A remote session's GroupedData: the Aggregate relation Spark's client builds for the same calls. */
export class RemoteGroupedData<K = Row> extends GroupedData<K, "remote"> {
  constructor(
    readonly input: RemoteDataset<any>,
    readonly groupings: readonly Expression[],
    readonly groupType: "groupby" | "rollup" | "cube",
    readonly sets: readonly (readonly Expression[])[] | null = null,
    readonly pivoted: { readonly column: Expression; readonly values: readonly Expression[] } | null = null,
  ) {
    super();
  }

  /** Spark Connect's Aggregate with GROUP_TYPE_PIVOT; without values, the server collects them (it refuses a stream). */
  pivot(pivotColumn: Column | string, values: readonly unknown[]): GroupedData<Row, "remote">;
  pivot(pivotColumn: Column | string): Promise<GroupedData<Row, "remote">>;
  pivot(pivotColumn: Column | string, values?: readonly unknown[]): GroupedData<Row, "remote"> | Promise<GroupedData<Row, "remote">> {
    const column = columnToProto(typeof pivotColumn === "string" ? this.input.col(pivotColumn) : pivotColumn);
    const exprs = (values ?? []).map((v) => (v instanceof Column ? columnToProto(v) : literal(v)));
    const grouped = new RemoteGroupedData<Row>(this.input, this.groupings, this.groupType, this.sets, { column, values: exprs });
    return values === undefined ? Promise.resolve(grouped) : grouped;
  }

  #aggregate(aggregates: readonly Expression[]): DataFrame<"remote"> {
    const relations = this.input.backend.relations;
    if (this.pivoted !== null) {
      return this.input.backend.dataset(relations.pivotAggregate(this.input.relation, this.groupings, this.pivoted.column, this.pivoted.values, aggregates));
    }
    const relation = this.sets !== null
      ? relations.groupingSetsAggregate(this.input.relation, this.groupings, this.sets, aggregates)
      : relations.aggregate(this.input.relation, this.groupings, aggregates, this.groupType);
    return this.input.backend.dataset(relation);
  }

  /** agg(Columns…), or agg({ column: "function" }) over `df.col(column)` as Spark's client writes it. */
  agg(first: Column | Record<string, string>, ...rest: Column[]): Dataset<any, "remote"> {
    if (first instanceof Column) return this.#aggregate([first, ...rest].map(columnToProto));
    return this.#aggregate(Object.entries(first).map(([name, fn]) => {
      const f = fn.toLowerCase();
      const fnName = f === "mean" || f === "average" ? "avg" : f === "std" ? "stddev" : f === "size" ? "count" : f;
      const arg = name === "*" ? Star.create() : this.input.col(name).expr;
      return columnToProto(new Column(AggregateCall.create(fnName, [arg])));
    }));
  }

  count(): Dataset<any, "remote"> {
    return this.#aggregate([COUNT_ROWS]);
  }

  /**
   * sum("a") is sum(df.col("a")): bound to the grouped DataFrame by plan id. Without names,
   * every numeric column of the input: the schema comes from the server first (PySpark's
   * Connect client does so; Scala's would send no aggregate at all and lose the sums).
   */
  #numeric(fn: string, names: readonly string[]): DataFrame<"remote"> {
    return this.#aggregate(names.map((n) => columnToProto(new Column(AggregateCall.create(fn, [this.input.col(n).expr])))));
  }

  async #allNumeric(fn: string): Promise<DataFrame<"remote">> {
    const schema = await this.input.schema;
    return this.#numeric(fn, schema.fields.filter((f) => isNumeric(f.dataType)).map((f) => f.name));
  }

  #answer(fn: string, names: readonly string[]): any {
    return names.length === 0 ? this.#allNumeric(fn) : this.#numeric(fn, names);
  }

  sum(): Promise<DataFrame<"remote">>;
  sum(...cols: [string, ...string[]]): DataFrame<"remote">;
  sum(...cols: string[]): DataFrame<"remote"> | Promise<DataFrame<"remote">> { return this.#answer("sum", cols); }
  avg(): Promise<DataFrame<"remote">>;
  avg(...cols: [string, ...string[]]): DataFrame<"remote">;
  avg(...cols: string[]): DataFrame<"remote"> | Promise<DataFrame<"remote">> { return this.#answer("avg", cols); }
  mean(): Promise<DataFrame<"remote">>;
  mean(...cols: [string, ...string[]]): DataFrame<"remote">;
  mean(...cols: string[]): DataFrame<"remote"> | Promise<DataFrame<"remote">> { return this.#answer("avg", cols); }
  min(): Promise<DataFrame<"remote">>;
  min(...cols: [string, ...string[]]): DataFrame<"remote">;
  min(...cols: string[]): DataFrame<"remote"> | Promise<DataFrame<"remote">> { return this.#answer("min", cols); }
  max(): Promise<DataFrame<"remote">>;
  max(...cols: [string, ...string[]]): DataFrame<"remote">;
  max(...cols: string[]): DataFrame<"remote"> | Promise<DataFrame<"remote">> { return this.#answer("max", cols); }
}
