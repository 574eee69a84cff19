import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();
const df = spark.createDataFrame([{ id: 1 }, { id: 2 }, { id: 3 }], "id INT");
const empty = spark.createDataFrame([], "id INT");

describe("head, take, first and tail (Spark's Scala Dataset)", () => {
  test("head() is the first row; head(n) and take(n) the first n rows", async () => {
    expect(await df.head()).toEqual({ id: 1 });
    expect(await df.head(2)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await df.take(5)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(await df.first()).toEqual({ id: 1 });
    expect(await empty.head()).toBeUndefined();
    expect(await empty.head(1)).toEqual([]);
  });

  test("tail(n) is the last n rows, in order", async () => {
    expect(await df.tail(2)).toEqual([{ id: 2 }, { id: 3 }]);
    expect(await df.orderBy("id").tail(5)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(await df.tail(0)).toEqual([]);
    await expect(df.tail(-1)).rejects.toThrow("non-negative integer");
    expect(await spark.sql("SELECT * FROM range(10)").tail(1)).toEqual([{ id: 9 }]);
  });
});
