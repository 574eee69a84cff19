import { AnalysisError } from "../../common/errors.ts";
import { Column } from "../../api/column.ts";
import { ColumnRef } from "../../expr/expression.ts";
import type { StructType } from "../../types/data-types.ts";
import { parseSchema } from "../../types/ddl.ts";
import type { Expression } from "../gen/spark/connect/expressions_pb.ts";
import { columnToProto } from "../plan/column-to-proto.ts";
import { toProtoDataType } from "../plan/data-types.ts";
import { literal, sortOrder } from "../plan/expressions.ts";

/**
 * The arguments of the Dataset calls that only steer a cluster (hints, partitioning) and of
 * `to`/`sampleBy`/`unpivot`, shaped as Spark's Connect client sends them. A local session
 * ignores the steering; on Spark it decides broadcast joins and shuffles, so it is sent.
 */

const expression = (c: Column | string): Expression => columnToProto(typeof c === "string" ? new Column(ColumnRef.create(c)) : c);

/** `repartition(n)`, `repartition(n, cols…)`, `repartition(cols…)`: the partition count (if any) and the columns. */
export function partitionSpec(numPartitionsOrColumn: number | Column | string | undefined, cols: readonly (Column | string)[]): { numPartitions?: number; exprs: Expression[] } {
  if (typeof numPartitionsOrColumn === "number") {
    if (!(Number.isInteger(numPartitionsOrColumn) && numPartitionsOrColumn > 0)) {
      throw new AnalysisError(`Number of partitions (${numPartitionsOrColumn}) must be positive.`);
    }
    return { numPartitions: numPartitionsOrColumn, exprs: cols.map(expression) };
  }
  const all = numPartitionsOrColumn === undefined ? [...cols] : [numPartitionsOrColumn, ...cols];
  if (all.length === 0) throw new TypeError("repartition: give a number of partitions, partitioning columns, or both");
  return { exprs: all.map(expression) };
}

/** repartitionByRange's columns as sort orders (ascending unless already ordered): how Spark's planner tells a range from a hash. */
export function rangePartitionSpec(numPartitionsOrColumn: number | Column | string | undefined, cols: readonly (Column | string)[]): { numPartitions?: number; exprs: Expression[] } {
  const spec = partitionSpec(numPartitionsOrColumn, cols);
  if (spec.exprs.length === 0) throw new TypeError("requirement failed: At least one partition-by expression must be specified.");
  return { ...spec, exprs: spec.exprs.map((e) => (e.exprType.case === "sortOrder" ? e : sortOrder(e, true))) };
}

/** hint parameters: a Column as its expression, anything else as a literal (Spark's `lit`). */
export function hintParameters(parameters: readonly unknown[]): Expression[] {
  return parameters.map((p) => (p instanceof Column ? columnToProto(p) : literal(p)));
}

/** sampleBy's strata: a Map's keys as they are, a record's keys as strings. */
export function strata(fractions: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>): [unknown, number][] {
  return fractions instanceof Map ? [...fractions.entries()] : Object.entries(fractions as Record<string, number>);
}

export function sampleByColumn(c: Column | string): Expression {
  return expression(c);
}

/** `to(schema)`'s schema as Spark's DataType message (a DDL string parsed here, so a typo fails at the call). */
export function targetSchema(schema: StructType | string): ReturnType<typeof toProtoDataType> {
  return toProtoDataType(typeof schema === "string" ? parseSchema(schema) : schema);
}

/** unpivot's ids (one or several) and values (null: every column but the ids, decided by the server). */
export function unpivotColumns(ids: Column | string | readonly (Column | string)[], values: readonly (Column | string)[] | null | undefined): { ids: Expression[]; values: Expression[] | null } {
  const idList = Array.isArray(ids) ? (ids as readonly (Column | string)[]) : [ids as Column | string];
  return { ids: idList.map(expression), values: values === null || values === undefined ? null : values.map(expression) };
}
