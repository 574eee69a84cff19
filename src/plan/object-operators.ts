import { AnalysisError } from "../common/errors.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { GroupFunction, GroupsOutputMode, GroupStateTimeoutKind } from "../state/group-state.ts";
import type { StructType } from "../types/data-types.ts";
import { someNode, type FlatMapGroupsWithState, type LogicalPlan, type MapBatches, type OutputColumn } from "./logical-plan.ts";

/**
 * Builders for the typed Dataset's lambda operators (Spark's object.scala): map, filter
 * and flatMap over rows, and the per-key functions of groupByKey. Their functions are
 * opaque to the optimizer; their outputs are declared by a schema.
 */

function columnsOf(schema: StructType): OutputColumn[] {
  return schema.fields.map((f) => ({ name: f.name, qualifier: null, dataType: f.dataType, nullable: f.nullable }));
}

/** A per-batch function producing rows of `schema` (map, flatMap, mapPartitions). */
export function mapBatches(input: LogicalPlan, name: string, schema: StructType, fn: (b: ColumnBatch) => ColumnBatch): MapBatches {
  return Object.freeze({ kind: "MapBatches", input, name, fn, output: columnsOf(schema), isStreaming: input.isStreaming });
}

/**
 * A per-batch function that keeps its input's columns (filter with a lambda) or appends
 * to them (groupByKey's key column): watermark metadata on those columns survives.
 */
export function mapBatchesKeepingColumns(input: LogicalPlan, name: string, appended: StructType | null, fn: (b: ColumnBatch) => ColumnBatch): MapBatches {
  const output = appended === null ? input.output : [...input.output, ...columnsOf(appended)];
  return Object.freeze({ kind: "MapBatches", input, name, fn, output, isStreaming: input.isStreaming });
}

export interface GroupsWithStateSpec {
  readonly name: string;
  readonly keyFn: (row: Record<string, unknown>) => unknown;
  readonly fn: GroupFunction;
  readonly schema: StructType;
  readonly stateful: boolean;
  readonly outputMode: GroupsOutputMode;
  readonly timeout: GroupStateTimeoutKind;
  /** The output column the engine fills with the key, when it does (reduceGroups). */
  readonly keyColumn?: number;
}

export function flatMapGroupsWithState(input: LogicalPlan, spec: GroupsWithStateSpec): FlatMapGroupsWithState {
  const { name, keyFn, fn, schema, stateful, outputMode, timeout, keyColumn = null } = spec;
  if (input.isStreaming && timeout === "EventTimeTimeout" && !someNode(input, (p) => p.kind === "EventTimeWatermark")) {
    throw new AnalysisError(`Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a ${name}. Event-time timeout not supported without watermark.`);
  }
  return Object.freeze({
    kind: "FlatMapGroupsWithState", input, name, keyFn, fn, stateful, outputMode, timeout, keyColumn,
    output: columnsOf(schema), isStreaming: input.isStreaming,
  });
}
