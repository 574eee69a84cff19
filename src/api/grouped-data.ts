import type { Row } from "../columnar/values.ts";
import type { Simplify } from "../types/schema-builder.ts";
import type { Column } from "./column.ts";
import type { DataFrame, Dataset } from "./dataset.ts";
import type { Answer, SessionMode } from "./session-mode.ts";
import type { Aggregated, IsUntyped } from "./typed/typed-row.ts";

/**
 * Spark's RelationalGroupedDataset: the result of groupBy(...), waiting for aggregates;
 * implemented by each backend (local plans, Spark Connect Aggregate relations).
 * `K` is the row type of the grouping keys on a typed Dataset (Row when untyped): the
 * result of `agg` is K plus one field per named aggregate column.
 */
export abstract class GroupedData<K = Row, M extends SessionMode = "local"> {
  /** Phantom: only the type checker sees it. */
  declare readonly __keys?: K;

  /** agg(count("*").as("n"), sum("bytes")) or agg({ bytes: "sum", "*": "count" }). */
  abstract agg<const A extends readonly Column<any, any>[]>(...cols: A): Dataset<Aggregated<K, A>, M>;
  abstract agg(exprs: Record<string, string>): DataFrame<M>;

  /**
   * Pivots `pivotColumn` (Spark's RelationalGroupedDataset.pivot): the aggregation that follows
   * makes one column per value (per value and aggregate, `value_agg`, when there are several).
   * With `values`, those values in that order. Without, the distinct values of the column,
   * sorted — a query, so here a Promise (`await df.groupBy("year").pivot("course")`); a
   * streaming DataFrame refuses it, as Spark does.
   */
  abstract pivot(pivotColumn: Column | string, values: readonly unknown[]): GroupedData<Row, M>;
  abstract pivot(pivotColumn: Column | string): Promise<GroupedData<Row, M>>;

  /** Rows per group, in a column named `count`. */
  abstract count(): Dataset<IsUntyped<K> extends true ? Row : Simplify<K & { count: number }>, M>;

  /**
   * sum("a", "b") of the named numeric columns; sum() of every numeric column, which a
   * remote session learns from the server's schema first (as PySpark's Connect client), so
   * there it is a Promise.
   */
  abstract sum(): Answer<M, DataFrame<M>>;
  abstract sum(...cols: [string, ...string[]]): DataFrame<M>;
  abstract avg(): Answer<M, DataFrame<M>>;
  abstract avg(...cols: [string, ...string[]]): DataFrame<M>;
  abstract mean(): Answer<M, DataFrame<M>>;
  abstract mean(...cols: [string, ...string[]]): DataFrame<M>;
  abstract min(): Answer<M, DataFrame<M>>;
  abstract min(...cols: [string, ...string[]]): DataFrame<M>;
  abstract max(): Answer<M, DataFrame<M>>;
  abstract max(...cols: [string, ...string[]]): DataFrame<M>;
}
