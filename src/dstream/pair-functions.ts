import { keyOf, partitionOf, type KeyOf } from "./keys.ts";

/**
 * The shuffle-side functions behind the pair operations of RDDs and DStreams, over plain
 * arrays of `[key, value]` pairs with keys compared by value (see keys.ts). Each keeps
 * the first-seen form of a key and the order in which keys first appear.
 */
export type Pair<K, V> = [K, V];

/** Spark's reduceByKey: one pair per key, its values combined with `f` in arrival order. */
export function reduceByKeyMap<K, V>(pairs: Iterable<readonly [K, V]>, f: (a: V, b: V) => V, into = new Map<KeyOf, Pair<K, V>>()): Map<KeyOf, Pair<K, V>> {
  for (const [k, v] of pairs) {
    const mk = keyOf(k);
    const cur = into.get(mk);
    if (cur === undefined) into.set(mk, [k, v]);
    else cur[1] = f(cur[1], v);
  }
  return into;
}

/** Spark's groupByKey: each key with all its values, in arrival order. */
export function groupByKeyMap<K, V>(pairs: Iterable<readonly [K, V]>, into = new Map<KeyOf, Pair<K, V[]>>()): Map<KeyOf, Pair<K, V[]>> {
  for (const [k, v] of pairs) {
    const mk = keyOf(k);
    const cur = into.get(mk);
    if (cur === undefined) into.set(mk, [k, [v]]);
    else cur[1].push(v);
  }
  return into;
}

/** Spark's cogroup of two pair collections: each key with its values from either side. */
export function cogroupMap<K, V, W>(left: Iterable<readonly [K, V]>, right: Iterable<readonly [K, W]>): Map<KeyOf, Pair<K, [V[], W[]]>> {
  const out = new Map<KeyOf, Pair<K, [V[], W[]]>>();
  for (const [k, v] of left) {
    const mk = keyOf(k);
    const cur = out.get(mk);
    if (cur === undefined) out.set(mk, [k, [[v], []]]);
    else cur[1][0].push(v);
  }
  for (const [k, w] of right) {
    const mk = keyOf(k);
    const cur = out.get(mk);
    if (cur === undefined) out.set(mk, [k, [[], [w]]]);
    else cur[1][1].push(w);
  }
  return out;
}

export type JoinKind = "inner" | "left" | "right" | "full";

/**
 * Joins by key. A side without a match gives `undefined` (Spark's `None`): a left outer
 * join yields `[k, [v, undefined]]` for a key only on the left.
 */
export function joinPairs<K, V, W>(left: Iterable<readonly [K, V]>, right: Iterable<readonly [K, W]>, kind: JoinKind): Pair<K, [V | undefined, W | undefined]>[] {
  const out: Pair<K, [V | undefined, W | undefined]>[] = [];
  for (const [k, [vs, ws]] of cogroupMap(left, right).values()) {
    if (vs.length > 0 && ws.length > 0) {
      for (const v of vs) for (const w of ws) out.push([k, [v, w]]);
    } else if (vs.length > 0 && (kind === "left" || kind === "full")) {
      for (const v of vs) out.push([k, [v, undefined]]);
    } else if (ws.length > 0 && (kind === "right" || kind === "full")) {
      for (const w of ws) out.push([k, [undefined, w]]);
    }
  }
  return out;
}

/** Spreads pairs over `n` partitions by the hash of their key. */
export function hashPartition<T>(items: Iterable<T>, n: number, keyOfItem: (item: T) => unknown): T[][] {
  const parts: T[][] = Array.from({ length: Math.max(1, n) }, () => []);
  if (parts.length === 1) {
    for (const item of items) parts[0]!.push(item);
    return parts;
  }
  for (const item of items) parts[partitionOf(keyOfItem(item), parts.length)]!.push(item);
  return parts;
}

/** Spark's ordering for sortBy keys: numbers numerically, strings by code unit, arrays element-wise. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = String(keyOf(a));
  const kb = String(keyOf(b));
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
