import { existsSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { StateError } from "../../src/common/errors.ts";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { Session, expr, type DataFrame } from "../../src/index.ts";
import { StoredJoinSide } from "../../src/physical/stream-join/stored-join-side.ts";
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

const shaped = (df: DataFrame): DataFrame => df.select(expr("lkey"), expr("rkey"), expr("unix_seconds(ltime)").as("lt"),
  expr("unix_seconds(rtime)").as("rt"), expr("payload"), expr("note"));

/** Batch b: seconds [100b, 100b + 100), 20 rows a second a side over 300 keys (a key holds several rows), shuffled. */
function batchOf(next: () => number, b: number): { left: Left[]; right: Right[] } {
  const left: Left[] = [], right: Right[] = [];
  for (let t = 100 * b; t < 100 * (b + 1); t++) {
    for (let j = 0; j < 20; j++) {
      const lkey = Math.floor(next() * 300), rkey = Math.floor(next() * 300);
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

  test("a join checkpoint of the in-memory layout (chunk records) is refused on the disk store with a StateError naming what to do", async () => {
    const dir = await mkdtemp(join(tmpdir(), "join-chunks-"));
    const provider = new DiskStateStoreProvider({ dir, localDir: await mkdtemp(join(tmpdir(), "join-chunks-local-")) });
    try {
      const store = await provider.load(0);
      store.put("c0", { n: 1 });
      await store.commit();
      const loaded = await provider.load(1);
      expect(() => new StoredJoinSide(loaded, 1)).toThrow(StateError);
      expect(() => new StoredJoinSide(loaded, 1)).toThrow(/new checkpoint location/);
      loaded.abort();
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
        const side = new StoredJoinSide(store, 1);
        const keys: string[] = [], times: number[] = [];
        for (let t = 100 * b; t < 100 * (b + 1); t++) { keys.push(`k${t}`); times.push(t); }
        side.records(keys);
        keys.forEach((k, j) => side.set(k, [1, times[j], 0, times[j]], 1));
        side.addIndexEntry(keys, times);
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
      const side = new StoredJoinSide(counted, 1);
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
