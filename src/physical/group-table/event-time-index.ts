/** Slots of one time: an Int32Array grown by doubling (no JS array the collector copies per group). */
interface SlotList {
  slots: Int32Array;
  count: number;
}

/**
 * Group slots by the event time that closes them (a window's end, or an event-time key's
 * value), so that a watermark finds the groups it closes without looking at the others:
 * a min-heap of the distinct times, each with its slots. Adding a group and taking the
 * closed ones cost in proportion to those groups, not to the groups in the table.
 */
export class EventTimeIndex {
  /** Distinct times, a binary min-heap. */
  #heap: number[] = [];
  readonly #slots = new Map<number, SlotList>();
  #size = 0;

  /** Slots indexed. */
  get size(): number {
    return this.#size;
  }

  /** Indexes `slot` under `time`; a group no watermark closes (a null time: Infinity) is not indexed. */
  add(slot: number, time: number): void {
    if (!(time < Infinity)) return;
    let list = this.#slots.get(time);
    if (list === undefined) {
      list = { slots: new Int32Array(16), count: 0 };
      this.#slots.set(time, list);
      this.#push(time);
    }
    if (list.count === list.slots.length) {
      const grown = new Int32Array(list.slots.length * 2);
      grown.set(list.slots);
      list.slots = grown;
    }
    list.slots[list.count++] = slot;
    this.#size++;
  }

  /** The earliest indexed time (Infinity when empty). */
  earliest(): number {
    return this.#heap.length > 0 ? this.#heap[0]! : Infinity;
  }

  /** Removes and returns the slots whose time is ≤ `watermark`, ordered by time, then slot. */
  takeUpTo(watermark: number): Int32Array {
    if (!(this.earliest() <= watermark)) return new Int32Array(0);
    const parts: SlotList[] = [];
    let count = 0;
    while (this.#heap.length > 0 && this.#heap[0]! <= watermark) {
      const time = this.#pop();
      const list = this.#slots.get(time)!;
      this.#slots.delete(time);
      parts.push(list);
      count += list.count;
    }
    const out = new Int32Array(count);
    let n = 0;
    for (const list of parts) {
      const part = out.subarray(n, n + list.count);
      part.set(list.slots.subarray(0, list.count));
      part.sort();
      n += list.count;
    }
    this.#size -= count;
    return out;
  }

  clear(): void {
    this.#heap = [];
    this.#slots.clear();
    this.#size = 0;
  }

  #push(time: number): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(time);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= time) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = time;
  }

  #pop(): number {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let least = i;
      let leastValue = last;
      if (l < heap.length && heap[l]! < leastValue) { least = l; leastValue = heap[l]!; }
      if (r < heap.length && heap[r]! < leastValue) { least = r; leastValue = heap[r]!; }
      if (least === i) break;
      heap[i] = leastValue;
      i = least;
    }
    heap[i] = last;
    return top;
  }
}
