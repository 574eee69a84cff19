import { AnalysisError } from "../common/errors.ts";
import type { DataFrame } from "../api/dataset.ts";
import type { Session } from "../session/session.ts";
import type { StructType } from "../types/data-types.ts";
import { keyOf, type KeyOf } from "./keys.ts";
import {
  cogroupMap, compareValues, groupByKeyMap, hashPartition, joinPairs, reduceByKeyMap, type JoinKind, type Pair,
} from "./pair-functions.ts";

/**
 * One interval's data of a DStream (Spark's RDD), held in memory as partitions of plain
 * values. A DStream batch is small and already materialised when a user sees it, so the
 * operations are eager: each returns a new RDD and never changes this one. Pair
 * operations expect elements that are `[key, value]` arrays and compare keys by value.
 */
export class RDD<T> {
  readonly #partitions: readonly (readonly T[])[];
  readonly #session: Session | null;

  constructor(partitions: readonly (readonly T[])[], session: Session | null = null) {
    this.#partitions = partitions.length === 0 ? [[]] : partitions;
    this.#session = session;
  }

  /** Spark's `parallelize`: `values` cut into `numSlices` contiguous slices. */
  static parallelize<T>(values: Iterable<T>, numSlices = 1, session: Session | null = null): RDD<T> {
    if (!Number.isInteger(numSlices) || numSlices < 1) throw new AnalysisError(`numSlices must be a positive integer, not ${numSlices}`);
    const all = [...values];
    const parts: T[][] = [];
    for (let i = 0; i < numSlices; i++) {
      parts.push(all.slice(Math.floor((i * all.length) / numSlices), Math.floor(((i + 1) * all.length) / numSlices)));
    }
    return new RDD(parts, session);
  }

  static empty<T>(session: Session | null = null): RDD<T> {
    return new RDD<T>([[]], session);
  }

  /** The partitions, read-only. */
  get partitions(): readonly (readonly T[])[] {
    return this.#partitions;
  }

  get session(): Session | null {
    return this.#session;
  }

  getNumPartitions(): number {
    return this.#partitions.length;
  }

  #derive<U>(partitions: readonly (readonly U[])[]): RDD<U> {
    return new RDD<U>(partitions, this.#session);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const part of this.#partitions) yield* part;
  }

  // ---- Element-wise ----
  map<U>(f: (value: T) => U): RDD<U> {
    return this.#derive(this.#partitions.map((p) => p.map((v) => f(v))));
  }

