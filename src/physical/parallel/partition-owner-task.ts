import { fromTransferable, toTransferable } from "../../expr/transferable.ts";
import type { PartialGroups } from "../aggregate/partial-groups.ts";
import { PartitionGroups, type PartitionGroupsSpec } from "./partition-groups.ts";

/**
 * Runs in the worker thread that owns partitions of aggregations' groups (remote-partition.ts
 * sends the tasks, pinned to this worker, so they run here one after another, in order).
 * The partitions live here between tasks, by the id their owner gave them.
 */
const partitions = new Map<string, PartitionGroups>();

function partition(id: string): PartitionGroups {
  const p = partitions.get(id);
  if (p === undefined) throw new Error(`no partition ${id} in this worker (never opened, or closed)`);
  return p;
}

export async function openPartition(id: string, spec: unknown): Promise<{ value: null }> {
  partitions.set(id, new PartitionGroups(fromTransferable<PartitionGroupsSpec>(spec)));
  return { value: null };
}

export async function beginPartitionBatch(id: string): Promise<{ value: null }> {
  partition(id).beginBatch();
  return { value: null };
}

/** Merges partials in the order given; answers the partition's number of groups. */
export async function mergeIntoPartition(id: string, partials: readonly PartialGroups[]): Promise<{ value: number }> {
  const p = partition(id);
  for (const partial of partials) p.merge(partial);
  return { value: p.size };
}

/** The partition's changed (or all) groups as output columns, their types made transferable. */
export async function partitionOutput(id: string, which: "changed" | "all"): Promise<{ value: unknown }> {
  return { value: toTransferable(partition(id).output(which)) };
}

export async function closePartition(id: string): Promise<{ value: boolean }> {
  return { value: partitions.delete(id) };
}
