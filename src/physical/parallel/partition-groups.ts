import type { Vec } from "../../columnar/vector.ts";
import { requireAggregate, type GroupsAccumulator } from "../../expr/aggregates/index.ts";
import type { AggregateCall, Expression, WindowTime } from "../../expr/expression.ts";
import { TimestampType } from "../../types/data-types.ts";
import { groupColumns } from "../aggregate/aggregate-output.ts";
import { importKeys, mergeStates, type PartialGroups } from "../aggregate/partial-groups.ts";
import { ChangedSlots } from "../group-table/changed-slots.ts";
import { GroupTable } from "../group-table/group-table.ts";

/** What a partition's groups are of: the aggregation's grouping keys and aggregate calls (resolved). */
export interface PartitionGroupsSpec {
  readonly groupings: readonly Expression[];
  readonly aggregates: readonly AggregateCall[];
}

/** A partition's groups as output: the grouping keys (a window as its struct) then each aggregate's result, `count` rows. */
export interface PartitionOutput {
  readonly count: number;
  readonly columns: readonly Vec[];
}

/**
 * One partition of a hash-partitioned aggregation's groups (parallel/key-partitions.ts says
 * which groups): the state its owner thread keeps between batches, so that the owners of
 * the partitions merge their shares of every file's partial groups at the same time, each
 * into its own table, rather than one thread merging every partial. Partials are merged
 * in the order given: given in file order, a re-run batch adds each group's values in the
 * same order, to the last bit of a DOUBLE sum. Its output is columnar (typed arrays, a
 * string dictionary), cheap to send to the thread that writes the batch's result.
 */
export class PartitionGroups {
  readonly table: GroupTable;
  readonly accumulators: readonly GroupsAccumulator[];
  readonly #window: WindowTime | null;
  readonly #windowIndex: number;
  readonly #changed = new ChangedSlots();
  #room = 0;

  constructor(spec: PartitionGroupsSpec) {
    const unaliased = spec.groupings.map((g) => (g.kind === "Alias" ? g.child : g));
    this.#windowIndex = unaliased.findIndex((g) => g.kind === "WindowTime");
    this.#window = this.#windowIndex >= 0 ? (unaliased[this.#windowIndex] as WindowTime) : null;
    const accumulators = spec.aggregates.map((a) => requireAggregate(a.name).createAccumulator(a));
    this.accumulators = accumulators;
    // A window key is held as its start (as AggregateExec holds it).
    this.table = new GroupTable(spec.groupings.map((g, i) => (i === this.#windowIndex ? TimestampType : g.dataType!)), (n) => {
      if (n <= this.#room) return;
      this.#room = Math.max(n, this.#room * 2, 16);
      for (const a of accumulators) a.resize(this.#room);
    });
  }

  get size(): number {
    return this.table.size;
  }

  /** Folds partial groups of this partition into its groups, column by column; they count as changed in this batch. */
  merge(partial: PartialGroups): void {
    const m = partial.count;
    if (m === 0) return;
    const keys = importKeys(this.table, partial);
    const hashes = new Int32Array(m);
    this.table.hash(keys, m, hashes);
    const slots = new Int32Array(m);
    this.table.findOrInsert(keys, hashes, m, slots);
    mergeStates(this.accumulators, slots, partial);
    for (let j = 0; j < m; j++) this.#changed.add(slots[j]!);
  }

  /** The groups changed since the batch began (update mode), or all of them (complete mode), as output columns. */
  output(which: "changed" | "all"): PartitionOutput {
    const slots = which === "all" ? this.table.liveSlots() : this.#changed.slots().slice();
    return { count: slots.length, columns: groupColumns(this.table, this.#windowIndex, this.#window, this.accumulators, slots) };
  }

  /** A new batch: no group changed yet. */
  beginBatch(): void {
    this.#changed.reset();
  }
}