  flatMap<U>(f: (value: T) => Iterable<U>): RDD<U> {
    return this.#derive(this.#partitions.map((p) => {
      const out: U[] = [];
      for (const v of p) for (const u of f(v)) out.push(u);
      return out;
    }));
  }

  filter(f: (value: T) => boolean): RDD<T> {
    return this.#derive(this.#partitions.map((p) => p.filter((v) => f(v))));
  }

  /** `f` gets each partition's values (and its index) and returns the new partition's values. */
  mapPartitions<U>(f: (values: readonly T[], index: number) => Iterable<U>): RDD<U> {
    return this.#derive(this.#partitions.map((p, i) => [...f(p, i)]));
  }

  mapPartitionsWithIndex<U>(f: (index: number, values: readonly T[]) => Iterable<U>): RDD<U> {
    return this.mapPartitions((values, index) => f(index, values));
  }

  /** Each partition as one array element. */
  glom(): RDD<T[]> {
    return this.#derive(this.#partitions.map((p) => [[...p]]));
  }

  union(...others: RDD<T>[]): RDD<T> {
    return this.#derive([...this.#partitions, ...others.flatMap((o) => o.#partitions)]);
  }

  /** Values spread evenly over `n` partitions (Spark's repartition, without the random start). */
  repartition(n: number): RDD<T> {
    checkPartitions(n);
    const parts: T[][] = Array.from({ length: n }, () => []);
    let i = 0;
    for (const v of this) parts[i++ % n]!.push(v);
    return this.#derive(parts);
  }

  /** Fewer partitions by merging neighbours (more only with `shuffle`). */
  coalesce(n: number, shuffle = false): RDD<T> {
    checkPartitions(n);
    if (shuffle || n >= this.#partitions.length) return shuffle ? this.repartition(n) : this;
    const parts: T[][] = Array.from({ length: n }, () => []);
    this.#partitions.forEach((p, i) => parts[Math.floor((i * n) / this.#partitions.length)]!.push(...p));
    return this.#derive(parts);
  }

  distinct(numPartitions = this.getNumPartitions()): RDD<T> {
    const seen = new Map<KeyOf, T>();
    for (const v of this) {
      const k = keyOf(v);
      if (!seen.has(k)) seen.set(k, v);
    }
    return this.#derive(hashPartition(seen.values(), numPartitions, (v) => v));
  }

  /** Sorted by `f(value)`; the result keeps `numPartitions` contiguous ranges (Spark's range partitioning). */
  sortBy<K>(f: (value: T) => K, ascending = true, numPartitions = this.getNumPartitions()): RDD<T> {
    checkPartitions(numPartitions);
    const keyed = [...this].map((v) => [f(v), v] as const);
    keyed.sort((a, b) => (ascending ? 1 : -1) * compareValues(a[0], b[0]));
    const sorted = keyed.map(([, v]) => v);
    return RDD.parallelize(sorted, numPartitions, this.#session);
  }

  // ---- Pair operations ----
  keys<K, V>(this: RDD<[K, V]>): RDD<K> {
    return this.map(([k]) => k);
  }

  values<K, V>(this: RDD<[K, V]>): RDD<V> {
    return this.map(([, v]) => v);
  }

  mapValues<K, V, U>(this: RDD<[K, V]>, f: (value: V) => U): RDD<[K, U]> {
    return this.map(([k, v]) => [k, f(v)] as [K, U]);
  }

  flatMapValues<K, V, U>(this: RDD<[K, V]>, f: (value: V) => Iterable<U>): RDD<[K, U]> {
    return this.flatMap(([k, v]) => [...f(v)].map((u) => [k, u] as [K, U]));
  }

  reduceByKey<K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, numPartitions = this.getNumPartitions()): RDD<[K, V]> {
    return this.#derive(hashPartition(reduceByKeyMap(this, f).values(), numPartitions, pairKey));
  }

  groupByKey<K, V>(this: RDD<[K, V]>, numPartitions = this.getNumPartitions()): RDD<[K, V[]]> {
    return this.#derive(hashPartition(groupByKeyMap(this).values(), numPartitions, pairKey));
  }

  sortByKey<K, V>(this: RDD<[K, V]>, ascending = true, numPartitions = this.getNumPartitions()): RDD<[K, V]> {
    return this.sortBy(([k]) => k, ascending, numPartitions);
  }

  join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W]]> {
    return this.#joined(other, "inner", numPartitions) as RDD<[K, [V, W]]>;
  }

  leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W | undefined]]> {
    return this.#joined(other, "left", numPartitions) as RDD<[K, [V, W | undefined]]>;
  }

  rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | undefined, W]]> {
    return this.#joined(other, "right", numPartitions) as RDD<[K, [V | undefined, W]]>;
  }

  fullOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | undefined, W | undefined]]> {
    return this.#joined(other, "full", numPartitions);
  }

  #joined<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, kind: JoinKind, numPartitions?: number): RDD<[K, [V | undefined, W | undefined]]> {
    const n = numPartitions ?? Math.max(this.getNumPartitions(), other.getNumPartitions());
    return this.#derive(hashPartition(joinPairs(this, other, kind), n, pairKey));
  }

  cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V[], W[]]]> {
    const n = numPartitions ?? Math.max(this.getNumPartitions(), other.getNumPartitions());
    return this.#derive(hashPartition(cogroupMap(this, other).values(), n, pairKey));
  }

  /** Pairs as a Map from key to value (the last value of a key wins); keys compared by value. */
  collectAsMap<K, V>(this: RDD<[K, V]>): Map<K, V> {
    const byKey = new Map<KeyOf, Pair<K, V>>();
    for (const [k, v] of this) byKey.set(keyOf(k), [k, v]);
    return new Map([...byKey.values()]);
  }

  lookup<K, V>(this: RDD<[K, V]>, key: K): V[] {
    const k = keyOf(key);
    return [...this].filter(([kk]) => keyOf(kk) === k).map(([, v]) => v);
  }

  // ---- Actions ----
  collect(): T[] {
    return [...this];
  }

  count(): number {
    let n = 0;
    for (const p of this.#partitions) n += p.length;
    return n;
  }

  isEmpty(): boolean {
    return this.count() === 0;
  }

  take(n: number): T[] {
    const out: T[] = [];
    if (n <= 0) return out;
    for (const v of this) {
      out.push(v);
      if (out.length >= n) break;
    }
    return out;
  }

  first(): T {
    const [v] = this.take(1);
    if (v === undefined && this.isEmpty()) throw new AnalysisError("first() on an empty RDD");
    return v as T;
  }

  reduce(f: (a: T, b: T) => T): T {
    let acc: { v: T } | null = null;
    for (const v of this) acc = acc === null ? { v } : { v: f(acc.v, v) };
    if (acc === null) throw new AnalysisError("reduce() on an empty RDD");
    return acc.v;
  }

  fold(zero: T, f: (a: T, b: T) => T): T {
    let acc = zero;
    for (const v of this) acc = f(acc, v);
    return acc;
  }

  /** How often each distinct value occurs (keys compared by value). */
  countByValue(): Map<T, number> {
    const counts = new Map<KeyOf, [T, number]>();
    for (const v of this) {
      const k = keyOf(v);
      const cur = counts.get(k);
      if (cur === undefined) counts.set(k, [v, 1]);
      else cur[1]++;
    }
    return new Map([...counts.values()]);
  }

  foreach(f: (value: T) => void): void {
    for (const v of this) f(v);
  }

  foreachPartition(f: (values: readonly T[]) => void): void {
    for (const p of this.#partitions) f(p);
  }

  /**
   * Into the structured API: a DataFrame over this batch's values with `schema` (a
   * StructType or DDL string). Elements are objects with the schema's field names, or
   * arrays by position (pairs map onto two columns), or plain values for a single column.
   */
  toDF(schema: StructType | string): DataFrame {
    if (this.#session === null) throw new AnalysisError("toDF needs a session: this RDD was not made by a StreamingContext");
    return this.#session.createDataFrame(this.collect(), schema);
  }

  toString(): string {
    return `RDD[${this.count()} values in ${this.getNumPartitions()} partition(s)]`;
  }
}

function pairKey<K>(pair: readonly [K, unknown]): K {
  return pair[0];
}

function checkPartitions(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new AnalysisError(`the number of partitions must be a positive integer, not ${n}`);
}
