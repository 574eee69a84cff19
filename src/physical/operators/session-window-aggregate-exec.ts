import { ColumnBatch } from "../../columnar/column-batch.ts";
import { keyString } from "../../columnar/key-string.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { takeVec, valueAt, type Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { requireAggregate, type GroupsAccumulator } from "../../expr/aggregates/index.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import type { AggregateCall, Expression, SessionWindow } from "../../expr/expression.ts";
import { WindowStructType } from "../../expr/resolve.ts";
import { compileSessionBounds, type SessionBounds } from "../../expr/session-window.ts";
import { numVec } from "../../expr/vec-ops.ts";
import type { StateStore } from "../../state/state-store.ts";
import { StructType, TimestampType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { groupIds } from "../group-ids.ts";
import { OperatorState } from "../operator-state.ts";
import { mergeSessions, type KeySession } from "../session-merging.ts";
import { SessionGroups, type KeyState } from "../session-groups.ts";
import { notingStateOnDisk } from "../state-on-disk.ts";
import { isClosingIndexKey } from "../aggregate/stored/closing-index.ts";
import { runStoredSessionBatch, type StoredSessionBatch } from "../stored-sessions.ts";
import { statePartitionOf } from "../state-partitioning.ts";
import { sessionWindowStateSchema } from "../operator-state-schemas.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";

/**
 * Aggregation by `session_window` (Spark's SessionWindowStateStoreRestore/Save around
 * MergingSessionsExec), batch and streaming. Each row opens the session [t, t + gap) of
 * its key; sessions of a key that overlap merge, also with the sessions kept in state from
 * earlier batches, so an event that bridges two sessions joins them into one. Aggregates
 * live in accumulator slots, one per session. State is kept per key (all its sessions),
 * written only for keys the batch touched. In append mode a session is emitted once the
 * watermark passes its end, and then forgotten; complete mode emits every session.
 *
 * With a provider that keeps state on disk (stored-sessions.ts) nothing is held between
 * batches: a batch reads its keys' sessions from the store, and the keys due to close from
 * an event-time index kept in the store, so its cost follows its rows, not the state.
 */
export class SessionWindowAggregateExec implements StatefulOperator {
  readonly name = "SessionWindowAggregate";
  readonly children: readonly ExecOperator[];
  readonly #session: SessionWindow;
  readonly #sessionIndex: number;
  readonly #bounds: (batch: ColumnBatch, ctx: BatchContext["eval"]) => SessionBounds;
  readonly #keyEvaluators: Evaluator[];
  readonly #argEvaluators: Evaluator[][];
  readonly #accumulators: GroupsAccumulator[];
  readonly #results: Evaluator[];
  readonly #postSchema: StructType;

  readonly #groups: SessionGroups;
  readonly #state: OperatorState;
  /** Whether the provider keeps state on disk: then the sessions are read by key, batch by batch. */
  #stored = false;
  #metrics: StateOperatorMetrics = emptyStateMetrics("sessionWindowStateStoreSaveExec");

  constructor(
    readonly input: ExecOperator,
    readonly groupings: readonly Expression[],
    readonly aggregates: readonly AggregateCall[],
    readonly results: readonly Expression[],
    readonly schema: StructType,
    readonly operatorId: number,
    /** Whether the session's time column carries a watermark (append mode emits and evicts by it). */
    readonly hasEventTime: boolean,
    readonly numPartitions = 1,
  ) {
    this.children = [input];
    const stripped = groupings.map((g) => (g.kind === "Alias" ? g.child : g));
    this.#sessionIndex = stripped.findIndex((g) => g.kind === "SessionWindow");
    if (this.#sessionIndex < 0) throw new InternalError("a session window aggregation without session_window()");
    this.#session = stripped[this.#sessionIndex] as SessionWindow;
    this.#bounds = compileSessionBounds(this.#session, compileExpression);
    this.#keyEvaluators = groupings.filter((_, i) => i !== this.#sessionIndex).map(compileExpression);
    this.#argEvaluators = aggregates.map((a) => a.args.filter((x) => x.kind !== "Star").map(compileExpression));
    this.#accumulators = aggregates.map((a) => requireAggregate(a.name).createAccumulator(a));
    this.#postSchema = new StructType([
      ...groupings.map((g, i) => ({ name: `_g${i}`, dataType: g.dataType!, nullable: true })),
      ...aggregates.map((a, i) => ({ name: `_a${i}`, dataType: a.dataType!, nullable: true })),
    ]);
    this.#results = results.map(compileExpression);
    this.#groups = new SessionGroups(this.#accumulators);
    this.#state = new OperatorState(operatorId, (stores) => this.#restore(stores), numPartitions);
  }

  describe(): string {
    const keys = this.groupings.map(displayExpression).join(", ");
    const functions = this.aggregates.map(displayExpression).join(", ");
    const stored = this.#stored ? ", state=stored (sessions in the state store, read by key each batch)" : "";
    return `SessionWindowAggregate keys=[${keys}], functions=[${functions}]${this.numPartitions > 1 ? `, partitions=${this.numPartitions}` : ""}${stored}`;
  }

  open(state: StateContext | null): Promise<void> {
    return this.#state.open(state === null ? null : notingStateOnDisk(state, (onDisk) => { this.#stored = onDisk; }));
  }

  /** Holds every key's sessions (the in-memory providers); a stored run reads them by key instead. */
  #restore(stores: readonly StateStore[]): void {
    this.#groups.clear();
    if (this.#stored) return;
    for (const store of stores) {
      for (const [key, value] of store.entries()) {
        if (isClosingIndexKey(key)) continue;
        for (const session of this.#groups.adopt(key as string, value as KeyState).sessions) this.#groups.indexSession(session);
      }
    }
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const started = performance.now();
    const mode = ctx.outputMode;
    // Late rows are dropped in every mode; complete mode keeps every session. As in Spark: its
    // SessionWindowStateStoreRestoreExec filters late input whatever the mode, and its Save
    // evicts only in append and update mode.
    const hasWatermark = ctx.streaming && this.hasEventTime && ctx.watermarkMicros > -Infinity;
    const late = hasWatermark ? ctx.watermarkMicros : -Infinity;
    const useWatermark = hasWatermark && mode !== "complete";
    const watermark = useWatermark ? ctx.watermarkMicros : -Infinity;
    if (!ctx.streaming) this.#groups.clear();
    else if (this.#stored && this.#state.enabled) {
      let counts: Parameters<StoredSessionBatch["finish"]> | null = null;
      const output = await this.#state.update(ctx.batchId, (stores) => runStoredSessionBatch(this.#storedBatch(ctx, watermark, late, started, (...c) => { counts = c; }), stores));
      // After the commit, so that the store's metrics (and the commit time) are this batch's own.
      const [numSessions, updated, removed, dropped, updateMs, writeStarted] = counts!;
      this.#metrics = this.#batchMetrics(numSessions, updated, removed, dropped, updateMs, performance.now() - writeStarted);
      return output;
    } else await this.#state.ensureAt(ctx.batchId);

    const touched = new Map<string, number>();
    const changedSlots = new Set<number>();
    let dropped = 0;
    for (const batch of await this.input.execute(ctx)) {
      if (batch.numRows > 0) dropped += this.#consume(batch, ctx, late, touched, changedSlots, null);
    }
    // What to emit: every session (batch, complete), or in append mode the sessions the watermark closed.
    const emitted: { key: string; session: KeySession }[] = [];
    const evicted: KeySession[] = [];
    if (!ctx.streaming || mode === "complete") {
      for (const [key, group] of this.#groups.byKey) for (const session of group.sessions) emitted.push({ key, session });
    } else if (useWatermark) {
      for (const key of this.#closeSessions(this.#groups.keysClosingBy(watermark), watermark, mode === "append" ? emitted : null, evicted)) touched.set(key, touched.get(key) ?? Infinity);
    }
    const output = this.#output(emitted, ctx);
    const updateMs = performance.now() - started;

    let commitMs = 0;
    if (ctx.streaming && this.#state.enabled) {
      const t0 = performance.now();
      await this.#state.commit(ctx.batchId, (stores) => {
        for (const key of touched.keys()) {
          const group = this.#groups.byKey.get(key);
          const store = stores[statePartitionOf(key, this.numPartitions)]!;
          if (group === undefined || group.sessions.length === 0) store.remove(key);
          else store.put(key, this.#groups.stateOf(group));
        }
      });
      commitMs = performance.now() - t0;
    }
    for (const session of evicted) this.#groups.release(session.slot);
    for (const key of touched.keys()) if (this.#groups.byKey.get(key)?.sessions.length === 0) this.#groups.byKey.delete(key);
    this.#metrics = this.#batchMetrics(this.#groups.numSessions, changedSlots.size, evicted.length, dropped, updateMs, commitMs);
    return output.numRows > 0 || !ctx.streaming ? [output] : [];
  }

  /** The pieces of this operator a stored batch (stored-sessions.ts) runs with. */
  #storedBatch(ctx: BatchContext, watermark: number, late: number, started: number, finish: StoredSessionBatch["finish"]): StoredSessionBatch {
    return {
      groups: this.#groups, ctx, watermark, started, numPartitions: this.numPartitions,
      emitsEvicted: ctx.outputMode === "append",
      emitsAll: ctx.outputMode === "complete",
      input: () => this.input.execute(ctx),
      consume: (batch, touched, changedSlots, load) => this.#consume(batch, ctx, late, touched, changedSlots, load),
      closeSessions: (keys, emitted, evicted) => this.#closeSessions(keys, watermark, emitted, evicted),
      output: (emitted) => this.#output(emitted, ctx),
      finish,
    };
  }

  /**
   * Closes the sessions of `keys` that end at or before the watermark: they leave their
   * key (emitted too when `emitted` is given). Returns the keys that lost sessions.
   */
  #closeSessions(keys: Iterable<string>, watermark: number, emitted: { key: string; session: KeySession }[] | null, evicted: KeySession[]): string[] {
    const changed: string[] = [];
    for (const key of keys) {
      const group = this.#groups.byKey.get(key);
      if (group === undefined || group.sessions.length === 0 || group.sessions[0]!.end > watermark) continue;
      const kept: KeySession[] = [];
      for (const session of group.sessions) {
        if (session.end <= watermark) {
          emitted?.push({ key, session });
          evicted.push(session);
        } else kept.push(session);
      }
      group.sessions = kept;
      changed.push(key);
    }
    return changed;
  }

  #batchMetrics(numSessions: number, updated: number, removed: number, dropped: number, updateMs: number, commitMs: number): StateOperatorMetrics {
    return {
      ...emptyStateMetrics("sessionWindowStateStoreSaveExec"),
      numRowsTotal: numSessions,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
      allUpdatesTimeMs: Math.round(updateMs),
      commitTimeMs: Math.round(commitMs),
      memoryUsedBytes: this.#groups.numSessions * (48 + 16 * this.aggregates.length) + this.#state.memoryUsedBytes(),
      customMetrics: this.#state.customMetrics(),
      numShufflePartitions: this.numPartitions,
      numStateStoreInstances: this.numPartitions,
    };
  }

  /**
   * Folds one batch's rows into the sessions of their keys; returns how many rows were late.
   * `touched` gains each key the rows reach, with its earliest session end before them
   * (Infinity for a new key); `load` first reads the keys not at hand from the store.
   */
  #consume(
    batch: ColumnBatch, ctx: BatchContext, lateWatermark: number, touched: Map<string, number>, changedSlots: Set<number>,
    load: ((keys: readonly string[]) => void) | null,
  ): number {
    const bounds = this.#bounds(batch, ctx.eval);
    const kept: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < bounds.length; i++) {
      if (bounds.valid[i] === 0) continue;
      // A row whose own session ends at or before the watermark can join no open session: late, as in Spark.
      if (bounds.ends[i]! <= lateWatermark) late.push(i);
      else kept.push(i);
    }
    if (late.length > 0 && ctx.lateRows) ctx.lateRows.add(this.name, batch.take(Int32Array.from(late)), lateWatermark);
    if (kept.length === 0) return late.length;

    const rows = Int32Array.from(kept);
    const n = rows.length;
    const keyVecs = this.#keyEvaluators.map((e) => e(batch, ctx.eval));
    const local = groupIds(keyVecs, n, rows, null);
    // Rows of each local group, then each group's rows by start.
    const offsets = new Int32Array(local.numGroups + 1);
    for (let i = 0; i < n; i++) offsets[local.ids[i]! + 1]!++;
    for (let g = 0; g < local.numGroups; g++) offsets[g + 1]! += offsets[g]!;
    const order = new Int32Array(n);
    const fill = offsets.slice(0, local.numGroups);
    for (let i = 0; i < n; i++) order[fill[local.ids[i]!]!++] = i;

    const keyValuesOf: unknown[][] = [];
    const keys: string[] = [];
    for (let g = 0; g < local.numGroups; g++) {
      const first = rows[local.firstRow[g]!]!;
      const keyValues = keyVecs.map((v) => { const x = valueAt(v, first); return x === 0 ? 0 : x; }); // -0 groups with 0
      keyValuesOf.push(keyValues);
      keys.push(keyString(keyValues));
    }
    load?.(keys.filter((k) => !this.#groups.byKey.has(k)));

    const slotOfRow = new Int32Array(n);
    for (let g = 0; g < local.numGroups; g++) {
      const members = Array.from(order.subarray(offsets[g]!, offsets[g + 1]!));
      members.sort((a, b) => bounds.starts[rows[a]!]! - bounds.starts[rows[b]!]!);
      const key = keys[g]!;
      let group = this.#groups.byKey.get(key);
      if (group === undefined) { group = { keyValues: keyValuesOf[g]!, sessions: [] }; this.#groups.byKey.set(key, group); }
      if (!touched.has(key)) touched.set(key, group.sessions[0]?.end ?? Infinity);
      const merge = mergeSessions(
        group.sessions,
        members.map((j) => bounds.starts[rows[j]!]!),
        members.map((j) => bounds.ends[rows[j]!]!),
        () => this.#groups.allocate(key),
      );
      for (const { from, into } of merge.absorbed) {
        this.#accumulators.forEach((a) => a.mergeState(into, a.getState(from.slot)));
        this.#groups.release(from.slot);
        changedSlots.delete(from.slot);
      }
      members.forEach((j, m) => { slotOfRow[j] = merge.rowSlots[m]!; });
      for (const slot of merge.changed) changedSlots.add(slot);
      group.sessions = merge.sessions;
      const changed = new Set(merge.changed);
      for (const session of merge.sessions) if (changed.has(session.slot)) this.#groups.indexSession(session);
    }
    this.#argEvaluators.forEach((args, k) => {
      const vecs = args.map((e) => takeVec(e(batch, ctx.eval), rows, n));
      this.#accumulators[k]!.update(vecs, slotOfRow, n);
    });
    return late.length;
  }

  #output(emitted: readonly { key: string; session: KeySession }[], ctx: BatchContext): ColumnBatch {
    const count = emitted.length;
    const slots = Int32Array.from(emitted, (e) => e.session.slot);
    let keyIndex = 0;
    const columns: Vec[] = this.groupings.map((g, gi) => {
      if (gi === this.#sessionIndex) {
        const starts = Float64Array.from(emitted, (e) => e.session.start);
        const ends = Float64Array.from(emitted, (e) => e.session.end);
        return { kind: "struct", type: WindowStructType, length: count, valid: null, children: [numVec(TimestampType, starts, null), numVec(TimestampType, ends, null)] };
      }
      const k = keyIndex++;
      const b = new VecBuilder(g.dataType!, count);
      for (const e of emitted) b.append(this.#groups.byKey.get(e.key)!.keyValues[k]);
      return b.finish();
    });
    for (const a of this.#accumulators) columns.push(a.evaluate(slots, count));
    const post = new ColumnBatch(this.#postSchema, columns, count);
    return new ColumnBatch(this.schema, this.#results.map((r) => r(post, ctx.eval)), count);
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  stateSchema(): OperatorStateSchema {
    return sessionWindowStateSchema(this.operatorId, this.name, this.groupings, this.#sessionIndex, this.aggregates);
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}
