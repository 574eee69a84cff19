import type { Memtable } from "./memtable.ts";
import { SMALL_RUN_BITS_PER_KEY } from "./bloom-filter.ts";
import { RunWriter } from "./run-writer.ts";
import type { RunsKeyFilter } from "./runs-key-filter.ts";

/**
 * Writing a memtable out as a run file, at once or in steps (RocksDB flushes an immutable
 * memtable in the background while a new one takes the writes; here the commits that
 * follow each write a share). The records are ordered once, when the flush starts; the
 * memtable must not change until the flush is done.
 */
export class MemtableFlush {
  readonly #order: Int32Array;
  readonly #writer: RunWriter;
  #next = 0;

  /** `dropRemovals`: no run is older, so removals need not be written; `keys`: gets every key written. */
  constructor(readonly mem: Memtable, readonly dropRemovals: boolean, readonly path: string, readonly name: string, readonly keys: RunsKeyFilter) {
    this.#order = mem.sortedRecords();
    this.#writer = new RunWriter(path, SMALL_RUN_BITS_PER_KEY);
    keys.reserve(this.#order.length);
  }

  get bytes(): number {
    return this.#writer.bytes;
  }

  /** Writes records until about `budgetBytes` more are written or all are: true when the run file is finished. */
  step(budgetBytes: number): boolean {
    const mem = this.mem;
    const order = this.#order;
    const writer = this.#writer;
    const keys = this.keys;
    const limit = writer.bytes + budgetBytes;
    while (this.#next < order.length) {
      if (writer.bytes >= limit) return false;
      const r = order[this.#next++]!;
      const tombstone = mem.isTombstone(r);
      if (tombstone && this.dropRemovals) continue;
      const h1 = mem.hash1(r);
      const h2 = mem.hash2(r);
      keys.add(h1, h2);
      const start = mem.offsetOf(r);
      writer.addRecord(h1, h2, tombstone, mem.chunkOf(r), mem.chunkViewOf(r), start, start + mem.lengthOf(r));
    }
    writer.finish();
    return true;
  }

  abandon(): void {
    this.#writer.abandon();
  }
}
