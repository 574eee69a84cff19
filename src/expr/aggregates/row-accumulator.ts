import type { DataType } from "../../types/data-types.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { GroupsAccumulator } from "./aggregate-function.ts";

/**
 * How an aggregate whose buffer is a JS value (a list, a map of counts) folds rows: the
 * buffer is its own state-store value, so it must be structured-clone-able (arrays,
 * numbers, strings, bigints, Uint8Arrays).
 */
export interface RowFold<S> {
  /** Folds one row's argument values into the slot's buffer (undefined for an empty slot); returns the buffer. */
  add(buffer: S | undefined, values: readonly unknown[]): S;
  merge(a: S, b: S): S;
  /** The result of a slot (its buffer undefined when no row reached it). */
  result(buffer: S | undefined): unknown;
  /** Whether a row with a null in argument k is skipped (default: all arguments). */
  readonly skipNullIn?: readonly number[];
}

/** A GroupsAccumulator over one JS buffer per slot, folding row by row. */
export class RowAccumulator<S> implements GroupsAccumulator {
  buffers: (S | undefined)[] = [];
  constructor(readonly type: DataType, readonly fold: RowFold<S>) {}
  resize(n: number): void { while (this.buffers.length < n) this.buffers.push(undefined); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const skip = this.fold.skipNullIn ?? args.map((_, k) => k);
    const values = new Array<unknown>(args.length);
    outer: for (let i = 0; i < length; i++) {
      for (let k = 0; k < args.length; k++) values[k] = valueAt(args[k]!, i);
      for (const k of skip) if (values[k] === null) continue outer;
      const s = slots[i]!;
      this.buffers[s] = this.fold.add(this.buffers[s], values);
    }
  }
  // Buffers are folded in place: the state store gets and gives copies.
  getState(s: number): unknown { const b = this.buffers[s]; return b === undefined ? null : structuredClone(b); }
  setState(s: number, state: unknown): void { this.buffers[s] = state === null ? undefined : structuredClone(state as S); }
  mergeState(s: number, state: unknown): void {
    if (state === null) return;
    const cur = this.buffers[s];
    this.buffers[s] = cur === undefined ? structuredClone(state as S) : this.fold.merge(cur, state as S);
  }
  reset(s: number): void { this.buffers[s] = undefined; }
  evaluate(slots: Int32Array, count: number): Vec {
    const b = new VecBuilder(this.type, count);
    for (let i = 0; i < count; i++) b.append(this.fold.result(this.buffers[slots[i]!]));
    return b.finish();
  }
}
