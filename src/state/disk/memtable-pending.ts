import { InternalError } from "../../common/errors.ts";
import type { MemtableRecords } from "./memtable-records.ts";
import type { ArenaMark, RecordArena } from "./record-arena.ts";

/**
 * Where a memtable's pending records begin — those the version being updated appended
 * (putIfAbsent's new keys, then its puts and removes at commit), not yet committed — and
 * what undoes them: the arena and the segments as they were before the first, and the
 * committed records they replaced, which are marked superseded only when they commit (until
 * then an abort brings them back). Pending records are the arena's tail, so the version's
 * changelog copies them as they are (RecordArena.slicesSince).
 */
export class PendingRecords {
  /** The first pending record, or -1 when none. */
  from = -1;
  /** The arena as it was at `from`. */
  readonly arena: ArenaMark = { chunks: 0, pos: 0, lastUsed: 0, bytes: 0 };
  /** Segments there were at `from`. */
  #segments = 0;
  /** Committed records that pending ones replaced. */
  #shadowed: number[] = [];

  /** Whether record `r` is pending. */
  has(r: number): boolean {
    return this.from >= 0 && r >= this.from;
  }

  /** Pending records of the `count` the memtable holds. */
  count(count: number): number {
    return this.from < 0 ? 0 : count - this.from;
  }

  /** Makes the records from the next one on pending (when none are yet). */
  begin(recs: MemtableRecords, arena: RecordArena): void {
    if (this.from >= 0) return;
    this.from = recs.count;
    arena.mark(this.arena);
    this.#segments = recs.segmentStarts.length;
  }

  /** Committed record `o` was replaced by a pending one: superseded once they commit. */
  shadow(o: number): void {
    this.#shadowed.push(o);
  }

  /** The pending records become committed. */
  commit(recs: MemtableRecords): void {
    for (const o of this.#shadowed) recs.superseded[o] = 1;
    this.reset();
  }

  /** Drops the pending records from `recs` and `arena` (the caller rebuilds its index); false when there were none. */
  abort(recs: MemtableRecords, arena: RecordArena): boolean {
    if (this.from < 0) return false;
    recs.rewind(this.from, this.#segments);
    arena.rewind(this.arena);
    this.reset();
    return true;
  }

  /** No pending records (the memtable was cleared, or they committed). */
  reset(): void {
    this.#shadowed = [];
    this.from = -1;
  }

  /** Throws unless none are pending: committed records are appended only between versions. */
  checkNone(): void {
    if (this.from >= 0) throw new InternalError("memtable: a committed record cannot be added while a version's records are pending");
  }
}
