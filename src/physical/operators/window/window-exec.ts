import { ColumnBatch } from "../../../columnar/column-batch.ts";
import { concatBatches } from "../../../columnar/concat.ts";
import type { Vec } from "../../../columnar/vector.ts";
import { InternalError } from "../../../common/errors.ts";
import { compileExpression, type Evaluator } from "../../../expr/compile.ts";
import { displayExpression } from "../../../expr/display.ts";
import type { Alias, Expression, SortOrder, WindowExpression, WindowFrame } from "../../../expr/expression.ts";
import { zoneOf, type EvalContext } from "../../../expr/eval-context.ts";
import { addInterval, addMonthsToDays } from "../../../expr/functions/zoned-time.ts";
import { UTC } from "../../../common/time-zone.ts";
import { compareValues } from "../../../expr/functions/comparison.ts";
import type { DataType, StructType } from "../../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../../exec-operator.ts";
import { aggregateOverFrames } from "./frame-aggregate.ts";
import { windowFunctionValues } from "./window-function-values.ts";
import { frameBounds, keyValues, layoutOf, type FrameShift } from "./window-layout.ts";

interface CompiledWindow {
  readonly expr: WindowExpression;
  readonly args: readonly Evaluator[];
}

/**
 * Window functions over a batch query's whole input (Spark's WindowExec): rows are sorted
 * by PARTITION BY then ORDER BY keys, each window expression is computed over its frames
 * (window-layout.ts, frame-aggregate.ts), and the sorted rows come out with one column per
 * expression appended.
 */
export class WindowExec implements ExecOperator {
  readonly name = "Window";
  readonly children: readonly ExecOperator[];
  readonly #partition: Evaluator[];
  readonly #order: Evaluator[];
  readonly #windows: CompiledWindow[];

  constructor(
    readonly input: ExecOperator,
    readonly windowExprs: readonly Alias[],
    readonly partitionBy: readonly Expression[],
    readonly orderBy: readonly SortOrder[],
    readonly schema: StructType,
  ) {
    this.children = [input];
    this.#partition = partitionBy.map(compileExpression);
    this.#order = orderBy.map((o) => compileExpression(o.child));
    this.#windows = windowExprs.map((a) => {
      const expr = a.child as WindowExpression;
      const fnArgs = expr.fn.kind === "AggregateCall" || expr.fn.kind === "Call" ? expr.fn.args : [];
      // Literal flags and offsets are read from the expression; the rest are evaluated per row.
      return { expr, args: fnArgs.map((x) => (x.kind === "Star" ? compileExpression({ kind: "Literal", value: 1, dataType: { kind: "int" } }) : compileExpression(x))) };
    });
  }

  describe(): string {
    return `Window [${this.windowExprs.map((a) => `${displayExpression(a.child)} AS ${a.name}`).join(", ")}], [${this.partitionBy.map(displayExpression).join(", ")}], [${this.orderBy.map(displayExpression).join(", ")}]`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const batches = (await this.input.execute(ctx)).filter((b) => b.numRows > 0);
    if (batches.length === 0) return [];
    const all = concatBatches(this.input.schema, batches);
    const n = all.numRows;
    const partition = this.#partition.map((k) => keyValues(k(all, ctx.eval)));
    const order = this.#order.map((k) => keyValues(k(all, ctx.eval)));
    const directions = [...partition.map(() => ({ ascending: true, nullsFirst: true })), ...this.orderBy];
    const keys = [...partition, ...order];
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => {
      for (let k = 0; k < keys.length; k++) {
        const x = keys[k]![a], y = keys[k]![b];
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === directions[k]!.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return directions[k]!.ascending ? c : -c;
      }
      return a - b;
    });
    const perm = Int32Array.from(idx);
    const sorted = all.take(perm);
    const sortedKeys = (ks: unknown[][]): unknown[][] => ks.map((k) => idx.map((i) => k[i]));
    const layout = layoutOf(n, sortedKeys(partition), sortedKeys(order));
    const orderKey = order.length === 1 ? sortedKeys(order)[0]! : null;
    const columns: Vec[] = this.#windows.map(({ expr, args }) => {
      const frame = expr.frame;
      if (frame === null) throw new InternalError(`window expression without a frame: ${displayExpression(expr)}`);
      const bounds = frameBounds(frame, layout, orderKey, this.orderBy[0]?.ascending ?? true, frameShift(frame, this.orderBy[0], ctx.eval));
      const values = args.map((a) => a(sorted, ctx.eval));
      if (expr.fn.kind === "AggregateCall") return aggregateOverFrames(expr.fn, values, layout, frame, bounds);
      if (expr.fn.kind === "Call") return windowFunctionValues(expr.fn, values, layout, bounds);
      throw new InternalError(`unsupported window function ${displayExpression(expr.fn)}`);
    });
    return [new ColumnBatch(this.schema, [...sorted.columns, ...columns], n)];
  }
}

/** Year-month RANGE bounds move the ORDER BY value by months (DateAddYMInterval, TimestampAddYMInterval in the session zone). */
function frameShift(frame: WindowFrame, order: SortOrder | undefined, ctx: EvalContext): FrameShift | undefined {
  if (order === undefined) return undefined;
  if (frame.offsetType === undefined) return numericShift(order.child.dataType);
  if (frame.offsetType.kind !== "interval_ym") return undefined;
  const t = order.child.dataType;
  if (t?.kind === "date") return addMonthsToDays;
  const zone = t?.kind === "timestamp_ntz" ? UTC : zoneOf(ctx);
  return (micros, months) => addInterval(zone, micros, months, 0, 0);
}

/**
 * A numeric bound is cast to the ORDER BY type first (Spark's WindowFrameCoercion): to a DECIMAL's
 * scale, rounding half up, then added to the unscaled key; to an integral type truncated.
 */
function numericShift(t: DataType | null | undefined): FrameShift | undefined {
  if (t?.kind === "decimal") {
    const unit = 10 ** t.scale;
    return (unscaled, offset) => unscaled + Math.sign(offset) * Math.round(Math.abs(offset) * unit);
  }
  if (t?.kind === "int" || t?.kind === "long" || t?.kind === "short" || t?.kind === "byte") return (value, offset) => value + Math.trunc(offset);
  return undefined;
}
