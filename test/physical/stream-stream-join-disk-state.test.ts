import { existsSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { StateError } from "../../src/common/errors.ts";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { Session, expr, type DataFrame } from "../../src/index.ts";
import { StoredJoinKeys } from "../../src/physical/stream-join/stored-join-keys.ts";
import { SEGMENT_ROWS, StoredJoinSide } from "../../src/physical/stream-join/stored-join-side.ts";
import type { Vec } from "../../src/columnar/vector.ts";
import { LongType } from "../../src/types/data-types.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import type { StateKey, StateStore } from "../../src/state/state-store.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

scopedTmpdir("rivulet-stream-join-disk-state-test-");

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const BUDGET = "rivulet.sql.streaming.stateStore.memoryBudget";

interface Left { lkey: number; lt: number; payload: string }
interface Right { rkey: number; rt: number; note: string }
const LEFT_SCHEMA = "lkey INT, lt BIGINT, payload STRING";
const RIGHT_SCHEMA = "rkey INT, rt BIGINT, note STRING";
const CONDITION = "lkey = rkey AND rtime BETWEEN ltime - interval 20 seconds AND ltime + interval 20 seconds";

function timed(left: DataFrame, right: DataFrame, watermark: boolean): [DataFrame, DataFrame] {
  const l = left.select(expr("lkey"), expr("timestamp_seconds(lt)").as("ltime"), expr("payload"));
  const r = right.select(expr("rkey"), expr("timestamp_seconds(rt)").as("rtime"), expr("note"));
  return watermark ? [l.withWatermark("ltime", "30 seconds"), r.withWatermark("rtime", "30 seconds")] : [l, r];
}

/** A column of longs, as a side's buffered rows carry them. */
const column = (values: number[]): Vec => ({ kind: "num", type: LongType, length: values.length, values: Float64Array.from(values), valid: null });

/**
 * Buffers rows 0 … times.length of `columns` on a side as the join's buffer step does (its
 * public path: planEntry, append, putEntry): row j under key id `ids[keyOf[j]]`, unmatched,
 * evicted at times[j]; rows of one key are appended together.
 */
function bufferRows(side: StoredJoinSide, keys: StoredJoinKeys, ids: readonly number[], keyOf: readonly number[], times: Float64Array, columns: readonly Vec[]): void {
  const m = times.length;
  const order = Int32Array.from({ length: m }, (_, j) => j).sort((a, b) => keyOf[a]! - keyOf[b]! || a - b);
  side.read(ids, ids.length);
  side.readLastSegments(ids, ids.length);
  const entry = side.planEntry(order, m, times, new Uint8Array(m), m);
  const entryKeys = new Array<StateKey>(entry.times.length);
  for (let a = 0; a < m;) {
    let b = a;
    while (b < m && keyOf[order[b]!] === keyOf[order[a]!]) b++;
    const at = side.append(ids[keyOf[order[a]!]!]!, columns, order.subarray(a, b), times, entry.slots);
    for (let o = a; o < b; o++) entryKeys[entry.positions[o]!] = keys.keys[at]!;
    a = b;
  }
  side.putEntry(entry.id, entryKeys, entry.times);
}

/** The ids of a key's records read with readKeys: its first record, then its segments. */
const recordsOf = (side: StoredJoinSide, id: number): number[] => [id, ...side.segmentIdsOf(id)];

const shaped = (df: DataFrame): DataFrame => df.select(expr("lkey"), expr("rkey"), expr("unix_seconds(ltime)").as("lt"),
  expr("unix_seconds(rtime)").as("rt"), expr("payload"), expr("note"));

/** Batch b: seconds [100b, 100b + 100), `perSecond` rows a second a side over `numKeys` keys (a key holds several rows), shuffled. */
function batchOf(next: () => number, b: number, numKeys = 300, perSecond = 20): { left: Left[]; right: Right[] } {
  const left: Left[] = [], right: Right[] = [];
  for (let t = 100 * b; t < 100 * (b + 1); t++) {
    for (let j = 0; j < perSecond; j++) {
      const lkey = Math.floor(next() * numKeys), rkey = Math.floor(next() * numKeys);
      left.push({ lkey, lt: t, payload: `left payload ${t}/${j} ${"x".repeat(Math.floor(next() * 40))}` });
      if (next() < 0.6) right.push({ rkey, rt: t + Math.floor(next() * 30) - 15, note: `right note ${t}/${j}` });
    }
  }
  const shuffle = <T,>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) { const k = Math.floor(next() * (i + 1)); [xs[i], xs[k]] = [xs[k]!, xs[i]!]; }
    return xs;
  };
  return { left: shuffle(left), right: shuffle(right) };
}

