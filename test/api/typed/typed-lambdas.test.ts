import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, ExecutionError, GroupStateTimeout, MemoryStream, Session, col, count, types, type Infer } from "../../../src/index.ts";
import { planString } from "../../../src/plan/plan-string.ts";
import { testStream } from "../../../src/testing/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

const spark = Session.builder().appName("typed-lambdas").getOrCreate();
// testStream's checkpoints and this file's own temp dirs go into a directory of the file's own, removed after its tests.
scopedTmpdir("rivulet-typed-lambdas-tmp-", spark);
const min = (m: number): Date => new Date(Date.UTC(2026, 0, 1, 0, m));

const Log = types.struct({ time: types.timestamp(), user: types.string(), action: types.string(), bytes: types.long().nullable() });
type Log = Infer<typeof Log>;
const logs: Log[] = [
  { time: min(0), user: "ann", action: "view", bytes: 100 },
  { time: min(1), user: "bob", action: "buy", bytes: 2048 },
  { time: min(2), user: "ann", action: "buy", bytes: null },
  { time: min(3), user: "ann", action: "view", bytes: 300 },
];
const ds = () => spark.createDataFrame(logs, Log);

describe("map, flatMap and filter with lambdas", () => {
  test("map builds rows of the declared schema", async () => {
    const Out = types.struct({ who: types.string(), kb: types.double().nullable() });
    const out = ds().map((r) => ({ who: r.user.toUpperCase(), kb: r.bytes === null ? null : r.bytes / 1024 }), Out);
    expect(out.columns).toEqual(["who", "kb"]);
    expect(await out.collect()).toEqual([
      { who: "ANN", kb: 100 / 1024 }, { who: "BOB", kb: 2 }, { who: "ANN", kb: null }, { who: "ANN", kb: 300 / 1024 },
    ]);
  });

  test("flatMap emits any number of rows per row", async () => {
    const Word = types.struct({ user: types.string(), letter: types.string() });
    const out = ds().filter((r) => r.action === "buy").flatMap((r) => [...r.user].map((letter) => ({ user: r.user, letter })), Word);
    expect((await out.collect()).map((r) => r.letter).join("")).toBe("bobann");
  });

  test("filter(row => …) keeps the typed rows, next to filter(Column) and filter(SQL)", async () => {
    expect((await ds().filter((r) => r.bytes !== null && r.bytes > 200).collect()).map((r) => r.bytes)).toEqual([2048, 300]);
    expect(await ds().filter(col("bytes").gt(200)).count()).toBe(2);
    expect(await ds().filter("bytes > 200").count()).toBe(2);
    expect(await ds().where(ds().col("action").eq("buy")).count()).toBe(2);
  });

  test("a row that does not match the output schema fails with the schema in the message", async () => {
    const Out = types.struct({ n: types.int() });
    const bad = ds().map(() => ({ n: "x" as unknown as number }), Out);
    await expect(bad.collect()).rejects.toThrow(/does not match its output schema \(n INT NOT NULL\)/);
    await expect(bad.collect()).rejects.toBeInstanceOf(ExecutionError);
  });

  test("lambdas are opaque, and the optimizer still pushes and prunes around them", () => {
    const Out = types.struct({ user: types.string() });
    const q = ds().filter(col("action").eq("buy")).filter((r) => r.user !== "bob").map((r) => ({ user: r.user }), Out).select("user");
    expect(planString(spark.optimizePlan(q.plan))).toBe([
      "MapBatches map [user]",
      "+- MapBatches filter [time, user, action, bytes]",
      "   +- Filter (action = buy)",
      "      +- LocalRelation LocalRelation [time, user, action, bytes]",
    ].join("\n"));
  });

  test("around flatMapGroupsWithState, filters are pushed into the scan and unread columns pruned; the filter above stays", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rivulet-typed-plan-"));
    const Out = types.struct({ user: types.string(), n: types.long() });
    const q = spark.readStream.schema(Log).json(dir).withWatermark("time", "1 minute")
      .select("user", "time").filter(col("user").ne("bot"))
      .groupByKey((r) => r.user).flatMapGroupsWithState("update", GroupStateTimeout.NoTimeout, (user, rows) => [{ user, n: rows.length }], Out)
      .filter(col("n").gt(1));
    expect(planString(spark.optimizePlan(q.plan))).toBe([
      "Filter (n > 1)",
      "+- FlatMapGroupsWithState flatMapGroupsWithState, update, NoTimeout [user, n]",
      "   +- Project [user, time]",
      "      +- EventTimeWatermark time, 1 minutes",
      "         +- Filter (user != bot)",
      `            +- StreamingScan json ${dir} [time, user], PushedFilters: [Not(EqualTo(user,bot))]`,
    ].join("\n"));
  });

  test("filter with a lambda keeps the watermark of its input", async () => {
    const input = new MemoryStream(spark, Log);
    const counts = input.toDS().withWatermark("time", "1 minute").filter((r) => r.action === "view")
      .groupBy("action").agg(count("*").as("n"));
    await testStream(counts, "update")
      .addData(input, [logs[0]!, logs[1]!]).checkNewAnswer([{ action: "view", n: 1 }])
      .run();
  });
});

describe("as(schema): a DataFrame viewed as a typed Dataset", () => {
  test("selects the schema's columns in order, widening int to long", async () => {
    const df = spark.createDataFrame([{ n: 1, s: "a", extra: true }], "extra BOOLEAN, s STRING, n INT");
    const typed = df.as(types.struct({ s: types.string(), n: types.long() }));
    expect(typed.columns).toEqual(["s", "n"]);
    expect(typed.dtypes).toEqual([["s", "string"], ["n", "bigint"]]);
    expect(await typed.collect()).toEqual([{ s: "a", n: 1 }]);
  });

  test("names every mismatched column", () => {
    const df = spark.createDataFrame([], "time STRING, action STRING");
    expect(() => df.as(Log)).toThrow(AnalysisError);
    expect(() => df.as(Log)).toThrow("time is string, expected timestamp; user (string) is missing; bytes (bigint) is missing");
  });
});
