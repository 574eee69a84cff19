import type { DataType, StructType } from "../types/data-types.ts";
import { InternalError } from "../common/errors.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { VecBuilder } from "../columnar/vec-builder.ts";
import { structField, valueAt, type Vec } from "../columnar/vector.ts";
import { castVec } from "./cast.ts";
import { tryCastVec } from "./try-cast.ts";
import type { EvalContext } from "./eval-context.ts";
import type { Expression, SessionWindow, WindowTime } from "./expression.ts";
import { compileSessionBounds } from "./session-window.ts";
import { requireFunction } from "./functions/registry.ts";
import { constantVec, numVec } from "./vec-ops.ts";
import { WindowStructType } from "./resolve.ts";

/** A compiled expression: evaluates over a whole batch at once. */
export type Evaluator = (batch: ColumnBatch, ctx: EvalContext) => Vec;

/**
 * Compiles a resolved expression once per query into a tree of vector kernels: each node
 * is one loop over its children's typed arrays (function lookup, type dispatch and
 * constant handling happen here, not per row or per batch).
 */
export function compileExpression(e: Expression): Evaluator {
  switch (e.kind) {
    case "ColumnRef": {
      const index = e.index;
      if (index < 0) throw new InternalError(`column ${e.name} was not resolved before compilation`);
      return (batch) => batch.columns[index]!;
    }
    case "Literal": {
      const { value, dataType } = e;
      if (dataType === null) throw new InternalError("untyped literal reached compilation");
      return (batch) => constantVec(value, dataType, batch.numRows);
    }
    case "Alias": return compileExpression(e.child);
    case "SortOrder": return compileExpression(e.child);
    case "Cast": {
      const child = compileExpression(e.child);
      const to = e.to;
      if (e.evalMode === "try") return (batch, ctx) => tryCastVec(child(batch, ctx), to, ctx);
      return (batch, ctx) => castVec(child(batch, ctx), to, ctx);
    }
    case "Call": {
      const f = requireFunction(e.name);
      if (f.compile !== undefined) return f.compile(e, compileExpression);
      const args = e.args.map(compileExpression);
      const call = e;
      return (batch, ctx) => f.evaluate(args.map((a) => a(batch, ctx)), batch.numRows, ctx, call);
    }
    case "GetField": {
      const child = compileExpression(e.child);
      const field = e.field;
      return (batch, ctx) => {
        const v = child(batch, ctx);
        if (v.kind === "struct") return structField(v, v.type.fields.findIndex((f) => f.name === field));
        const b = new VecBuilder(e.dataType!, v.length);
        for (let i = 0; i < v.length; i++) {
          const s = valueAt(v, i) as Record<string, unknown> | null;
          b.append(s === null ? null : s[field]);
        }
        return b.finish();
      };
    }
    case "Case": {
      const conds = e.branches.map(([c]) => compileExpression(c));
      const values = e.branches.map(([, v]) => compileExpression(v));
      const otherwise = e.otherwise ? compileExpression(e.otherwise) : null;
      const type = e.dataType!;
      return (batch, ctx) => {
        const n = batch.numRows;
        const cv = conds.map((c) => c(batch, ctx));
        const vv = values.map((v) => v(batch, ctx));
        const ov = otherwise ? otherwise(batch, ctx) : null;
        const b = new VecBuilder(type, n);
        for (let i = 0; i < n; i++) {
          let chosen: Vec | null = ov;
          for (let k = 0; k < cv.length; k++) {
            const c = cv[k]!;
            if (c.kind === "bool" && (c.valid === null || c.valid[i] === 1) && c.values[i] === 1) { chosen = vv[k]!; break; }
          }
          b.append(chosen === null ? null : valueAt(chosen, i));
        }
        return b.finish();
      };
    }
    case "WindowTime": return compileTumblingWindow(e);
    case "SessionWindow": return compileSessionWindow(e);
    case "AggregateCall":
      throw new InternalError(`aggregate ${e.name} reached scalar compilation; the planner should have replaced it`);
    case "Star":
      throw new InternalError("'*' reached compilation; the analyzer should have expanded it");
    case "Subquery":
      throw new InternalError("a subquery reached compilation; the SQL front end should have planned it as a join");
    case "WindowExpression":
      throw new InternalError(`window expression ${e.fn.kind === "Call" || e.fn.kind === "AggregateCall" ? e.fn.name : ""} reached scalar compilation; the plan builder should have moved it into a Window`);
  }
}

/** Window start of each timestamp for a tumbling window: integer arithmetic on epoch µs. */
export function windowStart(t: number, size: number, start: number): number {
  // A division and a floor instead of `%` on doubles (fmod, several times slower); the
  // quotient may round to the next integer, which the exact remainder then corrects.
  const x = t - start;
  let q = Math.floor(x / size);
  const rem = x - q * size;
  if (rem < 0) q--;
  else if (rem >= size) q++;
  return q * size + start;
}

/** The struct a window expression resolved to (TIMESTAMP or TIMESTAMP_NTZ bounds). */
function windowType(t: DataType | null): StructType {
  return t !== null && t.kind === "struct" ? t : WindowStructType;
}

/** A row's own session [t, t + gap) (what each row carries before sessions of a key merge). */
function compileSessionWindow(e: SessionWindow): Evaluator {
  const bounds = compileSessionBounds(e, compileExpression);
  const type = windowType(e.dataType);
  const tsType = type.fields[0]!.dataType;
  return (batch, ctx) => {
    const { starts, ends, valid, length } = bounds(batch, ctx);
    return {
      kind: "struct", type, length, valid,
      children: [numVec(tsType, starts, valid), numVec(tsType, ends, valid)],
    };
  };
}

function compileTumblingWindow(e: WindowTime): Evaluator {
  const time = compileExpression(e.timeColumn);
  const { sizeMicros, slideMicros, startMicros } = e;
  if (slideMicros !== sizeMicros) {
    throw new InternalError("a sliding window() reached scalar compilation; sliding windows are only valid as grouping keys");
  }
  return (batch, ctx) => {
    const t = time(batch, ctx);
    if (t.kind !== "num") throw new InternalError("window time column is not numeric");
    const n = t.length;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = windowStart(t.values[i]!, sizeMicros, startMicros);
      starts[i] = s;
      ends[i] = s + sizeMicros;
    }
    const type = windowType(e.dataType);
    const tsType = type.fields[0]!.dataType;
    return {
      kind: "struct", type, length: n, valid: t.valid,
      children: [numVec(tsType, starts, t.valid), numVec(tsType, ends, t.valid)],
    };
  };
}
