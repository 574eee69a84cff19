import { keyString } from "../../columnar/key-string.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import type { StateKey } from "../../state/state-store.ts";
import { groupIds } from "../group-ids.ts";
import type { JoinKeyIds } from "./buffered-side.ts";

const KEY = "k";

/**
 * The store key of a join key's record: a single integral key part (of one type on both
 * sides) as the number itself (no string to build or hash; the store's other keys are all
 * strings), another single part as "k" + itself, several as their `keyString`; null when
 * a part is null (such a key never matches).
 */
export function keyRecord(values: readonly unknown[]): StateKey | null {
  if (values.length === 1) {
    const v = values[0];
    if (v === null) return null;
    // -0 and 0 are one key (SQL equality), one store key.
    if (typeof v === "number" && Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    if (typeof v === "number" || typeof v === "string" || typeof v === "bigint" || typeof v === "boolean") return KEY + String(v);
  }
  for (const v of values) if (v === null) return null;
  return KEY + keyString(values);
}

/**
 * The store keys one batch of the stored join touches, numbered densely as they come (join
 * keys of either side's rows, keys eviction visits, records of rows with null keys): both
 * sides' per-batch records are arrays by these ids.
 */
export class StoredJoinKeys implements JoinKeyIds {
  readonly keys: StateKey[] = [];
  readonly #ids = new Map<StateKey, number>();

  get size(): number {
    return this.keys.length;
  }

  idOf(key: StateKey): number {
    let id = this.#ids.get(key);
    if (id === undefined) { id = this.keys.length; this.keys.push(key); this.#ids.set(key, id); }
    return id;
  }

  /** The id of a key numbered in this batch, -1 for one not. */
  idIfKnown(key: StateKey): number {
    return this.#ids.get(key) ?? -1;
  }

  idsOf(keyVecs: readonly Vec[], rows: Int32Array, m: number): Int32Array {
    const out = new Int32Array(m);
    if (keyVecs.length === 1) {
      // One key column: each row's store key straight into the ids' map (grouping first would hash each key twice).
      const v = keyVecs[0]!;
      const one: unknown[] = [null];
      for (let j = 0; j < m; j++) {
        one[0] = valueAt(v, rows[j]!);
        const key = keyRecord(one);
        out[j] = key === null ? -1 : this.idOf(key);
      }
      return out;
    }
    const groups = groupIds(keyVecs, m, rows, null);
    const groupId = new Int32Array(groups.numGroups);
    for (let g = 0; g < groups.numGroups; g++) {
      const r = rows[groups.firstRow[g]!]!;
      const key = keyRecord(keyVecs.map((v) => valueAt(v, r)));
      groupId[g] = key === null ? -1 : this.idOf(key);
    }
    for (let j = 0; j < m; j++) out[j] = groupId[groups.ids[j]!]!;
    return out;
  }

  /** Records stay in the store until their rows are evicted: nothing to release. */
  release(): void {}
}

const SEGMENT = "s";

/** The store key of segment `j` of the key record `head`: "s" + the head ("#" + a number head) + "/" + j. */
export const segmentKey = (head: StateKey, j: number): string => `${SEGMENT}${typeof head === "number" ? `#${head}` : head}/${j}`;

/** Whether a store key names a segment. */
export const isSegmentKey = (key: StateKey): key is string => typeof key === "string" && key.startsWith(SEGMENT);

/** The head record's store key and the number of a segment's store key. */
export function segmentOf(key: string): { head: StateKey; j: number } {
  const slash = key.lastIndexOf("/");
  const head = key.slice(1, slash);
  return { head: head.startsWith("#") ? Number(head.slice(1)) : head, j: Number(key.slice(slash + 1)) };
}
