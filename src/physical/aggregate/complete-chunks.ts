import type { ColumnBatch } from "../../columnar/column-batch.ts";

/** Slots a chunk covers: 2^14. Small enough that a fold touching a few groups copies little, large enough that batches stay few. */
export const COMPLETE_CHUNK_SHIFT = 14;

/**
 * Complete mode's output, kept between batches in chunks of slots (copy-on-write group
 * state): each batch emits every group, but a chunk of slots that no fold, new group or
 * removal touched since it was emitted is emitted again as the very batch it was — its
 * arrays were made for that output, nobody writes to them, so the sink may keep them and
 * the table need not copy them out again. A touch drops the chunk's batch; the next
 * emission rebuilds only the chunks dropped. Slots grow in order of first appearance, so
 * with event time rising across batches the old hours' chunks are reused and only the
 * newest are made again.
 */
export class CompleteChunks {
  readonly #shift: number;
  /** The batch of each chunk as last emitted; null once a slot in it changed (or before its first emission). */
  #batches: (ColumnBatch | null)[] = [];

  constructor(shift = COMPLETE_CHUNK_SHIFT) {
    this.#shift = shift;
  }

  get chunkSize(): number {
    return 1 << this.#shift;
  }

  /** A slot's group changed (folded into, new, restored or removed): its chunk is made again at the next emission. */
  touch(slot: number): void {
    const c = slot >> this.#shift;
    if (c < this.#batches.length) this.#batches[c] = null;
  }

  /** Every slot may have changed (the table was cleared or restored). */
  forgetAll(): void {
    this.#batches = [];
  }

  /**
   * Every live slot below `numSlots`, in ascending order, as batches of at most one chunk
   * each: the kept batch of each untouched chunk, `build(slots)` for the others (its
   * result must own its arrays: it is kept and emitted again). Empty chunks give no batch.
   */
  emit(numSlots: number, isLive: (slot: number) => boolean, build: (slots: Int32Array) => ColumnBatch): ColumnBatch[] {
    const size = 1 << this.#shift;
    const chunks = (numSlots + size - 1) >> this.#shift;
    const batches = this.#batches;
    while (batches.length < chunks) batches.push(null);
    const out: ColumnBatch[] = [];
    const scratch = new Int32Array(Math.min(size, numSlots));
    for (let c = 0; c < chunks; c++) {
      let batch = batches[c]!;
      if (batch === null) {
        const end = Math.min(numSlots, (c + 1) * size);
        let n = 0;
        for (let s = c * size; s < end; s++) if (isLive(s)) scratch[n++] = s;
        batch = build(scratch.slice(0, n));
        batches[c] = batch;
      }
      if (batch.numRows > 0) out.push(batch);
    }
    return out;
  }
}
