import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { keyString } from "../../columnar/key-string.ts";
import { valueAt, type StrVec, type Vec } from "../../columnar/vector.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { OperatorState } from "../operator-state.ts";
import { operatorWatermarks } from "../watermark-propagation.ts";
import type { StructType } from "../../types/data-types.ts";
import {
  emptyStateMetrics, type BatchContext, type ExecOperator, type StateContext, type StateOperatorMetrics, type StatefulOperator,
} from "../exec-operator.ts";
import { groupIds, type GroupIds } from "../group-ids.ts";
import { putIfAbsentEach, type StateKey, type StateStore } from "../../state/state-store.ts";
import { dictHashesOf, hashString } from "../../columnar/utf8-hash.ts";
import type { OperatorStateSchema } from "../../checkpoint/state-schema-file.ts";
import { deduplicateStateSchema } from "../operator-state-schemas.ts";

/**
 * dropDuplicates (Spark's StreamingDeduplicateExec): emits the first row of each key and
 * remembers the key. With a watermarked event-time column among the keys, keys whose
 * event time falls behind the watermark are forgotten and late rows are dropped.
 *
 * In a streaming query the keys live in the state store only (no copy in memory): a batch
 * looks up and adds its own keys, so its cost follows its rows, not the state's size, and a
 * disk-backed store keeps the memory bounded. Eviction scans the store only when the
 * watermark has passed the oldest event time it may hold (a lower bound kept from the
 * last scan and the keys added since).
 */
export class DeduplicateExec implements StatefulOperator {
  readonly name: string = "StreamingDeduplicate";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;
  readonly #state: OperatorState;
  /** Spark's operatorName in progress: StreamingDeduplicateExec's and StreamingDeduplicateWithinWatermarkExec's shortName. */
  readonly #shortName: string;
  #metrics: StateOperatorMetrics;
  /** No key in the state at version #minVersion has an event time below this (-Infinity: unknown). */
  #minEventTime = -Infinity;
  #minVersion = -1;
  /** Rows of the last batch dropped as duplicates (Spark's numDroppedDuplicateRows). */
  #droppedDuplicates = 0;

  constructor(
    readonly input: ExecOperator,
    readonly keys: readonly number[],
    readonly operatorId: number,
    /** Index (into keys' input) of the watermarked event-time column, or -1. */
    readonly eventTimeColumn: number,
    /**
     * dropDuplicatesWithinWatermark: the watermark delay. A key then stays until the
     * watermark passes its first event time plus this (Spark's expiresAt), not its event time.
     */
    readonly withinWatermarkDelayMicros: number | null = null,
    /**
     * Index of the input's watermarked column, a key or not: rows behind the watermark are
     * late and dropped whatever the keys (Spark filters late input on the child's event-time
     * column, and evicts state only by a key's).
     */
    readonly lateTimeColumn: number = eventTimeColumn,
  ) {
    this.children = [input];
    this.schema = input.schema;
    if (withinWatermarkDelayMicros !== null) this.name = "StreamingDeduplicateWithinWatermark";
    this.#shortName = withinWatermarkDelayMicros === null ? "dedupe" : "dedupeWithinWatermark";
    this.#metrics = emptyStateMetrics(this.#shortName);
    this.#state = new OperatorState(operatorId, null);
  }

  describe(): string {
    return `StreamingDeduplicate [${this.keys.map((k) => this.schema.fields[k]!.name).join(", ")}]`;
  }

