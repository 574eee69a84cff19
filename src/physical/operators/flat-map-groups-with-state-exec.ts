import { serialize } from "node:v8";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { rowsToBatch, type Row } from "../../columnar/values.ts";
import { valueAt } from "../../columnar/vector.ts";
import { ExecutionError } from "../../common/errors.ts";
import type { FlatMapGroupsWithState } from "../../plan/logical-plan.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { OperatorState } from "../operator-state.ts";
import type { StateKey, StateStore } from "../../state/state-store.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";
import { groupsWithStateSchema } from "../operator-state-schemas.ts";
import type { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { GroupStateImpl, NO_TIMESTAMP, type GroupStateEnv } from "./group-state-impl.ts";
import { RowGroups } from "./row-groups.ts";
import { keyOf, stateOf, storedKeyState, timeoutOf, type StoredKeyState } from "./stored-key-state.ts";

/**
 * Keys called, and their output converted, together (see #run): a share's rows and output
 * (~0.3 KiB a key in a sessions job) stay well within the young generation.
 */
let groupsAtOnce = 4096;

/** Sets how many keys #run takes at once (tests); returns the previous number. */
export function setGroupsAtOnce(n: number): number {
  const previous = groupsAtOnce;
  groupsAtOnce = n;
  return previous;
}

/** The keys' stored entries (stored-key-state.ts): the state store in a streaming query, a map in a batch query (nothing is kept there). */
interface KeyStates {
  getMany(keys: readonly string[]): Array<StoredKeyState | undefined>;
  set(key: string, state: StoredKeyState): void;
  delete(key: string): void;
  entries(): IterableIterator<[StateKey, StoredKeyState]>;
  readonly numKeys: number;
}

function mapStates(): KeyStates {
  const map = new Map<StateKey, StoredKeyState>();
  return {
    getMany: (keys) => keys.map((k) => map.get(k)),
    set: (key, state) => void map.set(key, state),
    delete: (key) => void map.delete(key),
    entries: () => map.entries(),
    get numKeys() {
      return map.size;
    },
  };
}

function storeStates(store: StateStore<StoredKeyState>): KeyStates {
  return {
    getMany: (keys) => store.getMany(keys),
    set: (key, state) => store.put(key, state),
    delete: (key) => store.remove(key),
    entries: () => store.entries(),
    get numKeys() {
      return store.numKeys;
    },
  };
}

/** Plain objects with their keys sorted, so that `{a, b}` and `{b, a}` are one key (keys compare by value). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
}

/** A stable state-store key for a JS key value: primitives cheaply, anything else by its v8 serialization. */
export function encodeGroupKey(key: unknown): string {
  switch (typeof key) {
    case "string": return `s${key}`;
    case "number": return `n${key}`;
    case "boolean": return key ? "t" : "f";
    case "bigint": return `b${key}`;
    default:
      if (key === null || key === undefined) return "0";
      if (key instanceof Date) return `d${key.getTime()}`;
      return `v${serialize(canonical(key)).toString("base64")}`;
  }
}

/**
 * groupByKey(...).flatMapGroupsWithState / mapGroupsWithState (Spark's
 * FlatMapGroupsWithStateExec), and the stateless mapGroups / flatMapGroups in batch
 * queries. Per batch: drops rows behind the watermark, groups the rest by key, calls the
 * function once per key with its rows and GroupState, then calls it for every key whose
 * timeout expired (processing time or watermark past the key's timeout) with no rows.
 * State — one `StoredKeyState` per key, named "groupState" — lives in the versioned store.
 */
export class FlatMapGroupsWithStateExec implements StatefulOperator {
  readonly name = "FlatMapGroupsWithState";
  readonly children: readonly ExecOperator[];
  readonly #state: OperatorState;
  #metrics: StateOperatorMetrics = emptyStateMetrics("flatMapGroupsWithState");
  /** No key in the state at version #minVersion has a timeout below this (-Infinity: unknown). */
  #minTimeoutMs = -Infinity;
  #minVersion = -1;

  constructor(
    readonly input: ExecOperator,
    readonly node: FlatMapGroupsWithState,
    readonly schema: StructType,
    readonly operatorId: number,
    /** The input's watermarked event-time column (late rows are dropped), or -1. */
    readonly eventTimeColumn: number,
    /** Whether the query defines a watermark (getCurrentWatermarkMs needs one). */
    readonly hasWatermark: boolean,
  ) {
    this.children = [input];
    // The keys' states live in the store only: a batch reads and writes the keys it has rows for.
    this.#state = new OperatorState(operatorId, null);
  }

  describe(): string {
    const n = this.node;
    return `FlatMapGroupsWithState ${n.name}${n.stateful ? `, ${n.outputMode}, ${n.timeout}` : ""}`;
  }

  open(state: StateContext | null): Promise<void> {
    return this.#state.open(this.node.stateful ? state : null);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const streaming = ctx.streaming && this.node.stateful && this.#state.enabled;
    if (!streaming) return this.#run(ctx, false, mapStates());
    const started = performance.now();
    if (this.#minVersion !== ctx.batchId) this.#minTimeoutMs = -Infinity;
    let updateMs = 0;
    const out = await this.#state.update(ctx.batchId, async ([store]) => {
      const result = await this.#run(ctx, true, storeStates(store as StateStore<StoredKeyState>));
      updateMs = performance.now() - started;
      return result;
    });
    this.#minVersion = ctx.batchId + 1;
    this.#metrics = {
      ...this.#metrics,
      allUpdatesTimeMs: Math.round(updateMs),
      commitTimeMs: Math.round(performance.now() - started - updateMs),
      memoryUsedBytes: this.#state.memoryUsedBytes(),
      customMetrics: { ...this.#state.customMetrics(), ...this.#metrics.customMetrics },
    };
    return out;
  }

  async #run(ctx: BatchContext, streaming: boolean, states: KeyStates): Promise<ColumnBatch[]> {
    const watermarkMicros = ctx.streaming ? ctx.watermarkMicros : -Infinity;
    const env: GroupStateEnv = {
      operator: this.node.name,
      timeout: this.node.timeout,
      streaming,
      processingTimeMs: Math.floor(ctx.eval.batchTimestampMicros / 1000),
      watermarkMs: !this.hasWatermark ? null : Number.isFinite(watermarkMicros) ? Math.floor(watermarkMicros / 1000) : 0,
    };

    // This batch's on-time rows (late rows are dropped), grouped by key in order of first appearance.
    const batches: ColumnBatch[] = [];
    let dropped = 0;
    for (let batch of await this.input.execute(ctx)) {
      if (batch.numRows === 0) continue;
      if (streaming && this.eventTimeColumn >= 0 && watermarkMicros > -Infinity) {
        const split = this.#splitLate(batch, watermarkMicros);
        if (split.late !== null) {
          dropped += split.late.numRows;
          ctx.lateRows?.add(this.name, split.late, watermarkMicros);
          batch = split.onTime;
        }
      }
      batches.push(batch);
    }
    const groups = new RowGroups(batches.reduce((n, b) => n + b.numRows, 0), this.node.keyFn, encodeGroupKey);
    for (const batch of batches) groups.add(batch);

    const outputBatches: ColumnBatch[] = [];
    let output: unknown[] = [];
    const emit = (): void => {
      if (output.length === 0) return;
      try {
        outputBatches.push(rowsToBatch(this.schema, output, `${this.node.name} output`));
      } catch (error) {
        throw new ExecutionError(`${this.node.name}: the function returned rows that do not match its output schema (${this.schema.toDDL()}): ${(error as Error).message}`, { cause: error });
      }
      output = [];
    };
    let updated = 0;
    let removed = 0;
    let minTimeout = Infinity;
    const call = (encoded: string, key: unknown, rows: Row[], previous: StoredKeyState | undefined, timedOut: boolean): void => {
      const state = new GroupStateImpl<unknown>(previous === undefined ? undefined : stateOf(previous), timedOut, env);
      for (const out of this.node.fn(key, rows, state)) output.push(out);
      if (!streaming) return;
      const timeoutMs = state.timeoutTimestampMs;
      if (state.isRemoved && timeoutMs === NO_TIMESTAMP) {
        if (previous !== undefined) { states.delete(encoded); removed++; }
      } else if (state.isUpdated || state.isRemoved || timeoutMs !== timeoutOf(previous)) {
        states.set(encoded, storedKeyState(key, state.getOption(), timeoutMs));
        updated++;
        if (timeoutMs !== NO_TIMESTAMP && timeoutMs < minTimeout) minTimeout = timeoutMs;
      }
    };
    // One lookup of the batch's keys (a disk-backed store answers them together: splitting it
    // costs more block reads); then the function is called and its output converted
    // groupsAtOnce keys at a time, so that the rows a call is given and the rows it returns
    // die young rather than all living until the batch ends.
    const previous = states.getMany(groups.encoded);
    for (let g = 0; g < groups.size; g++) {
      call(groups.encoded[g]!, groups.keys[g], groups.rowsOf(g), previous[g], false);
      if ((g + 1) % groupsAtOnce === 0) emit();
    }

    // Keys whose timeout passed are called back with no rows and hasTimedOut. The store is
    // scanned only when the threshold has passed the earliest timeout it may hold.
    let timedOut = 0;
    const threshold = !streaming ? null
      : this.node.timeout === "ProcessingTimeTimeout" ? env.processingTimeMs
        : this.node.timeout === "EventTimeTimeout" && Number.isFinite(watermarkMicros) ? Math.floor(watermarkMicros / 1000) : null;
    if (threshold !== null && Math.min(this.#minTimeoutMs, minTimeout) < threshold) {
      const expired: [string, StoredKeyState][] = [];
      let min = Infinity;
      for (const [encoded, s] of states.entries()) {
        const timeoutMs = timeoutOf(s);
        if (timeoutMs === NO_TIMESTAMP) continue;
        if (timeoutMs < threshold) expired.push([encoded as string, s]);
        else if (timeoutMs < min) min = timeoutMs;
      }
      minTimeout = min;
      this.#minTimeoutMs = Infinity;
      for (const [encoded, s] of expired) {
        call(encoded, keyOf(encoded, s), [], s, true);
        if (++timedOut % groupsAtOnce === 0) emit();
      }
    }
    this.#minTimeoutMs = Math.min(this.#minTimeoutMs, minTimeout);

    this.#metrics = {
      ...emptyStateMetrics("flatMapGroupsWithState"),
      numRowsTotal: streaming ? states.numKeys : 0,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
      customMetrics: { numTimedOutKeys: timedOut },
    };
    emit();
    return outputBatches;
  }

  #splitLate(batch: ColumnBatch, watermarkMicros: number): { onTime: ColumnBatch; late: ColumnBatch | null } {
    const times = batch.columns[this.eventTimeColumn]!;
    const late: number[] = [];
    const onTime: number[] = [];
    for (let i = 0; i < batch.numRows; i++) {
      const t = eventTimeMicros(valueAt(times, i));
      (t !== null && t <= watermarkMicros ? late : onTime).push(i);
    }
    if (late.length === 0) return { onTime: batch, late: null };
    return { onTime: batch.take(Int32Array.from(onTime)), late: batch.take(Int32Array.from(late)) };
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  stateSchema(): OperatorStateSchema {
    return groupsWithStateSchema(this.operatorId, this.name);
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}
