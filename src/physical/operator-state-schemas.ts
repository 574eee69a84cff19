import type { OperatorStateSchema } from "../checkpoint/state-schema-file.ts";
import { lookupAggregate } from "../expr/aggregates/index.ts";
import { displayExpression } from "../expr/display.ts";
import type { AggregateCall, Expression } from "../expr/expression.ts";
import {
  ArrayType, BinaryType, BooleanType, DoubleType, LongType, StructType, TimestampType, type DataType, type StructField,
} from "../types/data-types.ts";

/**
 * What each stateful operator keeps in its state store, as a key schema and a value
 * schema (Spark's state schemas, checked at a restart by StateSchemaCompatibilityChecker).
 * The value types describe what rivulet stores, so that a change a restart would misread
 * changes a type: `count` keeps a bigint, `sum` a sum and a row count, `avg` a double sum
 * and a count.
 */

/** A grouping or key expression as a state field: its alias or column name, else how it is written. */
function keyField(e: Expression, fallbackName?: string): StructField {
  const name = e.kind === "Alias" ? e.name : e.kind === "ColumnRef" ? e.name : fallbackName ?? displayExpression(e);
  const nullable = e.kind === "ColumnRef" ? e.nullable : true;
  return { name, dataType: e.dataType!, nullable };
}

const struct = (...fields: [string, DataType, boolean?][]): StructType =>
  new StructType(fields.map(([name, dataType, nullable]) => ({ name, dataType, nullable: nullable ?? true })));

const MOMENTS = new Set(["stddev_samp", "stddev_pop", "var_samp", "var_pop", "skewness", "kurtosis"]);
const CO_MOMENTS = new Set(["corr", "covar_pop", "covar_samp", "regr_count", "regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy", "regr_slope", "regr_intercept"]);

/** The state an aggregate keeps per group (Spark's aggBufferAttributes, as rivulet lays them out). */
export function aggregateBufferType(call: AggregateCall): DataType {
  const fn = lookupAggregate(call.name)?.name ?? call.name;
  const args = call.args.filter((a) => a.kind !== "Star");
  // DISTINCT keeps the distinct argument tuples seen.
  if (call.distinct) return ArrayType(struct(...args.map((a, i): [string, DataType] => [`_${i + 1}`, a.dataType!])));
  const result = call.dataType!;
  switch (fn) {
    case "count": case "count_if": return LongType;
    case "sum": return struct(["sum", result], ["count", LongType, false]);
    case "avg": return struct(["sum", result.kind === "decimal" ? result : DoubleType], ["count", LongType, false]);
    case "min": case "max": return result;
    case "first": case "last": return struct(["value", result]);
    case "bool_and": case "bool_or": return BooleanType;
    case "collect_list": case "collect_set": return result;
    default:
      if (MOMENTS.has(fn)) return struct(["n", DoubleType], ["avg", DoubleType], ["m2", DoubleType], ["m3", DoubleType], ["m4", DoubleType]);
      if (CO_MOMENTS.has(fn)) return struct(["n", DoubleType], ["xAvg", DoubleType], ["yAvg", DoubleType], ["ck", DoubleType], ["xMk", DoubleType], ["yMk", DoubleType]);
      // Spark's TypedImperativeAggregate buffers are opaque bytes too.
      return BinaryType;
  }
}

function buffersSchema(aggregates: readonly AggregateCall[]): StructField[] {
  return aggregates.map((a) => ({ name: displayExpression(a), dataType: aggregateBufferType(a), nullable: true }));
}

/** A streaming aggregation: keyed by its grouping expressions (the window too), one buffer per aggregate. */
export function aggregationStateSchema(operatorId: number, operatorName: string, groupings: readonly Expression[], aggregates: readonly AggregateCall[]): OperatorStateSchema {
  return {
    operatorId, operatorName,
    stores: [{ storeName: "default", keySchema: new StructType(groupings.map((g) => keyField(g))), valueSchema: new StructType(buffersSchema(aggregates)) }],
  };
}

/** A session window aggregation: keyed by the groupings without the session; each key keeps its sessions with their buffers. */
export function sessionWindowStateSchema(operatorId: number, operatorName: string, groupings: readonly Expression[], sessionIndex: number, aggregates: readonly AggregateCall[]): OperatorStateSchema {
  const session = struct(["start", TimestampType], ["end", TimestampType]);
  return {
    operatorId, operatorName,
    stores: [{
      storeName: "default",
      keySchema: new StructType(groupings.filter((_, i) => i !== sessionIndex).map((g) => keyField(g))),
      valueSchema: new StructType([{ name: "session_window", dataType: session, nullable: false }, ...buffersSchema(aggregates)]),
    }],
  };
}

/** dropDuplicates: keyed by the columns compared; the value is the row's event time (for eviction). */
export function deduplicateStateSchema(operatorId: number, operatorName: string, input: StructType, keys: readonly number[]): OperatorStateSchema {
  return {
    operatorId, operatorName,
    stores: [{ storeName: "default", keySchema: new StructType(keys.map((k) => input.fields[k]!)), valueSchema: struct(["eventTime", TimestampType]) }],
  };
}

/**
 * [flat]mapGroupsWithState: keys and states are JS values without a declared type, kept
 * serialized; only the layout (state and timeout) is fixed.
 */
export function groupsWithStateSchema(operatorId: number, operatorName: string): OperatorStateSchema {
  return {
    operatorId, operatorName,
    stores: [{ storeName: "default", keySchema: struct(["key", BinaryType]), valueSchema: struct(["groupState", BinaryType], ["timeoutTimestamp", LongType]) }],
  };
}

/**
 * A stream–stream join: each side keeps its rows by the equi-join keys (Spark names them
 * field0, field1, …), with a matched flag when it emits unmatched rows.
 */
export function streamJoinStateSchema(
  operatorId: number, operatorName: string,
  sides: readonly { side: string; keys: readonly Expression[]; input: StructType; tracksMatched: boolean }[],
): OperatorStateSchema {
  return {
    operatorId, operatorName,
    stores: sides.map(({ side, keys, input, tracksMatched }) => ({
      storeName: side,
      keySchema: new StructType(keys.map((k, i) => ({ name: `field${i}`, dataType: k.dataType!, nullable: k.kind === "ColumnRef" ? k.nullable : true }))),
      valueSchema: new StructType([...input.fields, ...(tracksMatched ? [{ name: "matched", dataType: BooleanType, nullable: false }] : [])]),
    })),
  };
}