  open(state: StateContext | null): Promise<void> {
    return this.#state.open(state);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    if (!ctx.streaming || !this.#state.enabled) return this.#run(ctx, new MapKeySet());
    const started = performance.now();
    if (this.#minVersion !== ctx.batchId) this.#minEventTime = -Infinity;
    let updateMs = 0;
    const out = await this.#state.update(ctx.batchId, async ([store]) => {
      const result = await this.#run(ctx, store!);
      updateMs = performance.now() - started;
      return result;
    });
    this.#minVersion = ctx.batchId + 1;
    this.#metrics = {
      ...this.#metrics,
      allUpdatesTimeMs: Math.round(updateMs),
      commitTimeMs: Math.round(performance.now() - started - updateMs),
      memoryUsedBytes: this.#state.memoryUsedBytes(),
      customMetrics: { numDroppedDuplicateRows: this.#droppedDuplicates, ...this.#state.customMetrics() },
    };
    return out;
  }

  async #run(ctx: BatchContext, seen: KeySet): Promise<ColumnBatch[]> {
    const watermarks = ctx.streaming && this.lateTimeColumn >= 0 ? operatorWatermarks(this, ctx) : { late: -Infinity, evict: -Infinity };
    // Without the event time among the keys, state is never evicted (as in Spark).
    const lateWatermark = watermarks.late, watermark = this.eventTimeColumn >= 0 ? watermarks.evict : -Infinity;
    const out: ColumnBatch[] = [];
    const utf8Keys = this.#keepsUtf8Keys(seen);
    let added = 0;
    let dropped = 0;
    let onTimeRows = 0;
    let minAdded = Infinity;
    for (const batch of await this.input.execute(ctx)) {
      const n = batch.numRows;
      if (n === 0) continue;
      // Rows behind the watermark are dropped (and handed to the late-row sink) before deduplication.
      let live = batch;
      if (lateWatermark > -Infinity) {
        const onTime = rowsOnTime(eventTimesOf(batch.columns[this.lateTimeColumn]!, n), n, lateWatermark);
        if (onTime.length < n) {
          const late = otherRows(onTime, n);
          dropped += late.length;
          ctx.lateRows?.add(this.name, batch.take(late), lateWatermark);
          live = batch.take(onTime);
        }
      }
      onTimeRows += live.numRows;
      const keyVecs = this.keys.map((k) => live.columns[k]!);
      const single = keyVecs.length === 1 ? keyVecs[0]! : null;
      const local = single !== null && single.kind === "str" ? firstRowsOfCodes(single, live.numRows) ?? groupIds(keyVecs, live.numRows, null, null)
        : groupIds(keyVecs, live.numRows, null, null);
      const utf8 = utf8Keys && single !== null && single.kind === "str" ? utf8KeysOf(single, local) : null;
      const keys = utf8 !== null ? null : keyStrings(keyVecs, local);
      const times = this.eventTimeColumn >= 0 ? eventTimesOf(live.columns[this.eventTimeColumn]!, live.numRows) : null;
      const eventTimes = keyEventTimes(times, local, this.withinWatermarkDelayMicros ?? 0);
      // One pass over the batch's keys: a disk-backed store looks them up together and adds the new ones.
      const isNew = utf8 !== null ? seen.putIfAbsentUtf8!(utf8.keys, utf8.hashes, eventTimes)
        : seen.putIfAbsent !== undefined ? seen.putIfAbsent(keys!, eventTimes) : putIfAbsentEach(seen, keys!, eventTimes);
      const keep = newRows(isNew, local, eventTimes);
      const count = keep.length;
      added += count;
      minAdded = Math.min(minAdded, keptMin.value);
      // Every row new (each its key's first): the batch as it is, not a copy.
      if (count === live.numRows) out.push(live);
      else if (count > 0) out.push(live.take(keep.sort(), count));
    }
    let removed = 0;
    if (watermark > -Infinity && this.#minEventTime <= watermark) {
      const { doomed, min } = expiredKeys(seen, watermark);
      for (const key of doomed) seen.remove(key);
      removed = doomed.length;
      this.#minEventTime = min;
    } else {
      this.#minEventTime = Math.min(this.#minEventTime, minAdded);
    }
    this.#droppedDuplicates = onTimeRows - added;
    this.#metrics = {
      ...emptyStateMetrics(this.#shortName),
      numRowsTotal: seen.numKeys - (utf8Keys ? 1 : 0),
      numRowsUpdated: added,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
    };
    return out;
  }

  /**
   * Whether the state keeps the keys as UTF-8 keys (StateStore.putIfAbsentUtf8): one string
   * key column, a store that has them, and a state that began that way — it then holds
   * FORMAT_KEY, which a state of keyString keys (rivulet before them) never has. Asked each
   * batch: a retried first batch writes the format key again.
   */
  #keepsUtf8Keys(seen: KeySet): boolean {
    if (seen.putIfAbsentUtf8 === undefined || this.keys.length !== 1 || this.schema.fields[this.keys[0]!]!.dataType.kind !== "string") return false;
    if (seen.numKeys === 0) {
      seen.put(FORMAT_KEY, Infinity);
      return true;
    }
    return seen.get(FORMAT_KEY) !== undefined;
  }

  stateMetrics(): StateOperatorMetrics {
    return this.#metrics;
  }

  stateSchema(): OperatorStateSchema {
    return deduplicateStateSchema(this.operatorId, this.name, this.input.schema, this.keys);
  }

  async close(): Promise<void> {
    await this.#state.close();
  }
}

