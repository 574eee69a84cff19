/** Where a Redis stream ends when the source last looked (XINFO STREAM). */
export interface StreamEnd {
  /** The id of its last entry; null when it has none (or the key does not exist). */
  readonly lastId: string | null;
  /** Entries in it now. */
  readonly length: number;
  /** Entries ever added to it (`entries-added`, Redis 7+); null from an older server. */
  readonly entriesAdded: number | null;
  /** The last entry is the last one added (not one before an entry since deleted): `entriesAdded` is its rank. */
  readonly lastIsNewest: boolean;
}

/** Ids ranked per stream: the last few positions the source read up to are all it asks about. */
const KEPT_PER_STREAM = 16;

/**
 * The rank of stream positions: how many entries had been added to a stream up to and
 * including an id. Redis cannot count the entries after an id without reading them, but
 * XINFO STREAM gives the rank of the last entry (`entries-added`), and a batch that read
 * n entries after a ranked id ends at rank + n. Entries behind the end of the stream are
 * then `entries-added − rank(consumed)`.
 */
export class StreamRanks {
  readonly #ranks = new Map<string, Map<string, number>>();

  note(stream: string, id: string, rank: number): void {
    let ranks = this.#ranks.get(stream);
    if (ranks === undefined) this.#ranks.set(stream, (ranks = new Map()));
    ranks.delete(id);
    ranks.set(id, rank);
    if (ranks.size > KEPT_PER_STREAM) ranks.delete(ranks.keys().next().value!);
  }

  rankOf(stream: string, id: string): number | undefined {
    return this.#ranks.get(stream)?.get(id);
  }

  /** `to` was reached by reading `count` entries after `from`: it is ranked when `from` is. */
  advance(stream: string, from: string, to: string, count: number): void {
    const rank = this.rankOf(stream, from);
    if (rank !== undefined) this.note(stream, to, rank + count);
  }

  /** What XINFO STREAM says ranks: the last entry, and the position before the first (all present entries ahead of it). */
  noteEnd(stream: string, end: StreamEnd, beforeFirst: string): void {
    if (end.entriesAdded === null) return;
    if (end.lastId !== null && end.lastIsNewest) this.note(stream, end.lastId, end.entriesAdded);
    if (this.rankOf(stream, beforeFirst) === undefined) this.note(stream, beforeFirst, end.entriesAdded - end.length);
  }

  /** Entries after `consumed` up to the stream's end; null when `consumed` has no rank. */
  behind(stream: string, consumed: string, end: StreamEnd): number | null {
    if (consumed === end.lastId || end.length === 0) return 0;
    const rank = this.rankOf(stream, consumed);
    if (rank === undefined || end.entriesAdded === null) return null;
    return Math.min(end.length, Math.max(0, end.entriesAdded - rank));
  }
}
