import { AnalysisError } from "../../common/errors.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { valueAt } from "../../columnar/vector.ts";
import { castIfNeeded, widerType } from "../../expr/coercion.ts";
import { AggregateCall, Alias, Call, ColumnRef, Literal, type Expression } from "../../expr/expression.ts";
import { BooleanType, LongType, StructType, isNumeric, sameType, typeName, type DataType } from "../../types/data-types.ts";
import type { LogicalPlan, OutputColumn, Union } from "../logical-plan.ts";
import { mapBatches } from "../object-operators.ts";
import { aggregate, deduplicate, filter, join, project } from "../plan-builder.ts";

/** The operator as Spark's errors name it. */
export type SetOperator = "UNION" | "INTERSECT" | "EXCEPT";

const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
const ordinal = (n: number): string => ORDINALS[n - 1] ?? `${n}th`;
const numbered = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

/**
 * The common type of a column across the inputs of a set operation: Spark's
 * findWiderTypeForTwo, which (unlike comparisons) promotes to string when one side is a
 * string and the other an atomic type other than binary and boolean (`1 UNION 'a'` is a string).
 */
export function setOperationType(a: DataType, b: DataType): DataType | null {
  const wider = widerType(a, b);
  if (wider !== null) return wider;
  const promotes = (t: DataType): boolean => isNumeric(t) || t.kind === "date" || t.kind === "timestamp" || t.kind === "string";
  if ((a.kind === "string" && promotes(b)) || (b.kind === "string" && promotes(a))) return { kind: "string" };
  return null;
}

/**
 * Checks that the inputs have the same number of columns and widens each column to a
 * common type (Spark's WidenSetOperationTypes), casting the inputs that need it. Output
 * names (and qualifiers) are the first input's.
 */
export function alignSetOperationInputs(operator: SetOperator, inputs: readonly LogicalPlan[]): { inputs: LogicalPlan[]; output: OutputColumn[] } {
  const first = inputs[0]!;
  const width = first.output.length;
  inputs.forEach((p, i) => {
    if (p.output.length !== width) {
      throw new AnalysisError(`[NUM_COLUMNS_MISMATCH] ${operator} can only be performed on inputs with the same number of columns, but the first input has ${width} columns and the ${ordinal(i + 1)} input has ${p.output.length} columns.`);
    }
  });
  const types = first.output.map((c, col) => inputs.reduce((t, p, i) => {
    const w = setOperationType(t, p.output[col]!.dataType);
    if (w === null) {
      throw new AnalysisError(`[INCOMPATIBLE_COLUMN_TYPE] ${operator} can only be performed on tables with compatible column types. The ${numbered(col + 1)} column of the ${ordinal(i + 1)} table is "${typeName(p.output[col]!.dataType).toUpperCase()}" type which is not compatible with "${typeName(t).toUpperCase()}" at the same column of the first table.`);
    }
    return w;
  }, c.dataType));
  const aligned = inputs.map((p) => {
    if (p.output.every((c, i) => sameType(c.dataType, types[i]!))) return p;
    return project(p, p.output.map((c, i) => Alias.create(castIfNeeded(ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier), types[i]!), c.name)));
  });
  const output = first.output.map((c, i) => {
    const { eventTimeDelayMicros: _, ...rest } = c;
    const col = { ...rest, dataType: types[i]!, nullable: inputs.some((p) => p.output[i]!.nullable) };
    // The watermark survives a union only when every input carries it on that column.
    const delays = inputs.map((p) => p.output[i]!.eventTimeDelayMicros);
    return delays.every((d) => d !== undefined) ? { ...col, eventTimeDelayMicros: Math.min(...(delays as number[])) } : col;
  });
  return { inputs: aligned, output };
}

/** UNION ALL / union / unionAll: by position; see alignSetOperationInputs. */
export function union(inputs: readonly LogicalPlan[]): Union {
  const { inputs: aligned, output } = alignSetOperationInputs("UNION", inputs);
  return Object.freeze({ kind: "Union", inputs: aligned, output, isStreaming: inputs.some((p) => p.isStreaming) }) satisfies Union;
}

/** Each column of `left` `<=>` the same column of `right` (null equals null, as set operations compare rows). */
function sameRows(left: LogicalPlan, right: LogicalPlan): Expression {
  const w = left.output.length;
  const eqs = left.output.map((c, i) => {
    const r = right.output[i]!;
    return Call.create("eqnullsafe", [ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier), ColumnRef.bound(r.name, w + i, r.dataType, r.nullable, r.qualifier)]);
  });
  return eqs.reduce((acc, e) => Call.create("and", [acc, e]));
}

function checkStreaming(operator: "INTERSECT" | "EXCEPT", left: LogicalPlan, right: LogicalPlan): void {
  // Spark's UnsupportedOperationChecker, applied when the set operation is built (it is rewritten into joins here).
  if (operator === "EXCEPT" && right.isStreaming) throw new AnalysisError("Except on a streaming DataFrame/Dataset on the right is not supported");
  if (operator === "INTERSECT" && left.isStreaming && right.isStreaming) throw new AnalysisError("Intersect between two streaming DataFrames/Datasets is not supported");
}