/*
 * The per-row loops of a batch live in these plain functions, not in DeduplicateExec's
 * async #run: each is optimized once on its own, while #run, without loops, is never
 * compiled with all of them inlined again and again (it deopted on every new shape of batch).
 */

/** Each key's keyString, from its first row. */
function keyStrings(keyVecs: readonly Vec[], local: Pick<GroupIds, "numGroups" | "firstRow">): StateKey[] {
  const keys = new Array<StateKey>(local.numGroups);
  const single = keyVecs.length === 1 ? keyVecs[0]! : null;
  for (let g = 0; g < local.numGroups; g++) {
    const r = local.firstRow[g]!;
    keys[g] = keyString(single !== null ? [valueAt(single, r)] : keyVecs.map((v) => valueAt(v, r)));
  }
  return keys;
}

/** The rows whose event time is not behind `watermark` (NaN, a null event time, is never late). */
function rowsOnTime(times: Float64Array, n: number, watermark: number): Int32Array {
  const onTime = new Int32Array(n);
  let numOnTime = 0;
  for (let i = 0; i < n; i++) if (!(times[i]! <= watermark)) onTime[numOnTime++] = i;
  return onTime.subarray(0, numOnTime);
}

/** The rows of [0, n) not in `rows` (ascending). */
function otherRows(rows: Int32Array, n: number): Int32Array {
  const other = new Int32Array(n - rows.length);
  let k = 0;
  for (let i = 0, j = 0; i < n; i++) {
    if (j < rows.length && rows[j] === i) j++;
    else other[k++] = i;
  }
  return other;
}

/**
 * Each key's time in the state: its first row's event time (Infinity where none), plus
 * `delayMicros` for dropDuplicatesWithinWatermark, which keeps a key until its event time
 * plus the delay (Spark's expiresAt).
 */
function keyEventTimes(times: Float64Array | null, local: Pick<GroupIds, "numGroups" | "firstRow">, delayMicros: number): Float64Array {
  const eventTimes = new Float64Array(local.numGroups);
  for (let g = 0; g < local.numGroups; g++) {
    const t = times === null ? NaN : times[local.firstRow[g]!]!;
    eventTimes[g] = Number.isNaN(t) ? Infinity : t + delayMicros;
  }
  return eventTimes;
}

/** The keys whose time is not past `watermark`, and the smallest time of the others. */
function expiredKeys(seen: KeySet, watermark: number): { doomed: StateKey[]; min: number } {
  const doomed: StateKey[] = [];
  let min = Infinity;
  for (const [key, t] of seen.entries()) {
    // The format key's time is Infinity: never evicted.
    if ((t as number) <= watermark) doomed.push(key);
    else if ((t as number) < min) min = t as number;
  }
  return { doomed, min };
}

/** The smallest event time of the keys the last newRows kept (Infinity: none): its second result. */
const keptMin = { value: Infinity };

