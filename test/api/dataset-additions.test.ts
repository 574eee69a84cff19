import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { tempDirs } from "../temp-dirs.ts";
import { Session, col, lit, rand, when, StructType, LongType, StringType, DoubleType, IntegerType } from "../../src/index.ts";

// Spark 3.4/3.5's Dataset methods built from others: transform, withColumnsRenamed, to, unpivot/melt,
// sampleBy, hints and partitioning, localCheckpoint, sameSemantics, corr/cov, foreach, toLocalIterator.
const spark = Session.builder().getOrCreate();
const people = () => spark.createDataFrame([{ id: 1, name: "a", age: 30 }, { id: 2, name: "b", age: null }, { id: 3, name: "c", age: 40 }], "id INT, name STRING, age INT");

describe("reshaping", () => {
  test("transform chains functions; withColumnsRenamed renames several columns, from an object or a Map", async () => {
    const adults = (df: ReturnType<typeof people>, min: number) => df.filter(col("age").geq(min));
    expect(await people().transform(adults, 35).select("id").collect()).toEqual([{ id: 3 }]);
    expect(people().withColumnsRenamed({ id: "key", name: "label" }).columns).toEqual(["key", "label", "age"]);
    expect(people().withColumnsRenamed(new Map([["age", "years"]])).columns).toEqual(["id", "name", "years"]);
  });

  test("to(schema): reorders, casts, drops; Spark's errors for a missing column, a type it cannot store, a nullable column", async () => {
    const target = new StructType([{ name: "AGE", dataType: LongType, nullable: true }, { name: "id", dataType: StringType, nullable: true }]);
    const df = people().to(target);
    expect(df.schema.simpleString()).toBe("struct<AGE:bigint,id:string>");
    expect(await df.orderBy(col("id")).collect()).toEqual([{ AGE: 30, id: "1" }, { AGE: null, id: "2" }, { AGE: 40, id: "3" }]);
    expect(people().to("id DOUBLE").schema.simpleString()).toBe("struct<id:double>");
    expect(() => people().to("missing INT")).toThrow(/\[UNRESOLVED_COLUMN.WITH_SUGGESTION\] A column or function parameter with name `missing` cannot be resolved/);
    expect(() => people().to("name INT")).toThrow(/\[INVALID_COLUMN_OR_FIELD_DATA_TYPE\] Column or field `name` is of type "STRING" while it's required to be "INT"/);
    expect(() => people().to(new StructType([{ name: "age", dataType: IntegerType, nullable: false }]))).toThrow(/\[NULLABLE_COLUMN_OR_FIELD\] Column or field `age` is nullable/);
  });

  test("unpivot and melt: one row per row and value column, in order; values left out are every non-id column", async () => {
    const wide = spark.createDataFrame([{ id: 1, int: 11, long: 1100 }, { id: 2, int: 12, long: null }], "id INT, int INT, long BIGINT");
    const long = wide.unpivot(["id"], ["int", "long"], "var", "val");
    expect(long.schema.simpleString()).toBe("struct<id:int,var:string,val:bigint>");
    expect(await long.collect()).toEqual([
      { id: 1, var: "int", val: 11 }, { id: 1, var: "long", val: 1100 },
      { id: 2, var: "int", val: 12 }, { id: 2, var: "long", val: null },
    ]);
    expect(await wide.melt("id", null, "var", "val").count()).toBe(4);
    expect(() => wide.unpivot(["id", "int", "long"], null, "var", "val")).toThrow(/\[UNPIVOT_REQUIRES_VALUE_COLUMNS\]/);
  });
});

describe("sampling and partitioning", () => {
  test("sampleBy keeps each stratum's fraction, with Spark's rand(seed) draws: the same seed, the same rows", async () => {
    const rows = spark.range(0, 1000).withColumn("key", col("id").mod(3));
    const sampled = rows.sampleBy("key", new Map([[0, 0.1], [1, 0.5]]), 7);
    const counts = Object.fromEntries((await sampled.groupBy("key").count().collect()).map((r) => [String(r.key), Number(r.count)]));
    expect(counts["2"]).toBeUndefined();
    expect(counts["0"]).toBeGreaterThan(15);
    expect(counts["0"]).toBeLessThan(60);
    expect(counts["1"]).toBeGreaterThan(130);
    expect(counts["1"]).toBeLessThan(200);
    // As Spark's: filter(rand(seed) < fraction of the row's stratum).
    const byHand = rows.filter(rand(7).lt(when(col("key").equalTo(0), 0.1).when(col("key").equalTo(1), 0.5).otherwise(0.0)));
    expect((await sampled.collect()).map((r) => r.id)).toEqual((await byHand.collect()).map((r) => r.id));
    expect(() => rows.sampleBy("key", { 0: 1.5 })).toThrow(/Fractions must be in \[0, 1\], but got \{"0":1.5\}/);
  });

  test("hint, repartition, coalesce, repartitionByRange keep the rows; sortWithinPartitions sorts the one partition; bad counts refused", async () => {
    const df = people();
    for (const same of [df.hint("broadcast"), df.repartition(4), df.repartition(col("id")), df.repartition(2, "id"), df.coalesce(1), df.repartitionByRange(3, "age")]) {
      expect(await same.orderBy("id").collect()).toEqual(await df.orderBy("id").collect());
    }
    expect((await df.sortWithinPartitions(col("id").desc()).collect()).map((r) => r.id)).toEqual([3, 2, 1]);
    expect(() => df.repartition(0)).toThrow(/Number of partitions \(0\) must be positive/);
    expect(() => df.coalesce(-1)).toThrow(/Number of partitions \(-1\) must be positive/);
  });

  test("localCheckpoint and checkpoint hold the rows computed once: rand() answers the same afterwards", async () => {
    const random = spark.range(0, 5).withColumn("r", rand());
    expect(await random.collect()).not.toEqual(await random.collect());
    const held = await random.localCheckpoint();
    expect(await held.collect()).toEqual(await held.collect());
    expect(held.schema.simpleString()).toBe("struct<id:bigint,r:double>");
    const again = await people().checkpoint(false);
    expect(await again.count()).toBe(3);
  });
});

describe("plans, statistics, iteration", () => {
  test("sameSemantics: the same operators over the same input; semanticHash agrees", () => {
    const df = people();
    const a = df.filter(col("age").gt(1)).select("name");
    const b = df.filter(col("age").gt(1)).select("name");
    expect(a.sameSemantics(b)).toBe(true);
    expect(a.semanticHash()).toBe(b.semanticHash());
    expect(a.sameSemantics(df.filter(col("age").gt(2)).select("name"))).toBe(false);
    expect(a.sameSemantics(people().filter(col("age").gt(1)).select("name"))).toBe(false);
  });

  test("inputFiles: the files of the file scans, as file URIs, each once; none for rows in memory", async () => {
    const dirs = tempDirs();
    const dir = await dirs("rivulet-input-files-");
    await mkdir(join(dir, "day=1"));
    await writeFile(join(dir, "day=1", "b.json"), '{"v": 1}\n');
    await writeFile(join(dir, "a.json"), '{"v": 2}\n');
    await writeFile(join(dir, "_SUCCESS"), "");
    const json = spark.read.json(join(dir, "day=1"));
    const both = json.union(spark.read.json(join(dir, "a.json")));
    const url = (name: string) => pathToFileURL(join(dir, name)).href;
    expect(json.inputFiles()).toEqual([url("day=1/b.json")]);
    expect(both.filter(col("v").gt(0)).inputFiles()).toEqual([url("a.json"), url("day=1/b.json")]);
    expect(people().inputFiles()).toEqual([]);
    await dirs.remove();
  });

  test("corr and cov: Pearson's correlation and the sample covariance", async () => {
    const xy = spark.createDataFrame([{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 7 }], "x DOUBLE, y DOUBLE");
    expect(await xy.corr("x", "y")).toBeCloseTo(0.9933992677987828, 12);
    expect(await xy.cov("x", "y")).toBeCloseTo(2.5, 12);
    await expect(xy.corr("x", "y", "spearman")).rejects.toThrow(/only the calculation of the Pearson Correlation coefficient/);
  });

  test("approxQuantile: exact quantiles (within any relative error), nulls and NaN left out; Spark's checks", async () => {
    const nums = spark.range(1, 11).selectExpr("CAST(id AS DOUBLE) AS x", "CASE WHEN id % 2 = 0 THEN id * 10 END AS y")
      .union(spark.createDataFrame([{ x: Number.NaN, y: null }], "x DOUBLE, y BIGINT"));
    expect(await nums.approxQuantile("x", [0, 0.25, 0.5, 1], 0)).toEqual([1, 3, 5, 10]);
    expect(await nums.approxQuantile(["x", "y"], [0.5], 0.01)).toEqual([[5], [60]]);
    expect(await nums.filter(col("x").gt(100)).approxQuantile("x", [0.5], 0)).toEqual([]);
    await expect(nums.approxQuantile("x", [0.5], -1)).rejects.toThrow(/Relative Error must be non-negative but got -1/);
    await expect(nums.approxQuantile("x", [1.5], 0)).rejects.toThrow(/percentile should be in the range \[0.0, 1.0\]/);
  });

  test("crosstab: pair counts, a column per value of the second column, 0 where none (Spark's example)", async () => {
    const df = spark.createDataFrame([{ c1: 1, c2: 1 }, { c1: 3, c2: 2 }, { c1: 3, c2: 3 }, { c1: null, c2: 1 }], "c1 INT, c2 INT");
    const table = await df.crosstab("c1", "c2");
    expect(table.dtypes).toEqual([["c1_c2", "string"], ["1", "bigint"], ["2", "bigint"], ["3", "bigint"]]);
    expect(await table.collect()).toEqual([
      { c1_c2: "1", 1: 1, 2: 0, 3: 0 }, { c1_c2: "3", 1: 0, 2: 1, 3: 1 }, { c1_c2: "null", 1: 1, 2: 0, 3: 0 },
    ]);
  });

  test("replace (PySpark's): a dict, a value, lists of values, in a subset", async () => {
    const df = spark.createDataFrame([{ name: "Alice", age: 10 }, { name: "Bob", age: 80 }], "name STRING, age INT");
    expect(await df.replace(10, 20).collect()).toEqual([{ name: "Alice", age: 20 }, { name: "Bob", age: 80 }]);
    expect(await df.replace({ Alice: "A" }).collect()).toEqual([{ name: "A", age: 10 }, { name: "Bob", age: 80 }]);
    expect(await df.replace(["Alice", "Bob"], ["A", "B"], "name").collect()).toEqual([{ name: "A", age: 10 }, { name: "B", age: 80 }]);
    expect(() => df.replace(["Alice", "Bob"], ["A"])).toThrow(/toReplace and value lists should be of the same length. Got 2 and 1/);
  });

  test("foreach, foreachPartition and toLocalIterator see every row", async () => {
    const seen: number[] = [];
    await people().foreach((r) => { seen.push(Number(r.id)); });
    expect(seen.sort()).toEqual([1, 2, 3]);
    let partitions = 0;
    await people().foreachPartition((rows) => { partitions++; expect([...rows]).toHaveLength(3); });
    expect(partitions).toBe(1);
    const ids: unknown[] = [];
    for await (const row of people().orderBy("id").toLocalIterator()) ids.push(row.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(lit(1)).toBeDefined();
    expect(DoubleType.kind).toBe("double");
  });
});
