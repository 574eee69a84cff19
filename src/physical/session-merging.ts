/**
 * Session merging for one grouping key, as Spark's MergingSessionsIterator: sessions sorted
 * by start; one whose start is at or before the current session's end extends it (so an
 * event exactly at a session's end joins it), otherwise it begins the next. The existing
 * sessions of the key (from state) and the rows of this batch merge in one sweep.
 */

/** A session of a key: [start, end) and the accumulator slot holding its aggregates. */
export interface KeySession {
  readonly start: number;
  readonly end: number;
  readonly slot: number;
}

export interface SessionMerge {
  /** The key's sessions after the batch, sorted by start. */
  readonly sessions: KeySession[];
  /** The slot each row's session aggregates into, in the order the rows were given. */
  readonly rowSlots: Int32Array;
  /** Existing sessions absorbed into another: fold `from`'s aggregates into `into`, then free `from`. */
  readonly absorbed: readonly { readonly from: KeySession; readonly into: number }[];
  /** Slots of sessions this batch created or changed (new rows, a later end, absorbed sessions). */
  readonly changed: readonly number[];
}

/**
 * Merges `existing` (sorted by start, disjoint) with rows whose own sessions are
 * [rowStarts[j], rowEnds[j]) (sorted by start). A merged session keeps the slot of its
 * earliest existing session, or `newSlot()` when it holds only new rows.
 */
export function mergeSessions(
  existing: readonly KeySession[],
  rowStarts: ArrayLike<number>,
  rowEnds: ArrayLike<number>,
  newSlot: () => number,
): SessionMerge {
  const n = rowStarts.length;
  const sessions: KeySession[] = [];
  const rowSlots = new Int32Array(n);
  const absorbed: { from: KeySession; into: number }[] = [];
  const changed: number[] = [];

  let e = 0, r = 0;
  // The session being built: its bounds, its existing members and its rows [firstRow, r).
  let start = 0, end = 0, open = false, changedHere = false;
  let members: KeySession[] = [];
  let firstRow = 0;

  const close = (): void => {
    if (!open) return;
    const slot = members.length > 0 ? members[0]!.slot : newSlot();
    for (let k = 1; k < members.length; k++) absorbed.push({ from: members[k]!, into: slot });
    for (let j = firstRow; j < r; j++) rowSlots[j] = slot;
    sessions.push({ start, end, slot });
    if (changedHere) changed.push(slot);
    open = false;
  };

  while (e < existing.length || r < n) {
    const takeExisting = r >= n || (e < existing.length && existing[e]!.start <= rowStarts[r]!);
    const s = takeExisting ? existing[e]!.start : rowStarts[r]!;
    const t = takeExisting ? existing[e]!.end : rowEnds[r]!;
    if (open && s <= end) {
      // Extends the current session.
      if (t > end) { end = t; changedHere = true; }
      if (takeExisting) members.push(existing[e]!);
      changedHere = true;
    } else {
      // The rows consumed so far belong to the session being closed.
      close();
      firstRow = r;
      open = true;
      start = s;
      end = t;
      members = takeExisting ? [existing[e]!] : [];
      changedHere = !takeExisting;
    }
    if (takeExisting) e++; else r++;
  }
  close();
  return { sessions, rowSlots, absorbed, changed };
}
