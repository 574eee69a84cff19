import { describe, expect, test } from "vitest";
import { MemoryStream, Session, collect_list, collect_set, count } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

const spark = Session.builder().appName("emitted-rows-stay-put").getOrCreate();
scopedTmpdir("rivulet-emitted-rows-", spark);
let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${counter++}`;

// An aggregate whose buffer is an array keeps growing in later batches; a row a sink already
// took must keep the value it had when it was emitted, as Spark hands each batch its own rows.
describe("rows an update-mode aggregation emitted do not change in later batches", () => {
  test("the memory sink keeps each batch's collect_list as it was", async () => {
    const input = new MemoryStream<{ k: string; v: number }>(spark, "k STRING, v INT");
    const name = uniqueName("lists");
    const query = await input.toDF().groupBy("k").agg(count("*").alias("c"), collect_list("v").alias("l"), collect_set("v").alias("s"))
      .writeStream.format("memory").queryName(name).outputMode("update").start();
    try {
      input.addData([{ k: "a", v: 1 }, { k: "a", v: 2 }]);
      await query.processAllAvailable();
      input.addData([{ k: "a", v: 3 }]);
      await query.processAllAvailable();
      const rows = await spark.sql(`SELECT c, l, s FROM ${name} ORDER BY c`).collect();
      expect(rows.map((r) => ({ ...r }))).toEqual([{ c: 2, l: [1, 2], s: [1, 2] }, { c: 3, l: [1, 2, 3], s: [1, 2, 3] }]);
    } finally {
      await query.stop();
    }
  });

  test("testStream sees each batch's own list", async () => {
    const input = new MemoryStream<{ k: string; v: number }>(spark, "k STRING, v INT");
    await testStream(input.toDF().groupBy("k").agg(collect_list("v").alias("l")), "update")
      .addData(input, [{ k: "a", v: 1 }]).checkNewAnswer([{ k: "a", l: [1] }])
      .addData(input, [{ k: "a", v: 2 }]).checkNewAnswer([{ k: "a", l: [1, 2] }])
      .checkAnswer([{ k: "a", l: [1] }, { k: "a", l: [1, 2] }])
      .run();
  });
});
