import { InternalError } from "../../common/errors.ts";

/** Slots a full page of rows holds: 2^14. */
export const ROW_PAGE_SHIFT = 14;
export const ROW_PAGE_MASK = (1 << ROW_PAGE_SHIFT) - 1;

/**
 * Fixed-width state of many groups as one row of float64 words per slot, shared by the
 * accumulators of one aggregation (count, sum, avg, min, max each claim a few words of the
 * row): a group's update or new group touches one cache line, not one line per array.
 * Rows live in pages of 2^14 slots, so growing adds a page and copies nothing (with a
 * million groups, doubling arrays re-copied and re-faulted every earlier group's words);
 * the first page grows by doubling up to its full size, so that a small table stays small.
 *
 * Slot s's word k is `pages[s >>> ROW_PAGE_SHIFT][(s & ROW_PAGE_MASK) * width + k]`.
 */
export class SlotRows {
  pages: Float64Array[] = [];
  #width = 0;
  #capacity = 0;

  /** Words per row. */
  get width(): number {
    return this.#width;
  }

  /** Slots with a row. */
  get capacity(): number {
    return this.#capacity;
  }

  /** `words` more words in every row, for one accumulator: their offset in the row. Only before any row exists. */
  claim(words: number): number {
    if (this.#capacity > 0) throw new InternalError("slot rows widened after rows were made");
    const offset = this.#width;
    this.#width += words;
    return offset;
  }

  /** Rows for slots [0, n) at least; new rows are zero. */
  ensure(n: number): void {
    if (n <= this.#capacity || this.#width === 0) return;
    const page = 1 << ROW_PAGE_SHIFT, width = this.#width;
    if (this.#capacity < page) {
      const slots = Math.min(page, Math.max(n, this.#capacity * 2, 16));
      const first = new Float64Array(slots * width);
      if (this.pages.length > 0) first.set(this.pages[0]!);
      this.pages[0] = first;
      this.#capacity = slots;
    }
    while (this.#capacity < n) {
      this.pages.push(new Float64Array(page * width));
      this.#capacity += page;
    }
  }

  /** Word k of slot s's row (not for hot loops: they index the pages themselves). */
  get(s: number, k: number): number {
    return this.pages[s >>> ROW_PAGE_SHIFT]![(s & ROW_PAGE_MASK) * this.#width + k]!;
  }

  set(s: number, k: number, value: number): void {
    this.pages[s >>> ROW_PAGE_SHIFT]![(s & ROW_PAGE_MASK) * this.#width + k] = value;
  }

  /** Bytes of the rows (an estimate for metrics). */
  bytes(): number {
    return this.#capacity * this.#width * 8;
  }
}