/**
 * INTERSECT [DISTINCT] / intersect: the distinct rows of `left` that are also in `right`,
 * as Spark's ReplaceIntersectWithSemiJoin (a left semi join on null-safe equality of every
 * column, then distinct). INTERSECT ALL keeps min(m, n) copies of a row found m times on
 * the left and n times on the right (RewriteIntersectAll: count both sides, replicate).
 */
export function intersect(left: LogicalPlan, right: LogicalPlan, all: boolean): LogicalPlan {
  checkStreaming("INTERSECT", left, right);
  const [l, r] = alignSetOperationInputs("INTERSECT", [left, right]).inputs as [LogicalPlan, LogicalPlan];
  if (!all) return deduplicate(join(l, r, sameRows(l, r), "left_semi"), null);
  const tagged = (p: LogicalPlan, side: 0 | 1): LogicalPlan => project(p, [
    ...columnsOf(p),
    Alias.create(Literal.create(side === 0 ? true : null, BooleanType), "__intersect_left"),
    Alias.create(Literal.create(side === 1 ? true : null, BooleanType), "__intersect_right"),
  ]);
  const counted = countedRows(l, tagged(l, 0), tagged(r, 1), [
    Alias.create(AggregateCall.create("count", [ColumnRef.create("__intersect_left")]), "__left_count"),
    Alias.create(AggregateCall.create("count", [ColumnRef.create("__intersect_right")]), "__right_count"),
  ]);
  const both = filter(counted, Call.create("and", [
    Call.create("greaterthanorequal", [ColumnRef.create("__left_count"), Literal.create(1, LongType)]),
    Call.create("greaterthanorequal", [ColumnRef.create("__right_count"), Literal.create(1, LongType)]),
  ]));
  return replicateRows(both, l, "intersectAll", (b, i) => Math.min(count(b, l.output.length, i), count(b, l.output.length + 1, i)));
}

/**
 * EXCEPT [DISTINCT] / MINUS / except / subtract: the distinct rows of `left` not in
 * `right` (ReplaceExceptWithAntiJoin: a left anti join on null-safe equality, then
 * distinct). EXCEPT ALL keeps m − n copies of a row found m times on the left and n on
 * the right (RewriteExceptAll: +1 / −1 per side, summed per row, replicated).
 */
export function except(left: LogicalPlan, right: LogicalPlan, all: boolean): LogicalPlan {
  checkStreaming("EXCEPT", left, right);
  const [l, r] = alignSetOperationInputs("EXCEPT", [left, right]).inputs as [LogicalPlan, LogicalPlan];
  if (!all) return deduplicate(join(l, r, sameRows(l, r), "left_anti"), null);
  const tagged = (p: LogicalPlan, sign: 1 | -1): LogicalPlan => project(p, [...columnsOf(p), Alias.create(Literal.create(sign, LongType), "__except_sign")]);
  const counted = countedRows(l, tagged(l, 1), tagged(r, -1), [Alias.create(AggregateCall.create("sum", [ColumnRef.create("__except_sign")]), "__except_count")]);
  const remaining = filter(counted, Call.create("greaterthan", [ColumnRef.create("__except_count"), Literal.create(0, LongType)]));
  return replicateRows(remaining, l, "exceptAll", (b, i) => count(b, l.output.length, i));
}

function columnsOf(p: LogicalPlan): Expression[] {
  return p.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
}

/** Both tagged sides, grouped by every column of the rows, with the per-row counts appended. */
function countedRows(shape: LogicalPlan, left: LogicalPlan, right: LogicalPlan, counts: readonly Expression[]): LogicalPlan {
  const both = union([left, right]);
  return aggregate(both, shape.output.map((_, i) => columnsOf(both)[i]!), counts);
}

function count(b: ColumnBatch, column: number, row: number): number {
  return Number(valueAt(b.columns[column]!, row) ?? 0);
}

/** Each row of `input` repeated `times(row)` times, without the count columns (Spark's replicate_rows generator). */
function replicateRows(input: LogicalPlan, shape: LogicalPlan, name: string, times: (b: ColumnBatch, row: number) => number): LogicalPlan {
  const width = shape.output.length;
  const schema = new StructType(input.output.slice(0, width).map((c) => ({ name: c.name, dataType: c.dataType, nullable: c.nullable })));
  return mapBatches(input, name, schema, (b) => {
    const rows: number[] = [];
    for (let i = 0; i < b.numRows; i++) for (let k = times(b, i); k > 0; k--) rows.push(i);
    const taken = b.take(Int32Array.from(rows));
    return new ColumnBatch(schema, taken.columns.slice(0, width), taken.numRows);
  });
}
