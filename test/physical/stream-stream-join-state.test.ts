import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { StateError } from "../../src/common/errors.ts";
import { Session, expr, type DataFrame } from "../../src/index.ts";
import { JoinSideState } from "../../src/physical/stream-join/join-side-state.ts";
import { MemoryStateStoreProvider } from "../../src/state/memory-state-store-provider.ts";
import { StringType, StructType } from "../../src/types/data-types.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

scopedTmpdir("rivulet-stream-join-state-test-");

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const LOCAL_DIR = "rivulet.sql.streaming.stateStore.localDir";

interface LeftRow { lkey: string | null; lt: number; big: bigint; payload: string }
interface RightRow { rkey: string; rt: number; note: string }

/** Seconds [from, to) of one batch, each second a left row (p = 0.7, a null key 1 in 20) and a right row (p = 0.5), shuffled. */
function batchOf(next: () => number, from: number, to: number): { left: LeftRow[]; right: RightRow[] } {
  const left: LeftRow[] = [];
  const right: RightRow[] = [];
  for (let t = from; t < to; t++) {
    if (next() < 0.7) left.push({ lkey: next() < 0.05 ? null : `key-${Math.floor(next() * 3)}`, lt: t, big: 2n ** 60n + BigInt(t), payload: `left payload ${t}` });
    if (next() < 0.5) right.push({ rkey: `key-${Math.floor(next() * 3)}`, rt: t, note: `right note ${t}` });
  }
  const shuffle = <T,>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) { const j = Math.floor(next() * (i + 1)); [xs[i], xs[j]] = [xs[j]!, xs[i]!]; }
    return xs;
  };
  return { left: shuffle(left), right: shuffle(right) };
}

const LEFT_SCHEMA = "lkey STRING, lt BIGINT, big BIGINT, payload STRING";
const RIGHT_SCHEMA = "rkey STRING, rt BIGINT, note STRING";
const CONDITION = "lkey = rkey AND rtime BETWEEN ltime - interval 3 seconds AND ltime + interval 3 seconds";

function withTimes(left: DataFrame, right: DataFrame, watermark: boolean): [DataFrame, DataFrame] {
  const l = left.select(expr("lkey"), expr("timestamp_seconds(lt)").as("ltime"), expr("big"), expr("payload"));
  const r = right.select(expr("rkey"), expr("timestamp_seconds(rt)").as("rtime"), expr("note"));
  return watermark ? [l.withWatermark("ltime", "5 seconds"), r.withWatermark("rtime", "5 seconds")] : [l, r];
}

/** Joined rows as the test kit compares them: the key, both times in seconds and the values. */
const shaped = (df: DataFrame): DataFrame => df.select(expr("lkey"), expr("rkey"), expr("unix_seconds(ltime)").as("lt"), expr("unix_seconds(rtime)").as("rt"),
  expr("big"), expr("payload"), expr("note"));

