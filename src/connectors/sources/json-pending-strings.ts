import type { VecBuilder } from "../../columnar/vec-builder.ts";
import { FRESH } from "./byte-interner.ts";
import { PENDING_LINES, type ShapeRow } from "./json-line-shape.ts";

/**
 * Appends the string values a direct shape's lines left pending (json-line-shape.ts) to
 * their columns, looked up in their interners a run of lines at a time rather than one
 * line at a time: the interner first loads the table entries of all of them (their cache
 * misses overlap, as the group table's probes do), then each is looked up and appended.
 * With many distinct values (tens of thousands of urls) a lookup is mostly its misses, and
 * one at a time they are paid one after another.
 *
 * `slots` are the shape's string fields' slots in field order (pendingStringSlots); `b`
 * and `dv` the bytes the values were read from, still the same.
 */
export function appendPendingStrings(row: ShapeRow, slots: readonly number[], b: Buffer, dv: DataView, builders: readonly VecBuilder[]): void {
  const n = row.pendingCount;
  if (n === 0) return;
  row.pendingCount = 0;
  const from = row.pendingFrom, end = row.pendingEnd, hash = row.pendingHash;
  for (let q = 0; q < slots.length; q++) {
    const slot = slots[q]!;
    const interner = row.interners[slot]!, out = builders[slot]!;
    const base = q * PENDING_LINES;
    interner.touch(hash, from, base, base + n);
    for (let j = base; j < base + n; j++) {
      const f = from[j]!;
      if (f < 0) { out.appendNull(); continue; }
      const h = hash[j]!;
      const s = interner.intern(b, dv, f, end[j]!, h);
      const id = interner.lastId;
      if (id >= 0) out.appendInterned(s, id, interner.generation, h);
      else if (id === FRESH) out.appendFresh(s, h);
      else out.appendString(s);
    }
  }
}
