import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { rowReader, type Row } from "../../columnar/values.ts";

/**
 * A batch's rows grouped by key, in order of first appearance, held as row numbers (a list
 * linked through `#next`): a group's rows are made again when its function call needs them
 * (`rowsOf`), so the rows made to compute the keys die young instead of all living, each with
 * its Dates, until the batch ends (a scavenge copies, then promotes, whatever is still alive).
 */
export class RowGroups {
  /** Each group's store key (encodeGroupKey of its key). */
  readonly encoded: string[] = [];
  /** Each group's key value, as the key function returned it. */
  readonly keys: unknown[] = [];
  readonly #groupOf = new Map<string, number>();
  readonly #first: number[] = [];
  readonly #last: number[] = [];
  /** The next row of the same group, -1 after its last. */
  readonly #next: Int32Array;
  /** The batch each row is in, and where each batch's rows start. */
  readonly #batchOf: Int32Array;
  readonly #starts: number[] = [];
  readonly #readers: Array<(i: number) => Row> = [];
  #rows = 0;

  /** Room for `rows` rows in all; `keyOf` is the key function, `encode` its key as a store key. */
  constructor(rows: number, readonly keyOf: (row: Row) => unknown, readonly encode: (key: unknown) => string) {
    this.#next = new Int32Array(rows);
    this.#batchOf = new Int32Array(rows);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Adds the rows of `batch` to their groups. */
  add(batch: ColumnBatch): void {
    const read = rowReader(batch);
    const b = this.#readers.length;
    this.#readers.push(read);
    this.#starts.push(this.#rows);
    for (let i = 0; i < batch.numRows; i++) {
      const key = this.keyOf(read(i));
      const encoded = this.encode(key);
      const id = this.#rows++;
      this.#batchOf[id] = b;
      this.#next[id] = -1;
      const g = this.#groupOf.get(encoded);
      if (g === undefined) {
        this.#groupOf.set(encoded, this.keys.length);
        this.keys.push(key);
        this.encoded.push(encoded);
        this.#first.push(id);
        this.#last.push(id);
      } else {
        this.#next[this.#last[g]!] = id;
        this.#last[g] = id;
      }
    }
  }

  /** The rows of group `g`, in input order, made now. */
  rowsOf(g: number): Row[] {
    const rows: Row[] = [];
    for (let id = this.#first[g]!; id !== -1; id = this.#next[id]!) {
      const b = this.#batchOf[id]!;
      rows.push(this.#readers[b]!(id - this.#starts[b]!));
    }
    return rows;
  }
}