describe("stream–stream join state: columnar buffers, chunks and restarts", () => {
  const cases = [
    ...(["full_outer", "left_outer", "right_outer", "inner", "left_semi"] as const).map((joinType) => ({ joinType, restartAfter: [0, 1, 2, 3, 4] })),
    // Without a restart for three batches, evicted rows' strings pile up until the dictionaries are compacted.
    { joinType: "full_outer" as const, restartAfter: [3] },
    // Disk-backed stores keep the rows in the store, a record per join key (stored-join-side.ts).
    { joinType: "full_outer" as const, restartAfter: [1, 3], provider: "lmdb" },
    ...(["full_outer", "left_outer", "right_outer", "inner", "left_semi"] as const).map((joinType) => ({ joinType, restartAfter: [0, 2, 3], provider: "rocksdb" })),
  ] as { joinType: "full_outer" | "left_outer" | "right_outer" | "inner" | "left_semi"; restartAfter: number[]; provider?: string }[];
  for (const { joinType, restartAfter, provider } of cases) {
    test(`${joinType}${provider ? ` on the ${provider} state store` : ""}, restarted after batches ${restartAfter.join(", ")}: chunks compacted, string dictionaries, exact longs, null keys — the output is the batch join's`, async () => {
      const spark = Session.builder().getOrCreate();
      if (provider !== undefined) {
        spark.conf.set(PROVIDER, provider);
        spark.conf.set(LOCAL_DIR, await mkdtemp(join(tmpdir(), "rivulet-join-state-local-")));
      }
      try {
        const next = seededRandom(2020);
        const batches = [0, 1, 2, 3].map((b) => batchOf(next, b * 1500, (b + 1) * 1500));
        // A last pair far ahead moves the watermark past every row above (its own rows stay buffered: not compared).
        const flush = { left: [{ lkey: "flush", lt: 100_000, big: 0n, payload: "" }], right: [{ rkey: "flush", rt: 100_000, note: "" }] };
        const leftInput = new MemoryStream<LeftRow>(spark, LEFT_SCHEMA);
        const rightInput = new MemoryStream<RightRow>(spark, RIGHT_SCHEMA);
        const [l, r] = withTimes(leftInput.toDF(), rightInput.toDF(), true);
        const joined = l.join(r, expr(CONDITION), joinType);
        const streamed = joinType === "left_semi"
          ? joined.select(expr("lkey"), expr("unix_seconds(ltime)").as("lt"), expr("big"), expr("payload")).where("lkey IS NULL OR lkey <> 'flush'")
          : shaped(joined).where("coalesce(lkey, rkey) IS NULL OR coalesce(lkey, rkey) <> 'flush'");

        const [bl, br] = withTimes(spark.createDataFrame(batches.flatMap((b) => b.left), LEFT_SCHEMA), spark.createDataFrame(batches.flatMap((b) => b.right), RIGHT_SCHEMA), false);
        const batchJoined = bl.join(br, expr(CONDITION), joinType);
        const expected = await (joinType === "left_semi"
          ? batchJoined.select(expr("lkey"), expr("unix_seconds(ltime)").as("lt"), expr("big"), expr("payload"))
          : shaped(batchJoined)).collect();
        if (joinType !== "inner" && joinType !== "left_semi") {
          // Both matched rows and rows with nulls are in the answer.
          expect(expected.some((row) => row.lkey === null || row.rkey === null)).toBe(true);
          expect(expected.some((row) => row.lkey !== null && row.rkey !== null)).toBe(true);
        }
        expect(expected.length).toBeGreaterThan(1000);

        let run = testStream(streamed, "append");
        [...batches, flush].forEach((b, i) => {
          run = run.addData(leftInput, b.left).addData(rightInput, b.right).processAllAvailable();
          if (restartAfter.includes(i)) run = run.stopStream().startStream();
        });
        await run.addData(leftInput, []).processAllAvailable().checkAnswer(expected).run();
      } finally {
        spark.conf.unset(PROVIDER);
        spark.conf.unset(LOCAL_DIR);
      }
    }, 60_000);
  }

  test("without a checkpoint location (state kept in memory only, nothing written to the store) the output is the batch join's", async () => {
    const spark = Session.builder().getOrCreate();
    const next = seededRandom(7);
    const batches = [0, 1, 2].map((b) => batchOf(next, b * 1500, (b + 1) * 1500));
    const leftInput = new MemoryStream<LeftRow>(spark, LEFT_SCHEMA);
    const rightInput = new MemoryStream<RightRow>(spark, RIGHT_SCHEMA);
    const [l, r] = withTimes(leftInput.toDF(), rightInput.toDF(), true);
    const streamed = shaped(l.join(r, expr(CONDITION), "full_outer")).where("coalesce(lkey, rkey) IS NULL OR coalesce(lkey, rkey) <> 'flush'");
    const [bl, br] = withTimes(spark.createDataFrame(batches.flatMap((b) => b.left), LEFT_SCHEMA), spark.createDataFrame(batches.flatMap((b) => b.right), RIGHT_SCHEMA), false);
    const expected = await shaped(bl.join(br, expr(CONDITION), "full_outer")).collect();
    const name = `join_state_no_checkpoint_${Date.now()}`;
    const query = streamed.writeStream.format("memory").queryName(name).outputMode("append").start();
    try {
      for (const b of [...batches, { left: [{ lkey: "flush", lt: 100_000, big: 0n, payload: "" }], right: [{ rkey: "flush", rt: 100_000, note: "" }] }]) {
        leftInput.addData(b.left);
        rightInput.addData(b.right);
        await query.processAllAvailable();
      }
      const key = (row: Record<string, unknown>): string => JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v));
      const actual = await spark.table(name).collect();
      expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
    } finally {
      await query.stop();
    }
  }, 60_000);

  test("a checkpoint of the join's earlier development layout is refused with a StateError naming what to do", async () => {
    const provider = new MemoryStateStoreProvider();
    const store = await provider.load(0);
    store.put("n\u0000[1]", 1);
    store.put("v\u00000\u0000[1]", [[1], false, null]);
    await store.commit();
    const side = new JoinSideState(new StructType([{ name: "k", dataType: StringType, nullable: true }]), [StringType], false);
    const loaded = await provider.load(1);
    expect(() => side.restore(loaded, () => new Int32Array(0))).toThrow(StateError);
    expect(() => side.restore(loaded, () => new Int32Array(0))).toThrow(/new checkpoint location/);
  });
});
