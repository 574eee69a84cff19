import { AnalysisError } from "../../common/errors.ts";
import type { DataType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { AggregateCall, Expression } from "../expression.ts";
import { DistinctAccumulator } from "./distinct-accumulator.ts";

/**
 * Accumulators for many groups at once (DataFusion's GroupsAccumulator): state lives in
 * typed arrays indexed by group slot, and `update` folds a whole batch given each row's
 * slot, so per-row work is array indexing, not object allocation.
 */
export interface GroupsAccumulator {
  /** Makes slots [0, numSlots) usable; new slots start empty. */
  resize(numSlots: number): void;
  /** Folds row i of `args` into slot `slots[i]` for i < length. */
  update(args: readonly Vec[], slots: Int32Array, length: number): void;
  /** The buffer of one slot as a structured-clone-able value (what the state store keeps). */
  getState(slot: number): unknown;
  setState(slot: number, state: unknown): void;
  /** Empties a slot so that it can be reused for another group. */
  reset(slot: number): void;
  /** Folds one slot's state into another (partial aggregates from parallel partitions). */
  mergeState(slot: number, state: unknown): void;
  /**
   * Optional, with mergeStates: the states of `slots` as a few typed arrays (cheap to send
   * between threads), or undefined when this accumulator cannot now (callers then use getState).
   */
  exportStates?(slots: Int32Array, count: number): unknown;
  /** Folds exported states (exportStates' result for `count` groups) into `slots`, row j into slots[j]. */
  mergeStates?(slots: Int32Array, count: number, states: unknown): void;
  /** Final values of the given slots, as a vector of the call's result type. */
  evaluate(slots: Int32Array, count: number): Vec;
}

export interface AggregateFunction {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** Checks argument types; returns possibly cast arguments and the result type. */
  resolve(args: readonly Expression[], distinct: boolean): { args: readonly Expression[]; dataType: DataType };
  createAccumulator(call: AggregateCall): GroupsAccumulator;
  /** How Spark names a call (its `sql`) when not `name(args)`: the arguments already shown. */
  display?(args: readonly string[]): string;
  /** True when createAccumulator honours `call.distinct` itself (count); others get DistinctAccumulator. */
  readonly handlesDistinct?: boolean;
}

const registry = new Map<string, AggregateFunction>();

export function registerAggregates(list: readonly AggregateFunction[]): void {
  for (const f of list) {
    const g = f.handlesDistinct ? f : withDistinct(f);
    registry.set(f.name, g);
    for (const a of f.aliases ?? []) registry.set(a, g);
  }
}

/** `f(DISTINCT …)` over the distinct argument tuples, for functions that do not handle DISTINCT themselves. */
function withDistinct(f: AggregateFunction): AggregateFunction {
  return {
    ...f,
    createAccumulator: (call) => (call.distinct ? new DistinctAccumulator(call, () => f.createAccumulator(call)) : f.createAccumulator(call)),
  };
}

export function lookupAggregate(name: string): AggregateFunction | undefined {
  return registry.get(name.toLowerCase());
}

export function requireAggregate(name: string): AggregateFunction {
  const f = lookupAggregate(name);
  if (!f) throw new AnalysisError(`undefined aggregate function: ${name}`);
  return f;
}

/** Every registered aggregate name and alias, sorted. */
export function aggregateNames(): string[] {
  return [...registry.keys()].sort();
}

/** Grows a typed array to at least `n` elements, keeping its contents. */
export function growTo<T extends Float64Array | Uint8Array | Int32Array>(a: T, n: number): T {
  if (a.length >= n) return a;
  const b = new (a.constructor as { new (len: number): T })(Math.max(n, a.length * 2, 16));
  b.set(a);
  return b;
}
