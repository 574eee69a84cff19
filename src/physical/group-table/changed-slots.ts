/**
 * The slots a batch changed, each once, in the order they were first changed: a mark per
 * slot (the batch's epoch) and a list, instead of a Set of numbers.
 */
export class ChangedSlots {
  #epoch = 1;
  #marks = new Uint32Array(16);
  #list = new Int32Array(16);
  #count = 0;

  /** Starts a new batch: no slot changed. */
  reset(): void {
    this.#epoch++;
    this.#count = 0;
    if (this.#epoch === 0xffffffff) { this.#marks.fill(0); this.#epoch = 1; }
  }

  add(slot: number): void {
    if (slot >= this.#marks.length) {
      const marks = new Uint32Array(Math.max(slot + 1, this.#marks.length * 2));
      marks.set(this.#marks);
      this.#marks = marks;
    }
    if (this.#marks[slot] === this.#epoch) return;
    this.#marks[slot] = this.#epoch;
    if (this.#count === this.#list.length) {
      const list = new Int32Array(this.#list.length * 2);
      list.set(this.#list);
      this.#list = list;
    }
    this.#list[this.#count++] = slot;
  }

  has(slot: number): boolean {
    return slot < this.#marks.length && this.#marks[slot] === this.#epoch;
  }

  get size(): number {
    return this.#count;
  }

  /** The changed slots, in order of first change (a view: valid until the next add or reset). */
  slots(): Int32Array {
    return this.#list.subarray(0, this.#count);
  }
}
