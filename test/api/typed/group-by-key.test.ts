import { describe, expect, test } from "vitest";
import {
  AnalysisError, GroupStateTimeout, ManualClock, MemoryStream, Session, types, type GroupState, type Infer,
} from "../../../src/index.ts";
import { testStream } from "../../../src/testing/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

const spark = Session.builder().appName("group-by-key").getOrCreate();
// testStream leaves its checkpoints under os.tmpdir(): give this file its own, removed after its tests.
scopedTmpdir("rivulet-group-by-key-tmp-", spark);

const Sale = types.struct({ shop: types.string(), item: types.string(), amount: types.long() });
type Sale = Infer<typeof Sale>;
const sales: Sale[] = [
  { shop: "north", item: "tea", amount: 3 },
  { shop: "south", item: "tea", amount: 5 },
  { shop: "north", item: "cake", amount: 7 },
];
const byShop = (rows: readonly { key: string }[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));

describe("groupByKey in a batch query", () => {
  const ds = () => spark.createDataFrame(sales, Sale);

  test("count() gives { key, count } per key", async () => {
    const counts = ds().groupByKey((s) => s.shop, types.string()).count();
    expect(counts.columns).toEqual(["key", "count"]);
    expect(byShop(await counts.collect())).toEqual([{ key: "north", count: 2 }, { key: "south", count: 1 }]);
  });

  test("keys may be computed values of any type the key type describes", async () => {
    const counts = ds().groupByKey((s) => s.amount > 4, types.boolean()).count();
    expect((await counts.collect()).sort((a, b) => Number(a.key) - Number(b.key))).toEqual([{ key: false, count: 1 }, { key: true, count: 2 }]);
  });

  test("mapGroups calls the function once per key with all its rows", async () => {
    const Total = types.struct({ shop: types.string(), items: types.string(), total: types.long() });
    const totals = ds().groupByKey((s) => s.shop).mapGroups((shop, rows) => ({
      shop, items: rows.map((r) => r.item).sort().join(","), total: rows.reduce((n, r) => n + r.amount, 0),
    }), Total);
    expect((await totals.collect()).sort((a, b) => a.shop.localeCompare(b.shop))).toEqual([
      { shop: "north", items: "cake,tea", total: 10 }, { shop: "south", items: "tea", total: 5 },
    ]);
  });

  test("flatMapGroups emits any number of rows per key", async () => {
    const Item = types.struct({ shop: types.string(), rank: types.int(), item: types.string() });
    const ranked = ds().groupByKey((s) => s.shop).flatMapGroups((shop, rows) =>
      rows.sort((a, b) => b.amount - a.amount).map((r, i) => ({ shop, rank: i + 1, item: r.item })), Item);
    expect(await ranked.filter((r) => r.rank === 1).select("shop", "item").orderBy("shop").collect()).toEqual([
      { shop: "north", item: "cake" }, { shop: "south", item: "tea" },
    ]);
  });

  test("reduceGroups combines each key's rows pairwise into { key, value }", async () => {
    const biggest = ds().groupByKey((s) => s.shop, types.string()).reduceGroups((a, b) => (a.amount >= b.amount ? a : b));
    expect(byShop(await biggest.collect())).toEqual([
      { key: "north", value: { shop: "north", item: "cake", amount: 7 } },
      { key: "south", value: { shop: "south", item: "tea", amount: 5 } },
    ]);
  });

  test("count and reduceGroups need the key's type: TypeScript does not offer them without it; plain JavaScript is told", () => {
    // @ts-expect-error groupByKey(f) without the key's type has no count
    expect(() => ds().groupByKey((s) => s.shop).count()).toThrow(/needs the key's type: groupByKey\(f, types.string\(\)\)/);
    // @ts-expect-error nor reduceGroups
    expect(() => ds().groupByKey((s) => s.shop).reduceGroups((a) => a)).toThrow(/reduceGroups\(\) returns the key, so it needs the key's type/);
  });
});

describe("groupByKey on a stream", () => {
  test("count() is a streaming aggregation (update mode), kept across a restart", async () => {
    const input = new MemoryStream(spark, Sale);
    const counts = input.toDS().groupByKey((s) => s.shop, types.string()).count();
    await testStream(counts, "update")
      .addData(input, sales).checkNewAnswer([{ key: "north", count: 2 }, { key: "south", count: 1 }])
      .stopStream().startStream()
      .addData(input, [sales[1]!]).checkNewAnswer([{ key: "south", count: 2 }])
      .run();
  });

  test("reduceGroups keeps the running value in the state store and emits the keys it changed", async () => {
    const input = new MemoryStream(spark, Sale);
    const totals = input.toDS().groupByKey((s) => s.shop, "string")
      .reduceGroups((a, b) => ({ ...a, item: "*", amount: a.amount + b.amount }));
    await testStream(totals, "update")
      .addData(input, sales).checkNewAnswer([
        { key: "north", value: { shop: "north", item: "*", amount: 10 } },
        { key: "south", value: { shop: "south", item: "tea", amount: 5 } },
      ])
      .assertNumStateRows(2, 2)
      .stopStream().startStream()
      .addData(input, [{ shop: "south", item: "pie", amount: 1 }]).checkNewAnswer([
        { key: "south", value: { shop: "south", item: "*", amount: 6 } },
      ])
      .run();
  });

  test("mapGroups is not supported on a stream: the error points at mapGroupsWithState", () => {
    const input = new MemoryStream(spark, Sale);
    const q = input.toDS().groupByKey((s) => s.shop).mapGroups((shop) => ({ shop }), types.struct({ shop: types.string() }));
    expect(() => q.writeStream.format("memory").queryName(`mg_${process.pid}`).outputMode("update").start())
      .toThrow(/mapGroups is not supported on streaming DataFrames\/Datasets: use mapGroupsWithState/);
  });

  test("mapGroupsWithState keeps a running count per key; it needs update mode", async () => {
    const input = new MemoryStream(spark, Sale);
    const Count = types.struct({ shop: types.string(), n: types.long() });
    const counts = input.toDS().groupByKey((s) => s.shop).mapGroupsWithState((shop, rows, state: GroupState<number>) => {
      const n = (state.getOption() ?? 0) + rows.length;
      state.update(n);
      return { shop, n };
    }, Count);
    expect(() => counts.writeStream.format("memory").queryName(`mgws_${process.pid}`).outputMode("append").start())
      .toThrow(AnalysisError);
    await testStream(counts, "update")
      .addData(input, sales).checkNewAnswer([{ shop: "north", n: 2 }, { shop: "south", n: 1 }])
      .addData(input, sales.slice(0, 1)).checkNewAnswer([{ shop: "north", n: 3 }])
      .run();
  });

  test("processing-time timeouts fire once the batch time passes the timeout", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const session = Session.builder().withClock(clock).getOrCreate();
    const input = new MemoryStream(session, Sale);
    const Out = types.struct({ shop: types.string(), n: types.long(), timedOut: types.boolean() });
    const out = input.toDS().groupByKey((s) => s.shop).flatMapGroupsWithState("update", GroupStateTimeout.ProcessingTimeTimeout,
      (shop, rows, state: GroupState<number>) => {
        if (state.hasTimedOut) {
          const n = state.get();
          state.remove();
          return [{ shop, n, timedOut: true }];
        }
        const n = (state.getOption() ?? 0) + rows.length;
        state.update(n);
        state.setTimeoutDuration("1 minute");
        return [{ shop, n, timedOut: false }];
      }, Out);
    await testStream(out, "update")
      .addData(input, [sales[0]!]).checkNewAnswer([{ shop: "north", n: 1, timedOut: false }])
      .advanceClock(30_000)
      .addData(input, [sales[1]!]).checkNewAnswer([{ shop: "south", n: 1, timedOut: false }])
      .advanceClock(40_000)
      .addData(input, [{ shop: "east", item: "tea", amount: 1 }]).checkNewAnswer([
        { shop: "east", n: 1, timedOut: false }, { shop: "north", n: 1, timedOut: true },
      ])
      .assertNumStateRows(2)
      .run();
  });

  test("GroupState misuse fails the query with an actionable error", async () => {
    const input = new MemoryStream(spark, Sale);
    const out = input.toDS().groupByKey((s) => s.shop).mapGroupsWithState((shop, _rows, state: GroupState<number>) => {
      state.setTimeoutDuration(1000);
      return { shop };
    }, types.struct({ shop: types.string() }));
    await testStream(out, "update")
      .addData(input, sales).expectFailure(Error, /Cannot set timeout duration without enabling processing time timeout/)
      .run();
  });
});

describe("keys compare by value", () => {
  test("object keys group regardless of property order", async () => {
    const ds = spark.createDataFrame(sales, Sale);
    const Out = types.struct({ shop: types.string(), n: types.long() });
    // north's rows (tea, cake) give their keys in different property orders.
    const out = ds.groupByKey((s) => (s.item === "cake" ? { tag: 1, shop: s.shop } : { shop: s.shop, tag: 1 }))
      .mapGroups((key, rows) => ({ shop: key.shop, n: rows.length }), Out);
    expect((await out.collect()).sort((a, b) => a.shop.localeCompare(b.shop))).toEqual([{ shop: "north", n: 2 }, { shop: "south", n: 1 }]);
  });
});
