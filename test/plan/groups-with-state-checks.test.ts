import { expect, test } from "vitest";
import { AnalysisError, GroupStateTimeout, MemoryStream, Session, sum, type DataFrame } from "../../src/index.ts";

/**
 * Spark's UnsupportedOperationChecker rules for [flat]mapGroupsWithState and sampling on a
 * stream, with Spark's words, checked when the query starts.
 */
const spark = Session.builder().getOrCreate();

interface Row { k: string }
const src = (): DataFrame => new MemoryStream<Row>(spark, "k STRING").toDF();
const running = (k: unknown, rows: Iterable<unknown>, state: { getOption(): unknown; update(v: unknown): void }) => {
  const n = ((state.getOption() as number | undefined) ?? 0) + [...rows].length;
  state.update(n);
  return [{ k, n }];
};
const mapped = (d: DataFrame) => d.groupByKey((r) => (r as unknown as Row).k).mapGroupsWithState(GroupStateTimeout.NoTimeout, (k, rows) => ({ k, n: [...rows].length }), "k STRING, n INT");
const flatMapped = (d: DataFrame, mode: "append" | "update") =>
  d.groupByKey((r) => (r as unknown as Row).k).flatMapGroupsWithState(mode, GroupStateTimeout.NoTimeout, running, "k STRING, n INT");

let n = 0;
const start = (df: DataFrame, mode: "append" | "update" | "complete") => () => df.writeStream.format("memory").queryName(`gws_checks_${n++}`).outputMode(mode).start();

test.each([
  ["flatMapGroupsWithState(update) then an aggregation", () => flatMapped(src(), "update").groupBy("k").agg(sum("n")), "update",
    "flatMapGroupsWithState in update mode is not supported with aggregation on a streaming DataFrame/Dataset"],
  ["flatMapGroupsWithState(append) in an update-mode query", () => flatMapped(src(), "append"), "update",
    "flatMapGroupsWithState in append mode is not supported with Update output mode on a streaming DataFrame/Dataset"],
  ["flatMapGroupsWithState(update) in an append-mode query", () => flatMapped(src(), "update"), "append",
    "flatMapGroupsWithState in update mode is not supported with Append output mode on a streaming DataFrame/Dataset"],
  ["flatMapGroupsWithState(append) after an aggregation", () => flatMapped(src().groupBy("k").count(), "append"), "update",
    "flatMapGroupsWithState in append mode is not supported after aggregation on a streaming DataFrame/Dataset"],
  ["mapGroupsWithState then an aggregation", () => mapped(src()).groupBy("k").count(), "update",
    "mapGroupsWithState is not supported with aggregation on a streaming DataFrame/Dataset"],
  ["mapGroupsWithState in an append-mode query", () => mapped(src()), "append",
    "mapGroupsWithState is not supported with Append output mode on a streaming DataFrame/Dataset"],
  ["two mapGroupsWithState", () => mapped(mapped(src())), "update",
    "Multiple mapGroupsWithStates are not supported on a streaming DataFrames/Datasets"],
  ["mapGroupsWithState and flatMapGroupsWithState", () => flatMapped(mapped(src()), "update"), "update",
    "Mixing mapGroupsWithStates and flatMapGroupsWithStates are not supported on a streaming DataFrames/Datasets"],
  ["two flatMapGroupsWithState, one in update mode", () => flatMapped(flatMapped(src(), "append"), "update"), "update",
    "Multiple flatMapGroupsWithStates are not supported when they are not all in append mode or the output mode is not append"],
  ["sample on a stream", () => src().sample(0.5), "append", "Sampling is not supported on streaming DataFrames/Datasets"],
  ["sample with replacement on a stream", () => src().sample(true, 0.5, 7), "append", "Sampling is not supported on streaming DataFrames/Datasets"],
] as const)("%s is refused as Spark refuses it", (_, build, mode, words) => {
  const run = start(build(), mode);
  expect(run).toThrow(AnalysisError);
  expect(run).toThrow(words);
});

test("SQL TABLESAMPLE over a stream is refused too", () => {
  src().createOrReplaceTempView("gws_checks_stream");
  expect(start(spark.sql("SELECT * FROM gws_checks_stream TABLESAMPLE (50 PERCENT)"), "append")).toThrow("Sampling is not supported on streaming DataFrames/Datasets");
});

test("what Spark allows still starts: flatMapGroupsWithState(append) then an aggregation in update mode, two in append mode, mapGroupsWithState in update mode", async () => {
  for (const [df, mode] of [
    [flatMapped(src(), "append").groupBy("k").agg(sum("n")), "update"],
    [flatMapped(flatMapped(src(), "append"), "append"), "append"],
    [mapped(src()), "update"],
    [src().sample(0.5), undefined],
  ] as const) {
    if (mode === undefined) {
      expect(df.isStreaming).toBe(true); // a sampled stream can be built; only starting it is refused
      continue;
    }
    const q = start(df, mode)();
    await q.stop();
  }
});
