import type { Vec } from "../../columnar/vector.ts";
import type { DataType } from "../../types/data-types.ts";
import { GroupTable } from "../group-table/group-table.ts";
import { TAG_NULL, type EncodedKeys } from "../group-table/key-column.ts";

/**
 * The join keys both sides of a stream–stream join hold rows for, as slots of a group
 * table (fixed-width encoded keys, hashed once per row, no key string): a side's new rows
 * find their key slot once, probe the other side's rows of that slot, and are buffered
 * under it. A key with a null part never matches (SQL equality) and gets no slot.
 */
export class JoinKeyTable {
  readonly #table: GroupTable;
  #scratch: EncodedKeys = { tags: [], words: [] };
  #hashes = new Int32Array(0);
  #found = new Int32Array(0);

  constructor(types: readonly DataType[], onNewSlots: (numSlots: number) => void) {
    this.#table = new GroupTable(types, onNewSlots);
  }

  get size(): number {
    return this.#table.size;
  }

  /** The key slot of each of rows[0 … m) of the key vectors (added when new), -1 where a key part is null. */
  slotsOf(keys: readonly Vec[], rows: Int32Array, m: number): Int32Array {
    const out = new Int32Array(m).fill(-1);
    if (m === 0) return out;
    if (this.#hashes.length < m) {
      this.#scratch = { tags: keys.map(() => new Uint8Array(m)), words: keys.map(() => new Float64Array(m)) };
      this.#hashes = new Int32Array(m);
      this.#found = new Int32Array(m);
    }
    const { tags, words } = this.#scratch;
    this.#table.columns.forEach((c, k) => c.encodeRows(keys[k]!, rows, m, tags[k]!, words[k]!));
    // Rows whose key has a null part are left out: the others move down to [0, count).
    const at = new Int32Array(m);
    let count = 0;
    for (let j = 0; j < m; j++) {
      let isNull = false;
      for (let k = 0; k < tags.length; k++) if (tags[k]![j] === TAG_NULL) { isNull = true; break; }
      if (isNull) continue;
      if (count !== j) for (let k = 0; k < tags.length; k++) { tags[k]![count] = tags[k]![j]!; words[k]![count] = words[k]![j]!; }
      at[count++] = j;
    }
    this.#table.hash(this.#scratch, count, this.#hashes);
    this.#table.findOrInsert(this.#scratch, this.#hashes, count, this.#found);
    for (let j = 0; j < count; j++) out[at[j]!] = this.#found[j]!;
    return out;
  }

  #removedSinceCompaction = 0;

  remove(slot: number): void {
    if (!this.#table.isLive(slot)) return;
    this.#table.remove(slot);
    // String keys of evicted rows stay in the table's dictionaries until it compacts them.
    if (++this.#removedSinceCompaction > Math.max(4096, this.#table.size)) {
      this.#table.compactDictionaries();
      this.#removedSinceCompaction = 0;
    }
  }

  clear(): void {
    this.#table.clear();
  }
}
