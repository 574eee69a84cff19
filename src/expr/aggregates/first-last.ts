import { AnalysisError } from "../../common/errors.ts";
import type { Vec } from "../../columnar/vector.ts";
import { valueAt } from "../../columnar/vector.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { typeOf } from "../coercion.ts";
import type { AggregateCall, Expression } from "../expression.ts";
import type { AggregateFunction, GroupsAccumulator } from "./aggregate-function.ts";

/** first(x[, ignoreNulls]) / last(x[, ignoreNulls]) in arrival order, across batches too. */
class PositionalAccumulator implements GroupsAccumulator {
  values: unknown[] = [];
  set: boolean[] = [];
  constructor(readonly call: AggregateCall, readonly last: boolean, readonly ignoreNulls: boolean) {}
  resize(n: number): void { while (this.values.length < n) { this.values.push(null); this.set.push(false); } }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0]!;
    for (let i = 0; i < length; i++) {
      const s = slots[i]!;
      if (!this.last && this.set[s]) continue;
      const x = valueAt(v, i);
      if (x === null && this.ignoreNulls) continue;
      this.values[s] = x;
      this.set[s] = true;
    }
  }
  getState(slot: number): unknown { return this.set[slot] ? [this.values[slot]] : null; }
  setState(slot: number, state: unknown): void {
    this.set[slot] = state !== null;
    this.values[slot] = state === null ? null : (state as unknown[])[0];
  }
  mergeState(slot: number, state: unknown): void {
    if (state === null) return;
    if (this.last || !this.set[slot]) this.setState(slot, state);
  }
  reset(slot: number): void { this.values[slot] = null; this.set[slot] = false; }
  evaluate(slots: Int32Array, count: number): Vec {
    const b = new VecBuilder(this.call.dataType!, count);
    for (let i = 0; i < count; i++) b.append(this.values[slots[i]!]);
    return b.finish();
  }
}

function ignoreNullsOf(args: readonly Expression[]): boolean {
  const flag = args[1];
  if (!flag) return false;
  if (flag.kind !== "Literal" || typeof flag.value !== "boolean") throw new AnalysisError("first/last: ignoreNulls must be a boolean constant");
  return flag.value;
}

function positional(name: "first" | "last"): AggregateFunction {
  return {
    name,
    aliases: [`${name}_value`],
    resolve(args) {
      if (args.length < 1 || args.length > 2) throw new AnalysisError(`${name}() takes one or two arguments`);
      ignoreNullsOf(args);
      return { args, dataType: typeOf(args[0]!) };
    },
    createAccumulator: (call) => new PositionalAccumulator(call, name === "last", ignoreNullsOf(call.args)),
  };
}

export const first = positional("first");
export const last = positional("last");
