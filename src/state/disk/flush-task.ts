import { mergeSegments } from "./segment-merge.ts";
import { dataViewOf } from "./copy-bytes.ts";
import { RecordArena } from "./record-arena.ts";
import { RunWriter } from "./run-writer.ts";

/** What the flush thread (background-threads.ts, lane "flush") needs of a sealed memtable to write it out as a run. */
export interface FlushTask {
  readonly path: string;
  readonly bitsPerKey: number;
  /** No run is older: removals need not be written. */
  readonly dropRemovals: boolean;
  /** The arena's chunks (record-arena.ts), on SharedArrayBuffers: read, never written, by the thread. */
  readonly chunks: readonly Uint8Array[];
  /** The per-record arrays (memtable-records.ts), on SharedArrayBuffers: read, never written, by the thread. */
  readonly h1: Uint32Array;
  readonly h2: Uint32Array;
  readonly at: Float64Array;
  readonly len: Int32Array;
  readonly superseded: Uint8Array;
  readonly segmentStarts: readonly number[];
  readonly records: number;
  /** Distinct keys (the live records). */
  readonly keys: number;
  /**
   * Shared with the engine: [state (task-clock.ts's TaskState), records written]; the state is
   * written last, with Atomics, so that what comes before is visible once it is done.
   */
  readonly status: Int32Array;
  /** Shared with the engine: the hashes of the records written, in the order written (for its filter of the runs' keys). */
  readonly writtenH1: Uint32Array;
  readonly writtenH2: Uint32Array;
  /** Shared with the engine, room for `keys` entries: the records' order, filled here (reused, so the thread allocates little). */
  readonly order: Int32Array;
}

/**
 * Writes the sealed memtable of `task` as a run file (the same bytes MemtableFlush writes
 * on the engine's thread): its live records merged into hash1 order, removals left out
 * when `dropRemovals`. Runs in the flush thread; the engine keeps answering lookups from
 * the sealed memtable meanwhile, which does not change until the engine sees `status` done.
 */
export function writeFlushedRun(task: FlushTask): number {
  const order = mergeSegments(task.h1, task.superseded, task.segmentStarts, task.records, task.keys, task.order);
  const chunks = task.chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  const views = chunks.map(dataViewOf);
  const { h1, h2, at, len, writtenH1, writtenH2 } = task;
  const writer = new RunWriter(task.path, task.bitsPerKey);
  let written = 0;
  try {
    for (let o = 0; o < order.length; o++) {
      const r = order[o]!;
      const length = len[r]!;
      const tombstone = length < 0;
      if (tombstone && task.dropRemovals) continue;
      const address = at[r]!;
      const c = RecordArena.chunkNumber(address);
      const start = RecordArena.offsetOf(address);
      writer.addRecord(h1[r]!, h2[r]!, tombstone, chunks[c]!, views[c]!, start, start + Math.abs(length));
      writtenH1[written] = h1[r]!;
      writtenH2[written++] = h2[r]!;
    }
  } catch (error) {
    writer.abandon();
    throw error;
  }
  writer.finish();
  return written;
}
