/**
 * The slots a batch changed, each once, in the order they were first changed: a bit per
 * slot and a list, instead of a Set of numbers. A bit a slot keeps the marks of a million
 * groups in 125 KiB, so that marking a batch's random slots hits the cache; a new batch
 * clears only the bits of the slots it listed.
 */
export class ChangedSlots {
  #bits = new Int32Array(1);
  #list = new Int32Array(16);
  #count = 0;

  /** Starts a new batch: no slot changed. */
  reset(): void {
    const bits = this.#bits, list = this.#list, count = this.#count;
    // Clearing the whole bitset is cheaper than its listed slots once they are many.
    if (count * 8 >= bits.length) bits.fill(0);
    else for (let i = 0; i < count; i++) bits[list[i]! >>> 5] = 0;
    this.#count = 0;
  }

  add(slot: number): void {
    const word = slot >>> 5, bit = 1 << (slot & 31);
    if (word >= this.#bits.length) this.#growBits(word + 1);
    const bits = this.#bits, w = bits[word]!;
    if ((w & bit) !== 0) return;
    bits[word] = w | bit;
    if (this.#count === this.#list.length) this.#growList();
    this.#list[this.#count++] = slot;
  }

  #growBits(words: number): void {
    const bits = new Int32Array(Math.max(words, this.#bits.length * 2));
    bits.set(this.#bits);
    this.#bits = bits;
  }

  #growList(): void {
    const list = new Int32Array(this.#list.length * 2);
    list.set(this.#list);
    this.#list = list;
  }

  has(slot: number): boolean {
    const word = slot >>> 5;
    return word < this.#bits.length && (this.#bits[word]! & (1 << (slot & 31))) !== 0;
  }

  get size(): number {
    return this.#count;
  }

  /** The changed slots, in order of first change (a view: valid until the next add or reset). */
  slots(): Int32Array {
    return this.#list.subarray(0, this.#count);
  }
}