async function files(dir: string, suffix: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(suffix));
}

describe("stream–stream join on the disk-backed state store", () => {
  for (const joinType of ["full_outer", "left_semi"] as const) {
    test(`${joinType}: a join state many times the memory budget spills to run files and gives the batch join's answer, as the file store does`, async () => {
      const spark = Session.builder().getOrCreate();
      const next = seededRandom(42);
      const batches = [0, 1, 2, 3, 4].map((b) => batchOf(next, b));
      const flush = { left: [{ lkey: -1, lt: 10_000, payload: "" }], right: [{ rkey: -1, rt: 10_000, note: "" }] };
      const [bl, br] = timed(spark.createDataFrame(batches.flatMap((b) => b.left), LEFT_SCHEMA),
        spark.createDataFrame(batches.flatMap((b) => b.right), RIGHT_SCHEMA), false);
      const project = (df: DataFrame): DataFrame => (joinType === "left_semi"
        ? df.select(expr("lkey"), expr("unix_seconds(ltime)").as("lt"), expr("payload")) : shaped(df));
      const expected = await project(bl.join(br, expr(CONDITION), joinType)).collect();
      expect(expected.length).toBeGreaterThan(5000);

      const answers: Record<string, unknown[]> = {};
      for (const provider of ["file", "rocksdb"]) {
        spark.conf.set(PROVIDER, provider);
        spark.conf.set(BUDGET, "64k");
        const checkpoint = await mkdtemp(join(tmpdir(), "ckpt-"));
        const leftInput = new MemoryStream<Left>(spark, LEFT_SCHEMA);
        const rightInput = new MemoryStream<Right>(spark, RIGHT_SCHEMA);
        const [l, r] = timed(leftInput.toDF(), rightInput.toDF(), true);
        const name = `join_disk_${joinType}_${provider}_${Date.now()}`;
        const query = project(l.join(r, expr(CONDITION), joinType)).where("lkey IS NULL OR lkey <> -1")
          .writeStream.format("memory").queryName(name).outputMode("append").option("checkpointLocation", checkpoint).start();
        let peakState = 0;
        try {
          for (const b of [...batches, flush]) {
            leftInput.addData(b.left);
            rightInput.addData(b.right);
            await query.processAllAvailable();
            peakState = Math.max(peakState, query.lastProgress?.stateOperators[0]?.numRowsTotal ?? 0);
          }
        } finally {
          await query.stop();
          spark.conf.unset(PROVIDER);
          spark.conf.unset(BUDGET);
        }
        answers[provider] = await spark.table(name).collect();
        // Over 1,500 buffered rows of 60–100 bytes after a batch's eviction (2,000 more within it): several times the 64 KiB budget.
        expect(peakState).toBeGreaterThan(1500);
        if (provider === "rocksdb") {
          // The memtable (a quarter of the budget) was written out as runs, which the checkpoint shares.
          expect((await files(join(checkpoint, "state"), ".manifest")).length).toBeGreaterThan(0);
          expect((await files(join(checkpoint, "state"), ".run")).length).toBeGreaterThan(2);
        }
      }
      const key = (row: unknown): string => JSON.stringify(row);
      const sorted = (rows: unknown[]): string[] => rows.map(key).sort();
      expect(sorted(answers.rocksdb!)).toEqual(sorted(expected));
      expect(sorted(answers.file!)).toEqual(sorted(expected));
    }, 120_000);
  }

  test("hot keys (5 keys, 40 rows each a side a batch): their rows go to segments, appending rewrites bounded records, and a run restarted twice gives the batch join's answer", async () => {
    const spark = Session.builder().getOrCreate();
    const next = seededRandom(7);
    const batches = [0, 1, 2, 3, 4, 5].map((b) => batchOf(next, b, 5, 2));
    const flush = { left: [{ lkey: -1, lt: 10_000, payload: "" }], right: [{ rkey: -1, rt: 10_000, note: "" }] };
    for (const joinType of ["full_outer", "inner"] as const) {
      const [bl, br] = timed(spark.createDataFrame(batches.flatMap((b) => b.left), LEFT_SCHEMA),
        spark.createDataFrame(batches.flatMap((b) => b.right), RIGHT_SCHEMA), false);
      const expected = await shaped(bl.join(br, expr(CONDITION), joinType)).collect();
      expect(expected.length).toBeGreaterThan(1000);
      spark.conf.set(PROVIDER, "rocksdb");
      const leftInput = new MemoryStream<Left>(spark, LEFT_SCHEMA);
      const rightInput = new MemoryStream<Right>(spark, RIGHT_SCHEMA);
      const [l, r] = timed(leftInput.toDF(), rightInput.toDF(), true);
      let run = testStream(shaped(l.join(r, expr(CONDITION), joinType)).where("lkey IS NULL OR lkey <> -1"), "append");
      [...batches, flush].forEach((b, i) => {
        run = run.addData(leftInput, b.left).addData(rightInput, b.right).processAllAvailable();
        if (i === 1 || i === 4) run = run.stopStream().startStream();
      });
      try {
        await run.checkAnswer(expected).run();
      } finally {
        spark.conf.unset(PROVIDER);
      }
    }
  }, 120_000);

  test("a key's appended rows fill bounded segments: no record put grows past SEGMENT_ROWS rows, and eviction drops emptied segments", async () => {
    const dir = await mkdtemp(join(tmpdir(), "join-segments-"));
    const provider = new DiskStateStoreProvider({ dir, localDir: await mkdtemp(join(tmpdir(), "join-segments-local-")) });
    try {
      let largest = 0;
      // 20 batches of 10 rows under one key (times 10b … 10b + 9): 200 rows in the first record and segments.
      for (let b = 0; b < 20; b++) {
        const store = await provider.load(b);
        const sized = new Proxy(store, {
          get(target, property) {
            if (property === "put") return (key: StateKey, value: unknown) => {
              if (Array.isArray(value)) largest = Math.max(largest, value[0] as number);
              target.put(key, value);
            };
            const value: unknown = Reflect.get(target, property, target);
            return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        }) as StateStore;
        const keys = new StoredJoinKeys();
        const side = new StoredJoinSide(sized, 1, keys);
        const id = keys.idOf(7);
        const times = Float64Array.from({ length: 10 }, (_, j) => 10 * b + j);
        bufferRows(side, keys, [id], Array(10).fill(0), times, [column(Array.from(times))]);
        side.flush();
        await store.commit();
      }
      expect(largest).toBeLessThanOrEqual(SEGMENT_ROWS);
      const store = await provider.load(20);
      const keys = new StoredJoinKeys();
      const side = new StoredJoinSide(store, 1, keys);
      expect(side.numRows).toBe(200);
      const id = keys.idOf(7);
      side.readKeys([id], 1);
      // Column 0 of row j of a record of n rows is at 1 + 2n + j (key-rows.ts).
      const rows = recordsOf(side, id).flatMap((r) => { const rec = side.record(r)!; const n = rec[0] as number; return Array.from({ length: n }, (_, j) => rec[1 + 2 * n + j] as number); });
      expect(rows.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, t) => t));
      const segmentsBefore = recordsOf(side, id).length;
      expect(segmentsBefore).toBeGreaterThan(200 / SEGMENT_ROWS);
      const evicted: number[] = [];
      expect(side.evict(149, (rec, r) => evicted.push(rec[1 + 2 * (rec[0] as number) + r] as number))).toBe(150);
      expect(evicted.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, t) => t));
      side.flush();
      await store.commit();
      const after = await provider.load(21);
      const keysAfter = new StoredJoinKeys();
      const sideAfter = new StoredJoinSide(after, 1, keysAfter);
      const idAfter = keysAfter.idOf(7);
      sideAfter.readKeys([idAfter], 1);
      expect(sideAfter.numRows).toBe(50);
      expect(recordsOf(sideAfter, idAfter).length).toBeLessThan(segmentsBefore);
      expect(recordsOf(sideAfter, idAfter).reduce((n, r) => n + (sideAfter.record(r)![0] as number), 0)).toBe(50);
      after.abort();
    } finally {
      await provider.close();
    }
  });

  test("left and right outer joins: the null rows of rows buffered before a restart come out once, after it, when the watermark passes them", async () => {
    const spark = Session.builder().getOrCreate();
    spark.conf.set(PROVIDER, "rocksdb");
    try {
      for (const joinType of ["left_outer", "right_outer"] as const) {
        const leftInput = new MemoryStream<Left>(spark, LEFT_SCHEMA);
        const rightInput = new MemoryStream<Right>(spark, RIGHT_SCHEMA);
        const [l, r] = timed(leftInput.toDF(), rightInput.toDF(), true);
        const joined = shaped(l.join(r, expr(CONDITION), joinType)).select(expr("lkey"), expr("rkey"), expr("lt"), expr("rt"));
        const pad = (lkey: number | null, rkey: number | null, lt: number | null, rt: number | null) => ({ lkey, rkey, lt, rt });
        await testStream(joined, "append")
          .addData(leftInput, [{ lkey: 1, lt: 10, payload: "a" }, { lkey: 2, lt: 11, payload: "b" }, { lkey: 2, lt: 12, payload: "c" }])
          .addData(rightInput, [{ rkey: 1, rt: 15, note: "x" }, { rkey: 3, rt: 16, note: "y" }])
          .checkNewAnswer([pad(1, 1, 10, 15)])
          .stopStream().startStream()
          // Watermark 100 − 30 = 70 s: every row above is evicted; the unmatched ones of the outer side come out with nulls.
          .addData(leftInput, [{ lkey: 9, lt: 100, payload: "" }]).addData(rightInput, [{ rkey: 8, rt: 100, note: "" }])
          .processAllAvailable()
          .stopStream().startStream()
          .addData(leftInput, [{ lkey: 9, lt: 200, payload: "" }]).addData(rightInput, [{ rkey: 8, rt: 200, note: "" }])
          .processAllAvailable()
          .checkAnswer(joinType === "left_outer"
            ? [pad(1, 1, 10, 15), pad(2, null, 11, null), pad(2, null, 12, null), pad(9, null, 100, null)]
            : [pad(1, 1, 10, 15), pad(null, 3, null, 16), pad(null, 8, null, 100)])
          .run();
      }
    } finally {
      spark.conf.unset(PROVIDER);
    }
  }, 60_000);

  test("a join checkpoint of the in-memory layout (chunk records), or of the first stored layout, is refused on the disk store with a StateError naming what to do", async () => {
    const dir = await mkdtemp(join(tmpdir(), "join-chunks-"));
    const provider = new DiskStateStoreProvider({ dir, localDir: await mkdtemp(join(tmpdir(), "join-chunks-local-")) });
    try {
      const store = await provider.load(0);
      store.put("c0", { n: 1 });
      await store.commit();
      const loaded = await provider.load(1);
      expect(() => new StoredJoinSide(loaded, 1, new StoredJoinKeys())).toThrow(StateError);
      expect(() => new StoredJoinSide(loaded, 1, new StoredJoinKeys())).toThrow(/new checkpoint location/);
      // The first stored layout (join keys as "k" strings; a catalog without a layout version) is refused too.
      loaded.remove("c0");
      loaded.put("x", { next: 1, rows: 1, entries: [0, 0, 1, 5] });
      loaded.put("k7", [1, 5, 0, 7]);
      await loaded.commit();
      const first = await provider.load(2);
      expect(() => new StoredJoinSide(first, 1, new StoredJoinKeys())).toThrow(/earlier version of the join; start the query from a new checkpoint location/);
      first.abort();
    } finally {
      await provider.close();
    }
  });

  test("eviction reads only the index entries that come due and the keys they name: no scan of the state", async () => {
    const dir = await mkdtemp(join(tmpdir(), "join-evict-"));
    const provider = new DiskStateStoreProvider({ dir, localDir: await mkdtemp(join(tmpdir(), "join-evict-local-")) });
    try {
      // 50 batches of 100 keys, key t holding one row at time t (a record: [n, time, matched, value]).
      for (let b = 0; b < 50; b++) {
        const store = await provider.load(b);
        const keys = new StoredJoinKeys();
        const side = new StoredJoinSide(store, 1, keys);
        const ids: number[] = [], times: number[] = [];
        for (let t = 100 * b; t < 100 * (b + 1); t++) { ids.push(keys.idOf(`k${t}`)); times.push(t); }
        bufferRows(side, keys, ids, ids.map((_, j) => j), Float64Array.from(times), [column(times)]);
        side.flush();
        await store.commit();
      }
      const store = await provider.load(50);
      let asked: StateKey[] = [];
      const counted = new Proxy(store, {
        get(target, property) {
          if (property === "entries") return () => { throw new Error("the state was scanned"); };
          if (property === "getMany") return (keys: readonly StateKey[]) => { asked.push(...keys); return target.getMany(keys); };
          if (property === "get") return (key: StateKey) => { asked.push(key); return target.get(key); };
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as StateStore;
      const side = new StoredJoinSide(counted, 1, new StoredJoinKeys());
      expect(side.numRows).toBe(5000);
      asked = [];
      const evicted: number[] = [];
      expect(side.evict(149, (rec, r) => evicted.push(rec[3 + r] as number))).toBe(150);
      expect(evicted.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, t) => t));
      // The two entries due (batches 0 and 1) and the 150 keys they name up to the threshold; nothing else.
      expect(asked.filter((k) => String(k).startsWith("i")).sort()).toEqual(["i0", "i1"]);
      expect(asked.filter((k) => String(k).startsWith("k")).length).toBe(150);
      expect(asked.length).toBe(152);
      expect(side.numRows).toBe(4850);
      store.abort();
    } finally {
      await provider.close();
    }
  });
});
