import { describe, expect, test } from "vitest";
import { Session, col, expr } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { JOIN_STATE_PROVIDERS, useStateStoreProvider } from "./join-state-providers.ts";

scopedTmpdir("rivulet-stream-join-columns-test-");

/** What Spark's join tests lean on: columns bound to their DataFrame, aliases, one source joined with itself. */
describe.each(JOIN_STATE_PROVIDERS)("stream–stream joins: naming the columns of each side (state store %s)", (provider) => {
  useStateStoreProvider(provider);
  test("left.col(\"key\") = right.col(\"key\") on two frames with the same column names", async () => {
    const spark = Session.builder().getOrCreate();
    const input1 = new MemoryStream<{ value: number }>(spark, "value INT");
    const input2 = new MemoryStream<{ value: number }>(spark, "value INT");
    const left = input1.toDF().select(col("value").as("key"), col("value").multiply(2).as("v"));
    const right = input2.toDF().select(col("value").as("key"), col("value").multiply(3).as("v"));
    expect(() => left.join(right, col("key").equalTo(col("key")))).toThrow(/AMBIGUOUS_REFERENCE/);
    const joined = left.join(right, left.col("key").equalTo(right.col("key")))
      .select(left.col("key"), left.col("v").as("lv"), right.col("v").as("rv"));
    await testStream(joined, "append")
      .addData(input1, [{ value: 1 }, { value: 2 }]).addData(input2, [{ value: 2 }, { value: 3 }])
      .checkNewAnswer([{ key: 2, lv: 4, rv: 6 }])
      .addData(input1, [{ value: 3 }]).checkNewAnswer([{ key: 3, lv: 6, rv: 9 }])
      .run();
  });

  test("a stream joined with itself (Spark's \"stream stream self join\"), across a restart", async () => {
    const spark = Session.builder().getOrCreate();
    const input = new MemoryStream<{ value: number }>(spark, "value INT");
    const df = input.toDF();
    const a = df.select(expr("value % 5").as("key"), col("value"));
    const b = df.select(expr("value % 5").as("key"), col("value"));
    const joined = a.join(b, "key").select(col("key"), a.col("value").as("a"), b.col("value").as("b"));
    const r = (key: number, x: number, y: number) => ({ key, a: x, b: y });
    await testStream(joined, "append")
      .addData(input, [{ value: 1 }, { value: 2 }]).checkAnswer([r(1, 1, 1), r(2, 2, 2)])
      .stopStream().startStream()
      .addData(input, [{ value: 3 }, { value: 6 }])
      .checkAnswer([r(3, 3, 3), r(1, 1, 1), r(1, 1, 6), r(2, 2, 2), r(1, 6, 1), r(1, 6, 6)])
      .run();
  });

  test("aliases as qualifiers: df.as(\"l\") / col(\"l.key\"), and SQL over STREAM(…) tables", async () => {
    const spark = Session.builder().getOrCreate();
    const input1 = new MemoryStream<{ value: number }>(spark, "value INT");
    const input2 = new MemoryStream<{ value: number }>(spark, "value INT");
    const l = input1.toDF().select(col("value").as("key"), col("value").multiply(2).as("v")).as("l");
    const r = input2.toDF().select(col("value").as("key"), col("value").multiply(3).as("v")).as("r");
    const joined = l.join(r, col("l.key").equalTo(col("r.key"))).select(col("l.key"), col("l.v").as("lv"), col("r.v").as("rv"));
    await testStream(joined, "append")
      .addData(input1, [{ value: 1 }]).addData(input2, [{ value: 1 }])
      .checkNewAnswer([{ key: 1, lv: 2, rv: 3 }])
      .run();

    input1.toDF().select(col("value").as("key"), col("value").multiply(2).as("v")).createOrReplaceTempView("lefts");
    input2.toDF().select(col("value").as("key"), col("value").multiply(3).as("v")).createOrReplaceTempView("rights");
    const sql = spark.sql("SELECT a.key, a.v AS lv, b.v AS rv FROM STREAM(lefts) a JOIN STREAM(rights) b ON a.key = b.key");
    expect(sql.isStreaming).toBe(true);
    await testStream(sql, "append")
      .addData(input1, [{ value: 7 }]).addData(input2, [{ value: 7 }, { value: 8 }])
      .checkNewAnswer([{ key: 1, lv: 2, rv: 3 }, { key: 7, lv: 14, rv: 21 }])
      .addData(input1, [{ value: 8 }]).checkNewAnswer([{ key: 8, lv: 16, rv: 24 }])
      .run();
  });

  test("left and right as aliases: df.as(\"left\") with left.id in expr(), and `left` quoted in SQL (a strict keyword there, as in Spark)", async () => {
    const spark = Session.builder().getOrCreate();
    const input1 = new MemoryStream<{ id: number }>(spark, "id INT");
    const input2 = new MemoryStream<{ id: number }>(spark, "id INT");
    const joined = input1.toDF().as("left").join(input2.toDF().withColumn("v", expr("id * 10")).as("right"), expr("left.id = right.id"))
      .selectExpr("left.id", "right.v");
    await testStream(joined, "append")
      .addData(input1, [{ id: 1 }, { id: 2 }]).addData(input2, [{ id: 2 }])
      .checkNewAnswer([{ id: 2, v: 20 }])
      .run();
    input1.toDF().createOrReplaceTempView("ssj_l");
    input2.toDF().createOrReplaceTempView("ssj_r");
    expect(() => spark.sql("SELECT left.id FROM STREAM(ssj_l) AS left JOIN STREAM(ssj_r) AS right ON left.id = right.id")).toThrow(/PARSE_SYNTAX_ERROR/);
    const sql = spark.sql("SELECT left.id FROM STREAM(ssj_l) AS `left` JOIN STREAM(ssj_r) AS `right` ON left.id = right.id");
    await testStream(sql, "append").addData(input2, [{ id: 1 }]).checkNewAnswer([{ id: 1 }, { id: 2 }]).run();
  });
});
