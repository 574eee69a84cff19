import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, expr, sum, types, upper, window, type DataFrame, type GroupState } from "../../src/index.ts";
import { resultKey } from "../../src/plan/result-keys.ts";

const spark = Session.builder().getOrCreate();
let views = 0;

function events(): DataFrame {
  return new MemoryStream(spark, "time TIMESTAMP, action STRING, id INT").toDF();
}

/** Runs `sql` over a fresh stream registered as `events`. */
function sql(text: string): DataFrame {
  const view = `events_${process.pid}_${views++}`;
  events().createOrReplaceTempView(view);
  return spark.sql(text.replaceAll("events", view));
}

const key = (df: DataFrame) => resultKey(df.plan);
const keyNames = (df: DataFrame) => key(df).columns.map((i) => df.plan.output[i]!.name);
const hourly = () => events().groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"));

describe("the key of a streaming aggregation's result, by lineage", () => {
  test("DataFrame: groupBy(window, action) keys the window and the action", () => {
    expect(key(hourly())).toEqual({ operator: "aggregation", columns: [0, 1], missing: [] });
  });

  test("DataFrame: aliases, renames and reordering projections keep the keys wherever they go", () => {
    expect(keyNames(hourly().select(col("window").as("hour"), col("action"), col("n")))).toEqual(["hour", "action"]);
    expect(keyNames(hourly().withColumnRenamed("window", "hour"))).toEqual(["hour", "action"]);
    expect(keyNames(hourly().select("n", "action", "window"))).toEqual(["action", "window"]);
    expect(key(hourly().select("n", "action", "window")).columns).toEqual([1, 2]);
    expect(keyNames(hourly().alias("h").select(col("h.action").as("a"), col("h.window").as("w"), col("h.n")))).toEqual(["a", "w"]);
    expect(keyNames(hourly().filter(col("n").gt(1)))).toEqual(["window", "action"]);
    // A lambda filter is opaque but keeps its input's columns; a lambda map makes new ones.
    expect(keyNames(hourly().filter((r) => (r.n as number) > 1))).toEqual(["window", "action"]);
    expect(key(hourly().map((r) => r, "window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, action STRING, n BIGINT")).missing).toEqual(["window(time, 1 hours)", "action"]);
  });

  test("SQL: the window with and without AS w, in a subquery, under another name outside it", () => {
    const group = "FROM events GROUP BY action, window(time, '1 hour')";
    expect(keyNames(sql(`SELECT action, window(time, '1 hour') AS w, count(*) AS n ${group}`))).toEqual(["action", "w"]);
    expect(keyNames(sql(`SELECT action, window(time, '1 hour'), count(*) AS n ${group}`))).toEqual(["action", "window"]);
    expect(keyNames(sql(`SELECT n, hour, a FROM (SELECT action AS a, window(time, '1 hour') AS hour, count(*) AS n ${group}) t`))).toEqual(["hour", "a"]);
    expect(keyNames(sql(`SELECT t.w AS window, t.action FROM (SELECT action, window(time, '1 hour') AS w, count(*) AS n ${group}) AS t`))).toEqual(["window", "action"]);
    expect(keyNames(sql(`SELECT action, window(time, '1 hour') AS w, count(*) AS n ${group} HAVING count(*) > 1`))).toEqual(["action", "w"]);
  });

  test("two time keys, and a window as the only key; two window() in one aggregation are refused, as in Spark", () => {
    expect(() => sql("SELECT window(time, '1 hour') AS h, window(time, '1 day') AS d, count(*) AS n FROM events GROUP BY window(time, '1 hour'), window(time, '1 day')"))
      .toThrow("Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.");
    expect(() => events().groupBy(window(col("time"), "1 hour").as("h"), window(col("time"), "1 day").as("d")).agg(count("*")))
      .toThrow(/^Multiple time\/session window expressions/);
    const two = sql("SELECT window(time, '1 hour') AS h, to_date(time) AS d, count(*) AS n FROM events GROUP BY window(time, '1 hour'), to_date(time)");
    expect(key(two)).toEqual({ operator: "aggregation", columns: [0, 1], missing: [] });
    const only = events().groupBy(window(col("time"), "1 hour")).agg(count("*").as("n")).select(col("n"), col("window").as("w"));
    expect(key(only)).toEqual({ operator: "aggregation", columns: [1], missing: [] });
  });

  test("a key left out, computed over or taken apart is missing, whatever the column is called", () => {
    const group = "FROM events GROUP BY action, window(time, '1 hour')";
    expect(key(sql(`SELECT upper(action) AS action, window(time, '1 hour') AS w, count(*) AS n ${group}`)))
      .toEqual({ operator: "aggregation", columns: [1], missing: ["action"] });
    expect(key(sql(`SELECT action, w.start AS window, n FROM (SELECT action, window(time, '1 hour') AS w, count(*) AS n ${group}) t`)))
      .toEqual({ operator: "aggregation", columns: [0], missing: ["window(time, 1 hours)"] });
    expect(key(sql(`SELECT count(*) AS n ${group}`)).missing).toEqual(["action", "window(time, 1 hours)"]);
    // A computed column that takes a key's name is not the key.
    expect(key(hourly().withColumn("action", upper(col("action")))).missing).toEqual(["action"]);
    expect(key(hourly().select(col("window"), expr("concat(action, '')").as("action"), col("n"))).missing).toEqual(["action"]);
  });

  test("a global aggregation has an empty key, which is whole", () => {
    expect(key(events().agg(count("*").as("n"), sum("id").as("s")))).toEqual({ operator: "aggregation", columns: [], missing: [] });
  });

  test("a key selected twice is carried by both columns", () => {
    expect(keyNames(hourly().select(col("action"), col("action").as("a2"), col("window"), col("n")))).toEqual(["action", "a2", "window"]);
  });

  test("a union of two aggregations has no key", () => {
    const a = events().groupBy(col("action")).agg(count("*").as("n"));
    expect(key(a.union(events().groupBy(col("action")).agg(count("*").as("n"))))).toEqual({ operator: "aggregation", columns: [], missing: ["action", "action"] });
  });
});

