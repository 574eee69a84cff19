import { isNumeric } from "../../types/data-types.ts";
import { AnalysisError } from "../../common/errors.ts";
import { AggregateCall, Alias, ColumnRef, Literal, Star, type Expression } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { groupingSetsAggregate } from "../../plan/grouping-sets.ts";
import type { Session } from "../../session/session.ts";
import { Column, colExpr } from "../column.ts";
import { pivot } from "../../plan/pivot.ts";
import { distinctPivotValues } from "./pivot-values.ts";
import type { Dataset, DataFrame } from "../dataset.ts";
import { GroupedData } from "../grouped-data.ts";
import { LocalDataset } from "./local-dataset.ts";
import type { Aggregated, IsUntyped } from "../typed/typed-row.ts";
import type { Row } from "../../columnar/values.ts";
import type { Simplify } from "../../types/schema-builder.ts";

/** A local session's GroupedData: aggregates over the grouped Dataset's resolved plan. */
export class LocalGroupedData<K = Row> extends GroupedData<K> {
  /** @internal Made by `groupBy`. */
  constructor(
    readonly session: Session,
    /** @internal */ readonly plan: LogicalPlan,
    /** @internal */ readonly groupings: readonly Expression[],
    /** @internal rollup / cube / groupingSets: the sets, as indices into `groupings`. */
    readonly sets: readonly (readonly number[])[] | null = null,
    /** @internal `pivot(column, values)`: the pivot column and its values. */
    readonly pivoted: { readonly column: Expression; readonly values: readonly Expression[] } | null = null,
  ) {
    super();
  }

  pivot(pivotColumn: Column | string, values: readonly unknown[]): GroupedData<Row>;
  pivot(pivotColumn: Column | string): Promise<GroupedData<Row>>;
  pivot(pivotColumn: Column | string, values?: readonly unknown[]): GroupedData<Row> | Promise<GroupedData<Row>> {
    if (this.sets !== null) throw new AnalysisError("[_LEGACY_ERROR_TEMP_3065] pivot is only supported after a groupBy");
    if (this.pivoted !== null) throw new AnalysisError("[REPEATED_CLAUSE] repeated pivots are not supported");
    const column = colExpr(pivotColumn);
    if (values !== undefined) {
      const exprs = values.map((v) => (v instanceof Column ? v.expr : Literal.create(v, null)));
      return new LocalGroupedData<Row>(this.session, this.plan, this.groupings, null, { column, values: exprs });
    }
    return distinctPivotValues(this.session, this.plan, column)
      .then((found) => new LocalGroupedData<Row>(this.session, this.plan, this.groupings, null, { column, values: found }));
  }

  #aggregate(exprs: readonly Expression[]): DataFrame {
    if (this.pivoted !== null) {
      return new LocalDataset(this.session, pivot(this.plan, { groupings: this.groupings, pivotColumn: this.pivoted.column, values: this.pivoted.values, aggregates: exprs }));
    }
    if (this.sets !== null) return new LocalDataset(this.session, groupingSetsAggregate(this.plan, this.groupings, this.sets, [...this.groupings, ...exprs]));
    return new LocalDataset(this.session, build.aggregate(this.plan, this.groupings, exprs));
  }

  /** agg(count("*").as("n"), sum("bytes")) or agg({ bytes: "sum", "*": "count" }). */
  agg<const A extends readonly Column<any, any>[]>(...cols: A): Dataset<Aggregated<K, A>>;
  agg(exprs: Record<string, string>): DataFrame;
  agg(first: Column | Record<string, string>, ...rest: Column[]): Dataset<any> {
    if (first instanceof Column) return this.#aggregate([first, ...rest].map((c) => c.expr));
    return this.#aggregate(Object.entries(first).map(([name, fn]) => {
      const f = fn.toLowerCase() === "mean" ? "avg" : fn.toLowerCase();
      return AggregateCall.create(f, [name === "*" ? Star.create() : ColumnRef.create(name)]);
    }));
  }

  /** Rows per group, in a column named `count`. */
  count(): Dataset<IsUntyped<K> extends true ? Row : Simplify<K & { count: number }>> {
    return this.#aggregate([Alias.create(AggregateCall.create("count", [Star.create()]), "count")]) as Dataset<any>;
  }

  #numeric(fn: string, names: readonly string[]): DataFrame {
    const cols = names.length > 0 ? names : this.plan.output
      .filter((c) => isNumeric(c.dataType))
      .map((c) => c.name);
    for (const n of names) {
      const c = this.plan.output.find((o) => o.name === n);
      if (c && !isNumeric(c.dataType)) throw new AnalysisError(`"${n}" is not a numeric column. Aggregation function can only be applied on a numeric column.`);
    }
    return this.#aggregate(cols.map((n) => AggregateCall.create(fn, [ColumnRef.create(n)])));
  }

  sum(...cols: string[]): DataFrame { return this.#numeric("sum", cols); }
  avg(...cols: string[]): DataFrame { return this.#numeric("avg", cols); }
  mean(...cols: string[]): DataFrame { return this.#numeric("avg", cols); }
  min(...cols: string[]): DataFrame { return this.#numeric("min", cols); }
  max(...cols: string[]): DataFrame { return this.#numeric("max", cols); }
}
