import { threadId } from "node:worker_threads";
import { TAG_VALUE, type KeyColumnData } from "./group-table/key-column.ts";

/**
 * The strings of partial groups' keys, sent once per worker thread rather than with every
 * file's groups. A worker's partial groups of one file name their strings by codes into that
 * file's own list, so every file would send (structured clone) each of its groups' strings
 * again, and this thread would hash each again to find its group: with about one group per
 * row that costs this thread as much as reading the row itself. Instead each worker keeps,
 * per plan and key column, one dictionary that only grows: a file's groups carry codes into
 * it and only the strings it did not have. This thread keeps the same lists (the very string
 * objects it received, whose hashes V8 keeps), in the order the worker's results arrive,
 * which is the order it sent them. Codes never reach the state: the groups' values, and the
 * order they are merged in, are what they were.
 */

/** A column's dictionary starts again beyond this many strings (a stream's keys may grow without end). */
const MAX_STRINGS = 1 << 21;

/** Per key column: null when its words are not string codes, else the strings new since the last delta. */
export type KeyStringsDelta = readonly ({ readonly restart: boolean; readonly added: readonly string[] } | null)[];

/** What a worker sends with one file's groups: whose dictionaries, and what they gained. */
export interface SentKeyStrings {
  readonly sender: string;
  readonly delta: KeyStringsDelta;
}

/** A worker thread's dictionaries of one plan (see the module comment). */
export class KeyStringsSender {
  readonly #codes: Map<string, number>[] = [];
  readonly #sender: string;

  constructor(planKey: string, readonly maxStrings = MAX_STRINGS) {
    this.#sender = `${threadId}:${planKey}`;
  }

  /** Rewrites the string columns of `keys` (exported for this message: changed in place) to this sender's codes. */
  encode(keys: readonly KeyColumnData[], count: number): SentKeyStrings {
    const delta = keys.map((data, k) => {
      if (data.strings.length === 0) return null;
      let codes = this.#codes[k];
      let restart = false;
      if (codes === undefined || codes.size + data.strings.length > this.maxStrings) {
        restart = codes !== undefined;
        codes = this.#codes[k] = new Map();
      }
      const added: string[] = [];
      const mine = new Int32Array(data.strings.length).fill(-1);
      const { tags, words } = data;
      for (let j = 0; j < count; j++) {
        if (tags[j] !== TAG_VALUE) continue;
        const w = words[j]!;
        let g = mine[w]!;
        if (g < 0) {
          const s = data.strings[w]!;
          let c = codes.get(s);
          if (c === undefined) {
            c = codes.size;
            codes.set(s, c);
            added.push(s);
          }
          g = mine[w] = c;
        }
        words[j] = g;
      }
      return { restart, added };
    });
    return { sender: this.#sender, delta };
  }

  /** The keys as they travel: string columns carry codes only. */
  static withoutStrings(keys: readonly KeyColumnData[], sent: SentKeyStrings): KeyColumnData[] {
    return keys.map((data, k) => (sent.delta[k] === null ? data : { ...data, strings: [] }));
  }
}

/** This thread's copies of the workers' dictionaries, by sender: process-wide, as the workers' are. */
const received = new Map<string, string[][]>();

/**
 * Applies a worker's delta (call it for every result of that worker, in the order they
 * arrive) and gives the keys back with their strings: the receiver's list, by code.
 */
export function receiveKeyStrings(keys: readonly KeyColumnData[], sent: SentKeyStrings): KeyColumnData[] {
  let columns = received.get(sent.sender);
  if (columns === undefined) received.set(sent.sender, (columns = []));
  return keys.map((data, k) => {
    const d = sent.delta[k];
    if (d === null || d === undefined) return data;
    // A restart makes a new list: results received before it, not merged yet, keep the old one.
    if (d.restart || columns[k] === undefined) columns[k] = [];
    const strings = columns[k]!;
    for (const s of d.added) strings.push(s);
    return { ...data, strings };
  });
}