describe("other keyed operators", () => {
  test("dropDuplicates: its columns, through projections", () => {
    const d = events().dropDuplicates("id", "action").select(col("action").as("a"), col("time"), col("id"));
    expect(key(d)).toEqual({ operator: "deduplication", columns: [0, 2], missing: [] });
    expect(key(events().dropDuplicates("id").select("time"))).toEqual({ operator: "deduplication", columns: [], missing: ["id"] });
  });

  test("flatMapGroupsWithState: the key comes from a function, so no column carries it", () => {
    const counts = new MemoryStream(spark, "shop STRING").toDS().groupByKey((s) => (s as { shop: string }).shop)
      .mapGroupsWithState((shop, rows, state: GroupState<number>) => {
        state.update((state.getOption() ?? 0) + rows.length);
        return { shop, n: state.get() };
      }, types.struct({ shop: types.string(), n: types.long() }));
    expect(key(counts.toDF())).toEqual({ operator: "groupsWithState", columns: [], missing: ["the key of groupByKey(...).mapGroupsWithState"] });
  });

  test("reduceGroups: the engine writes the key into its `key` column", () => {
    const latest = new MemoryStream(spark, "shop STRING, amount INT").toDS().groupByKey((s) => (s as { shop: string }).shop, "string")
      .reduceGroups((a, b) => ((a as { amount: number }).amount >= (b as { amount: number }).amount ? a : b));
    expect(key(latest.toDF())).toEqual({ operator: "groupsWithState", columns: [0], missing: [] });
    expect(key(latest.toDF().select(col("value"), col("key").as("shop")))).toEqual({ operator: "groupsWithState", columns: [1], missing: [] });
    expect(key(latest.toDF().select(col("value")))).toEqual({ operator: "groupsWithState", columns: [], missing: ["key"] });
  });

  test("a stateless query has no keyed operator", () => {
    expect(key(events().select(col("action")))).toEqual({ operator: null, columns: [], missing: [] });
  });
});
