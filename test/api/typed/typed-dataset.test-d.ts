/**
 * Type-level tests of the typed Dataset, checked by `tsc --noEmit` (npm test) and by
 * `vitest --typecheck`: what compiles, with which types, and — on `@ts-expect-error`
 * lines, which tsc verifies do fail — what must not compile.
 */
import { describe, expectTypeOf, test } from "vitest";
import {
  Column, GroupStateTimeout, MemoryStream, Session, avg, col, count, max, sum, types, window,
  type DataFrame, type Dataset, type GroupState, type Infer, type Row, type TimeWindow,
} from "../../../src/index.ts";

declare const spark: Session;

const Log = types.struct({ time: types.timestamp(), action: types.string(), bytes: types.long().nullable() });
type Log = Infer<typeof Log>;

describe("the schema builder", () => {
  test("Infer gives the JS types rivulet returns", () => {
    expectTypeOf<Log>().toEqualTypeOf<{ time: Date; action: string; bytes: number | null }>();
    const All = types.struct({
      s: types.string(), b: types.boolean(), i: types.int(), l: types.long(), big: types.bigint(), d: types.double(),
      ts: types.timestamp(), day: types.date(), bin: types.binary(),
      tags: types.array(types.string()), attrs: types.map(types.string(), types.long().nullable()),
      geo: types.struct({ lat: types.double(), lon: types.double() }).nullable(),
    });
    expectTypeOf<Infer<typeof All>>().toEqualTypeOf<{
      s: string; b: boolean; i: number; l: number; big: number | bigint; d: number; ts: Date; day: Date; bin: Uint8Array;
      tags: string[]; attrs: Map<string, number | null>; geo: { lat: number; lon: number } | null;
    }>();
  });

  test("a TypedStruct is a StructType", () => {
    expectTypeOf(Log.fields).toEqualTypeOf<readonly import("../../../src/index.ts").StructField[]>();
    expectTypeOf(Log.toDDL()).toBeString();
  });
});

describe("typed readers", () => {
  test("readStream.schema(TypedStruct) gives a typed Dataset; a DDL string or StructType a DataFrame", () => {
    expectTypeOf(spark.readStream.schema(Log).json("logs/")).toEqualTypeOf<Dataset<Log>>();
    expectTypeOf(spark.read.schema(Log).format("json").load("logs/")).toEqualTypeOf<Dataset<Log>>();
    expectTypeOf(spark.readStream.schema("time TIMESTAMP, action STRING").json("logs/")).toEqualTypeOf<DataFrame>();
    expectTypeOf(new MemoryStream(spark, Log).toDS()).toEqualTypeOf<Dataset<Log>>();
    expectTypeOf(spark.createDataFrame([], Log)).toEqualTypeOf<Dataset<Log>>();
  });
});

describe("column names are checked at compile time", () => {
  const ds = spark.read.schema(Log).json("logs/");
  const df: DataFrame = spark.read.json("logs/");

  test("select narrows the row type", () => {
    expectTypeOf(ds.select("action", "time")).toEqualTypeOf<Dataset<{ action: string; time: Date }>>();
    expectTypeOf(ds.select(ds.col("bytes").as("b"), "action")).toEqualTypeOf<Dataset<{ b: number | null; action: string }>>();
    expectTypeOf(ds.select("*")).toEqualTypeOf<Dataset<Log>>();
    // An expression whose name the type checker cannot know makes the result untyped.
    expectTypeOf(ds.select(col("action"), new Column(col("x").expr))).toEqualTypeOf<Dataset<Row>>();
    // @ts-expect-error "acton" is not a column of Log
    ds.select("acton");
  });

  test("col and groupBy reject misspelt names; col carries the column's type", () => {
    expectTypeOf(ds.col("bytes")).toEqualTypeOf<Column<number | null, "bytes">>();
    // @ts-expect-error misspelt column
    ds.col("acton");
    // @ts-expect-error misspelt column
    ds.groupBy("acton");
    // @ts-expect-error misspelt column
    ds.withWatermark("tme", "10 minutes");
    // @ts-expect-error misspelt column
    ds.dropDuplicates("acton");
    // @ts-expect-error misspelt column
    ds.orderBy("acton");
  });

  test("comparisons with literals of the wrong type do not compile", () => {
    ds.filter(ds.col("bytes").gt(100));
    ds.filter(ds.col("time").lt(new Date()));
    ds.filter(ds.col("action").isin("buy", "view"));
    // @ts-expect-error a string column compared with a number
    ds.filter(ds.col("action").eq(5));
    // @ts-expect-error a number column compared with a string
    ds.filter(ds.col("bytes").gt("100"));
    // @ts-expect-error a timestamp column compared with a boolean
    ds.filter(ds.col("time").geq(true));
    // Columns of unknown type (functions.col, DataFrames) accept anything, as before.
    df.filter(col("action").eq(5));
  });

  test("withColumn, withColumnRenamed and drop change the row type", () => {
    expectTypeOf(ds.withColumn("big", ds.col("bytes").gt(1000))).toEqualTypeOf<Dataset<{ time: Date; action: string; bytes: number | null; big: boolean | null }>>();
    expectTypeOf(ds.withColumn("n", col("x"))).toEqualTypeOf<Dataset<{ time: Date; action: string; bytes: number | null; n: unknown }>>();
    expectTypeOf(ds.withColumnRenamed("action", "verb")).toEqualTypeOf<Dataset<{ time: Date; bytes: number | null; verb: string }>>();
    expectTypeOf(ds.drop("bytes", "time")).toEqualTypeOf<Dataset<{ action: string }>>();
  });

  test("groupBy(...).agg(...) types its result, window structs included", () => {
    expectTypeOf(ds.groupBy("action").agg(count("*").as("n"), sum("bytes").as("total")))
      .toEqualTypeOf<Dataset<{ action: string; n: number; total: number | null }>>();
    expectTypeOf(ds.groupBy(window(ds.col("time"), "10 minutes"), "action").agg(count("*").as("n")))
      .toEqualTypeOf<Dataset<{ window: TimeWindow; action: string; n: number }>>();
    expectTypeOf<TimeWindow>().toEqualTypeOf<{ start: Date; end: Date }>();
    expectTypeOf(ds.groupBy("action").count()).toEqualTypeOf<Dataset<{ action: string; count: number }>>();
    expectTypeOf(ds.groupBy("action").agg(max(ds.col("time")).as("last"), avg("bytes")))
      .toEqualTypeOf<Dataset<{ action: string; last: Date | null; "avg(bytes)": number | null }>>();
  });

  test("a DataFrame accepts any name and stays untyped", () => {
    expectTypeOf(df.select("anything")).toEqualTypeOf<DataFrame>();
    expectTypeOf(df.groupBy("a").agg(count("*").as("n"))).toEqualTypeOf<DataFrame>();
    expectTypeOf(df.col("x")).toEqualTypeOf<Column<unknown, "x">>();
    expectTypeOf(df.withColumn("n", lit1())).toEqualTypeOf<DataFrame>();
  });

  test("as(schema) views a DataFrame as a typed Dataset", () => {
    expectTypeOf(df.as(Log)).toEqualTypeOf<Dataset<Log>>();
    expectTypeOf(df.as("alias")).toEqualTypeOf<DataFrame>();
  });
});

