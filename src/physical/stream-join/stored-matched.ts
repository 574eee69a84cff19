import { InternalError } from "../../common/errors.ts";
import type { StateStore } from "../../state/state-store.ts";
import type { KeyRows } from "./key-rows.ts";

/**
 * Where a stored row's matched flag lives. A row of a side that tracks matches (an outer
 * side, a semi join's left side) carries in its record's flag slot a locator, 2 + entry ·
 * POSITIONS + position: its index entry and its place there; the flags of an entry's rows
 * are one byte array (`m<entry>`), so that a probe marking rows matched rewrites a few of
 * these, not each matched row's key record. A slot of 0 or 1 is the flag itself: rows of a
 * checkpoint written before locators (layout 3), rows never evicted (no index entry), and
 * every row of a side that tracks no matches.
 *
 * An entry's flags are stored as a string, a bit a row in base64: eight times smaller than a
 * byte a row, and a string stays in the state codec's compact form (a typed array would go
 * through node:v8's serialization).
 */
const POSITIONS = 2 ** 26;
const MATCHED = "m";

/** Whether a row at `position` of entry `entry` has a locator (else its flag is in its record). */
export function hasLocator(entry: number, position: number): boolean {
  return entry < POSITIONS && position < POSITIONS;
}

/** The slot of an indexed row: a locator, or its flag when entry or position do not fit one. */
export function matchedSlot(entry: number, position: number, matched: number): number {
  return hasLocator(entry, position) ? 2 + entry * POSITIONS + position : matched;
}

const slotOf = (rec: KeyRows, r: number): number => rec[1 + (rec[0] as number) + r] as number;
const entryOf = (slot: number): number => Math.floor((slot - 2) / POSITIONS);
const positionOf = (slot: number): number => (slot - 2) % POSITIONS;

interface Flags { bits: Uint8Array; stored: boolean }

/** One batch's view of a side's matched flags by index entry: read together per step, written once at the end. */
export class StoredMatchedFlags {
  readonly #store: StateStore;
  /** By entry id: its flags (null: none stored, no row of it marked yet). */
  readonly #flags = new Map<number, Flags | null>();
  readonly #dirty = new Set<number>();

  constructor(store: StateStore) {
    this.#store = store;
  }

  /** Reads the flags of the entries of rows rows[0 … m) of records recs[0 … m) not read in this batch yet (one getMany). */
  readFor(recs: ArrayLike<KeyRows>, rows: ArrayLike<number>, m: number): void {
    const ask: number[] = [];
    for (let j = 0; j < m; j++) {
      const slot = slotOf(recs[j]!, rows[j]!);
      if (slot < 2) continue;
      const entry = entryOf(slot);
      if (!this.#flags.has(entry)) { this.#flags.set(entry, null); ask.push(entry); }
    }
    this.#read(ask);
  }

  /** Reads the flags of records' rows with an eviction time at or below `threshold` (rows eviction is about to take). */
  readDue(recs: readonly (KeyRows | null | undefined)[], threshold: number): void {
    const ask: number[] = [];
    for (const rec of recs) {
      if (rec === null || rec === undefined) continue;
      const n = rec[0] as number;
      for (let r = 0; r < n; r++) {
        if ((rec[1 + r] as number) > threshold) continue;
        const slot = slotOf(rec, r);
        if (slot < 2) continue;
        const entry = entryOf(slot);
        if (!this.#flags.has(entry)) { this.#flags.set(entry, null); ask.push(entry); }
      }
    }
    this.#read(ask);
  }

  /** Reads the flags of entries not read in this batch yet (one getMany). */
  readEntries(entries: readonly number[]): void {
    const ask = entries.filter((e) => !this.#flags.has(e));
    for (const e of ask) this.#flags.set(e, null);
    this.#read(ask);
  }

  /** Whether the row at `position` of entry `entry` (a row with a locator; the entry's flags read before) matched. */
  isMatchedAt(entry: number, position: number): boolean {
    const flags = this.#flags.get(entry);
    if (flags === undefined) throw new InternalError(`the stream–stream join read a matched flag of entry ${entry} before its entry's flags`);
    return flags !== null && flags.bits[position] === 1;
  }

  /** Whether row r of `rec` matched (its entry's flags read before). */
  isMatched(rec: KeyRows, r: number): boolean {
    const slot = slotOf(rec, r);
    if (slot < 2) return slot === 1;
    const flags = this.#flags.get(entryOf(slot));
    if (flags === undefined) throw new InternalError(`the stream–stream join read a row's matched flag of entry ${entryOf(slot)} before its entry's flags`);
    return flags !== null && flags.bits[positionOf(slot)] === 1;
  }

  /** Marks row r of `rec` matched; returns false when the flag is the record's own (the caller rewrites the record). */
  markMatched(rec: KeyRows, r: number): boolean {
    const slot = slotOf(rec, r);
    if (slot < 2) { rec[1 + (rec[0] as number) + r] = 1; return false; }
    this.mark(entryOf(slot), positionOf(slot));
    return true;
  }

  /** An entry made in this batch: it has no flags yet. */
  created(entry: number): void {
    this.#flags.set(entry, null);
  }

  /** Marks position `position` of entry `entry` matched (its flags read before, or the entry made in this batch). */
  mark(entry: number, position: number): void {
    let flags = this.#flags.get(entry);
    if (flags === undefined) throw new InternalError(`the stream–stream join marked a row of entry ${entry} matched before reading its entry's flags`);
    if (flags === null) this.#flags.set(entry, flags = { bits: new Uint8Array(Math.max(64, position + 1)), stored: false });
    if (position >= flags.bits.length) {
      const bits = new Uint8Array(Math.max(position + 1, 2 * flags.bits.length));
      bits.set(flags.bits);
      flags.bits = bits;
    }
    flags.bits[position] = 1;
    this.#dirty.add(entry);
  }

  /** Drops the flags of entries whose rows have all left the state. */
  drop(entries: readonly number[]): void {
    this.#read(entries.filter((e) => !this.#flags.has(e)));
    for (const entry of entries) {
      const flags = this.#flags.get(entry);
      if (flags !== null && flags !== undefined && flags.stored) this.#store.remove(MATCHED + entry);
      this.#flags.set(entry, null);
      this.#dirty.delete(entry);
    }
  }

  /** Writes the flags changed in this batch. */
  flush(): void {
    for (const entry of this.#dirty) {
      const flags = this.#flags.get(entry);
      if (flags === null || flags === undefined) continue;
      this.#store.put(MATCHED + entry, packed(flags.bits));
      flags.stored = true;
    }
    this.#dirty.clear();
  }

  #read(entries: readonly number[]): void {
    if (entries.length === 0) return;
    const found = this.#store.getMany(entries.map((e) => MATCHED + e)) as Array<string | undefined>;
    for (let j = 0; j < entries.length; j++) {
      const stored = found[j];
      this.#flags.set(entries[j]!, stored === undefined ? null : { bits: unpacked(stored), stored: true });
    }
  }
}

/** A byte a row (1: matched) as a bit a row, in base64. */
function packed(bits: Uint8Array): string {
  const out = Buffer.alloc((bits.length + 7) >>> 3);
  for (let i = 0; i < bits.length; i++) if (bits[i] === 1) out[i >>> 3]! |= 1 << (i & 7);
  return out.toString("base64");
}

function unpacked(stored: string): Uint8Array {
  const packedBits = Buffer.from(stored, "base64");
  const bits = new Uint8Array(packedBits.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = (packedBits[i >>> 3]! >>> (i & 7)) & 1;
  return bits;
}
