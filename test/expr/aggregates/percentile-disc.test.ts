import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark 4's percentile_disc(p) WITHIN GROUP (ORDER BY x [DESC]) (PercentileDisc, non-legacy calculation).
const spark = Session.builder().appName("percentile-disc").getOrCreate();
scopedTmpdir("rivulet-percentile-disc-", spark);

const PS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

describe("percentile_disc", () => {
  test("Spark's results over 0..4, ascending and descending (its percentile_disc.sql golden values)", async () => {
    const select = (dir: string) => PS.map((p, i) => `percentile_disc(${p.toFixed(1)}) WITHIN GROUP (ORDER BY a${dir}) AS p${i}`).join(", ");
    const asc = await spark.sql(`SELECT ${select("")} FROM VALUES (0), (1), (2), (3), (4) AS v(a)`).collect();
    expect(PS.map((_, i) => asc[0]![`p${i}`])).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const desc = await spark.sql(`SELECT ${select(" DESC")} FROM VALUES (0), (1), (2), (3), (4) AS v(a)`).collect();
    expect(PS.map((_, i) => desc[0]![`p${i}`])).toEqual([4, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0]);
    // Spark's documented example: a value of the column, never an interpolation.
    expect(await spark.sql("SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY col) AS r FROM VALUES (0), (10) AS tab(col)").collect()).toEqual([{ r: 0 }]);
  });

  test("per group, nulls ignored, duplicates counted; a percentage out of range is refused", async () => {
    const rows = await spark.sql(`SELECT k, percentile_disc(0.5) WITHIN GROUP (ORDER BY v) AS m FROM VALUES
      ('a', 1), ('a', 1), ('a', 1), ('a', 9), ('b', NULL), ('b', 7), ('c', NULL) AS t(k, v) GROUP BY k ORDER BY k`).collect();
    expect(rows).toEqual([{ k: "a", m: 1 }, { k: "b", m: 7 }, { k: "c", m: null }]);
    expect(() => spark.sql("SELECT percentile_disc(1.5) WITHIN GROUP (ORDER BY x) FROM VALUES (1) AS t(x)")).toThrow(/\[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE\]/);
    expect(() => spark.sql("SELECT percentile_disc(0.5, 0.2) WITHIN GROUP (ORDER BY x) FROM VALUES (1) AS t(x)")).toThrow(/WRONG_NUM_ARGS/);
  });

  test("unaliased calls are named as Spark's PercentileCont/PercentileDisc print them, apart from percentile(v, 0.5)", async () => {
    const df = spark.sql(`SELECT percentile(v, 0.5), percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_cont(0.25) WITHIN GROUP (ORDER BY v DESC),
      percentile_disc(0.5) WITHIN GROUP (ORDER BY v), percentile_disc(0.25) WITHIN GROUP (ORDER BY v DESC) FROM VALUES (1), (2), (3), (4) AS t(v)`);
    expect(df.columns).toEqual([
      "percentile(v, 0.5)", "percentile_cont(0.5) WITHIN GROUP (ORDER BY v)", "percentile_cont(0.25) WITHIN GROUP (ORDER BY v DESC)",
      "percentile_disc(0.5) WITHIN GROUP (ORDER BY v)", "percentile_disc(0.25) WITHIN GROUP (ORDER BY v DESC)",
    ]);
    expect(Object.values((await df.collect())[0]!)).toEqual([2.5, 2.5, 3.25, 2, 4]);
    expect(() => spark.sql("SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x DESC) FROM VALUES (1) AS t(x)")).toThrow(
      '[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "percentile_cont(1.5) WITHIN GROUP (ORDER BY x DESC)" due to data type mismatch: The `percentage` must be between [0.0, 1.0], but got 1.5.');
  });

  test("in a streaming aggregation over files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pdisc-"));
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "a.json"), '{"k":"x","v":5}\n{"k":"x","v":1}\n{"k":"x","v":3}\n');
    await spark.sqlScript(`CREATE OR REPLACE TABLE pdisc_in (k STRING, v INT) USING json OPTIONS (path '${join(dir, "in")}')`);
    spark.readStream.schema("k STRING, v INT").json(join(dir, "in")).createOrReplaceTempView("pdisc_stream");
    const agg = spark.sql("SELECT k, percentile_disc(0.9) WITHIN GROUP (ORDER BY v) AS p FROM pdisc_stream GROUP BY k");
    const query = agg.writeStream.format("memory").outputMode("complete").queryName("pdisc_out").trigger({ availableNow: true }).start();
    await query.awaitTermination();
    expect(await spark.sql("SELECT * FROM pdisc_out").collect()).toEqual([{ k: "x", p: 5 }]);
    expect(await spark.sql("SELECT percentile_disc(0.4) WITHIN GROUP (ORDER BY v DESC) AS p FROM pdisc_in").collect()).toEqual([{ p: 3 }]);
  });
});