function lit1(): Column { return col("one"); }

describe("typed results and lambdas", () => {
  const ds = spark.read.schema(Log).json("logs/");

  test("collect() returns T[]; foreachBatch gets Dataset<T>", () => {
    expectTypeOf(ds.collect()).toEqualTypeOf<Promise<Log[]>>();
    expectTypeOf(ds.select("action").first()).toEqualTypeOf<Promise<{ action: string } | undefined>>();
    spark.readStream.schema(Log).json("logs/").writeStream.foreachBatch((batch, id) => {
      expectTypeOf(batch).toEqualTypeOf<Dataset<Log>>();
      expectTypeOf(id).toBeNumber();
    });
  });

  test("map, flatMap and filter take typed lambdas; the output schema decides the result type", () => {
    const Out = types.struct({ action: types.string(), kb: types.double() });
    expectTypeOf(ds.map((r) => ({ action: r.action, kb: (r.bytes ?? 0) / 1024 }), Out)).toEqualTypeOf<Dataset<Infer<typeof Out>>>();
    expectTypeOf(ds.flatMap((r) => [{ action: r.action, kb: 0 }], Out)).toEqualTypeOf<Dataset<Infer<typeof Out>>>();
    expectTypeOf(ds.filter((r) => r.time.getTime() > 0)).toEqualTypeOf<Dataset<Log>>();
    // @ts-expect-error the lambda's rows must match the output schema
    ds.map((r) => ({ action: r.action }), Out);
    // @ts-expect-error r has no field "acton"
    ds.filter((r) => r.acton === "buy");
  });

  test("groupByKey: count, reduceGroups, mapGroups and the state functions are typed", () => {
    const byAction = ds.groupByKey((r) => r.action, types.string());
    expectTypeOf(byAction.count()).toEqualTypeOf<Dataset<{ key: string; count: number }>>();
    expectTypeOf(byAction.reduceGroups((a, b) => (a.time > b.time ? a : b))).toEqualTypeOf<Dataset<{ key: string; value: Log }>>();
    const Stat = types.struct({ action: types.string(), n: types.long() });
    expectTypeOf(byAction.mapGroups((action, rows) => ({ action, n: rows.length }), Stat)).toEqualTypeOf<Dataset<{ action: string; n: number }>>();
    const sessions = ds.groupByKey((r) => r.action).flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout,
      (action, rows, state: GroupState<{ n: number }>) => {
        expectTypeOf(action).toBeString();
        expectTypeOf(rows).toEqualTypeOf<Log[]>();
        expectTypeOf(state.getOption()).toEqualTypeOf<{ n: number } | undefined>();
        // @ts-expect-error the state is { n: number }
        state.update({ count: 1 });
        return [{ action, n: rows.length }];
      }, Stat);
    expectTypeOf(sessions).toEqualTypeOf<Dataset<{ action: string; n: number }>>();
    // @ts-expect-error the key type must describe the key
    ds.groupByKey((r) => r.action, types.long());
    // Without the key's type (Scala infers its encoder; TypeScript erases K), the results holding the key are not offered.
    const untyped = ds.groupByKey((r) => r.action);
    expectTypeOf(untyped).not.toHaveProperty("count");
    expectTypeOf(untyped).not.toHaveProperty("reduceGroups");
    expectTypeOf(untyped.mapGroups((action, rows) => ({ action, n: rows.length }), Stat)).toEqualTypeOf<Dataset<{ action: string; n: number }>>();
    // A DataType or DDL key type: K is still the key function's result.
    expectTypeOf(ds.groupByKey((r) => r.action, "string").count()).toEqualTypeOf<Dataset<{ key: string; count: number }>>();
  });
});
