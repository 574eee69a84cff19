import { join } from "node:path";

/**
 * Every path inside a checkpoint directory comes from here (Spark's layout):
 *   metadata                         the query id, written once
 *   offsets/<batchId>                write-ahead log of each batch's source offsets
 *   commits/<batchId>                written after the sink took the batch
 *   sources/<sourceIndex>/…          each source's own metadata (e.g. files read)
 *   state/<operatorId>/<partition>/  each stateful operator's state store versions
 *   state/<operatorId>/_metadata/schema  the operator's state key and value schemas (checked at start)
 *   sinks/…                          sinks' own metadata
 *   lock                             the running query's pid, host and ids (one writer at a time)
 *   .lock.takeover-<tag>-<n>         who is taking over a stale lock (short-lived)
 */
export class CheckpointPaths {
  constructor(readonly root: string) {}

  get metadata(): string { return join(this.root, "metadata"); }
  get offsets(): string { return join(this.root, "offsets"); }
  get commits(): string { return join(this.root, "commits"); }
  get sinks(): string { return join(this.root, "sinks"); }
  get lock(): string { return join(this.root, "lock"); }
  lockTakeover(tag: string, attempt: number): string { return join(this.root, `.lock.takeover-${tag}-${attempt}`); }
  isLockTakeoverName(name: string): boolean { return name.startsWith(".lock.takeover-"); }
  offsetFile(batchId: number): string { return join(this.offsets, String(batchId)); }
  commitFile(batchId: number): string { return join(this.commits, String(batchId)); }
  source(index: number): string { return join(this.root, "sources", String(index)); }
  state(operatorId: number, partition = 0): string { return join(this.root, "state", String(operatorId), String(partition)); }
  stateSchema(operatorId: number): string { return join(this.root, "state", String(operatorId), "_metadata", "schema"); }
}