/** The first rows of the keys the store added (isNew), in group order; keptMin.value their smallest event time. */
function newRows(isNew: Uint8Array, local: Pick<GroupIds, "numGroups" | "firstRow">, eventTimes: Float64Array): Int32Array {
  const keep = new Int32Array(local.numGroups);
  let count = 0;
  let min = Infinity;
  for (let g = 0; g < local.numGroups; g++) {
    if (isNew[g] === 0) continue;
    if (eventTimes[g]! < min) min = eventTimes[g]!;
    keep[count++] = local.firstRow[g]!;
  }
  keptMin.value = min;
  return keep.subarray(0, count);
}

/**
 * The first row of each dictionary code of a string key column (nulls one group): the
 * batch's distinct keys without hashing a string. A string the dictionary holds under two
 * codes makes two entries of one key; putIfAbsent keeps the first. Null when the dictionary
 * is much larger than the batch (a slice of a bigger one), where groupIds is cheaper.
 */
function firstRowsOfCodes(column: StrVec, n: number): Pick<GroupIds, "numGroups" | "firstRow"> | null {
  const dict = column.dict;
  if (dict.length > 4 * n + 64) return null;
  const codes = column.codes;
  const valid = column.valid;
  const seen = new Uint8Array(dict.length);
  const firstRow = new Int32Array(n);
  let numGroups = 0;
  let nullSeen = false;
  for (let r = 0; r < n; r++) {
    if (valid !== null && valid[r] === 0) {
      if (!nullSeen) {
        nullSeen = true;
        firstRow[numGroups++] = r;
      }
      continue;
    }
    const c = codes[r]!;
    if (seen[c] === 0) {
      seen[c] = 1;
      firstRow[numGroups++] = r;
    }
  }
  return { numGroups, firstRow: firstRow.subarray(0, numGroups) };
}

/**
 * The state's keys in the UTF-8 form (StateStore.putIfAbsentUtf8): per group its string and
 * that string's hash, from the dictionary's hashes when its decoder kept them; NULL_KEY for null.
 */
function utf8KeysOf(column: StrVec, local: Pick<GroupIds, "numGroups" | "firstRow">): { keys: Array<string | number>; hashes: Int32Array } {
  const dict = column.dict;
  const dictHashes = dictHashesOf(dict);
  const keys = new Array<string | number>(local.numGroups);
  const hashes = new Int32Array(local.numGroups);
  for (let g = 0; g < local.numGroups; g++) {
    const r = local.firstRow[g]!;
    if (column.valid !== null && column.valid[r] === 0) {
      keys[g] = NULL_KEY;
      continue;
    }
    const c = column.codes[r]!;
    const s = dict[c]!;
    keys[g] = s;
    hashes[g] = dictHashes !== undefined ? dictHashes[c]! : hashString(s);
  }
  return { keys, hashes };
}

/** With UTF-8 keys, the store key of null (numbers never equal a string key). */
const NULL_KEY = 0;
/** With UTF-8 keys, a key the state holds from its first batch on (time Infinity), saying it keeps them. */
const FORMAT_KEY = 1;

/** The event times of a column (microseconds; NaN where null): a timestamp column's values read as they are. */
function eventTimesOf(column: Vec, n: number): Float64Array {
  const out = new Float64Array(n);
  if (column.kind === "num" && column.exact === undefined) {
    const values = column.values;
    const valid = column.valid;
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? NaN : values[i]!;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = eventTimeMicros(valueAt(column, i)) ?? NaN;
  return out;
}

/** What deduplication needs of its state: a state store, or a plain map in a batch query. */
type KeySet = Pick<StateStore, "get" | "getMany" | "put" | "putIfAbsent" | "putIfAbsentUtf8" | "remove" | "entries" | "numKeys">;

class MapKeySet implements KeySet {
  readonly #map = new Map<StateKey, unknown>();
  get numKeys(): number {
    return this.#map.size;
  }
  get(key: StateKey): unknown {
    return this.#map.get(key);
  }
  getMany(keys: readonly StateKey[]): unknown[] {
    return keys.map((k) => this.#map.get(k));
  }
  put(key: StateKey, value: unknown): void {
    this.#map.set(key, value);
  }
  remove(key: StateKey): void {
    this.#map.delete(key);
  }
  entries(): IterableIterator<[StateKey, unknown]> {
    return this.#map.entries();
  }
}
