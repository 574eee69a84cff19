import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { ManualClock } from "../../src/execution/clock.ts";

// A session with its own clock is never the shared one: its app name is this test's.
const session = (name = "myapp") => Session.builder().appName(name).withClock(new ManualClock()).getOrCreate();

describe("spark.conf.get as Spark's RuntimeConfig", () => {
  test("the app name from appName() or config('spark.app.name'), and spark.master", () => {
    const spark = session();
    expect(spark.conf.get("spark.app.name")).toBe("myapp");
    expect(spark.conf.get("spark.master")).toBe("local[*]");
    const viaConfig = Session.builder().config("spark.app.name", "other").withClock(new ManualClock()).getOrCreate();
    expect(viaConfig.conf.get("spark.app.name")).toBe("other");
    expect(viaConfig.appName).toBe("other");
    expect(spark.conf.getAll()["spark.app.name"]).toBe("myapp");
  });

  test("known SQL settings give Spark's defaults without being set; a set value or a passed default wins", () => {
    const spark = session();
    expect(spark.conf.get("spark.sql.ansi.enabled")).toBe("false");
    expect(spark.conf.get("spark.sql.adaptive.enabled")).toBe("true");
    expect(spark.conf.get("spark.sql.shuffle.partitions")).toBe("200");
    expect(spark.conf.get("spark.sql.session.timeZone")).toBe("UTC");
    expect(spark.conf.get("spark.sql.streaming.noDataMicroBatches.enabled")).toBe("true");
    expect(spark.conf.get("spark.sql.streaming.multipleWatermarkPolicy")).toBe("min");
    expect(spark.conf.get("spark.sql.sources.default")).toBe("parquet");
    // Spark's get(key, default): the caller's default over the setting's own.
    expect(spark.conf.get("spark.sql.shuffle.partitions", "10")).toBe("10");
    spark.conf.set("spark.sql.shuffle.partitions", 4);
    expect(spark.conf.get("spark.sql.shuffle.partitions", "10")).toBe("4");
    // Registered without a default: Spark's null.
    expect(spark.conf.get("spark.sql.streaming.checkpointLocation")).toBeUndefined();
  });

  test("a key nobody set nor knows fails with SQL_CONF_NOT_FOUND, unless a default is passed; a key the user set is returned", () => {
    const spark = session();
    expect(() => spark.conf.get("spark.no.such.key")).toThrow(
      '[SQL_CONF_NOT_FOUND] The SQL config "spark.no.such.key" cannot be found. Please verify that the config exists.',
    );
    expect(spark.conf.get("spark.no.such.key", "fallback")).toBe("fallback");
    expect(spark.conf.getOption("spark.no.such.key")).toBeUndefined();
    spark.conf.set("my.own.key", "v");
    expect(spark.conf.get("my.own.key")).toBe("v");
    spark.conf.unset("my.own.key");
    expect(() => spark.conf.get("my.own.key")).toThrow("SQL_CONF_NOT_FOUND");
  });

  test("SET key agrees: a default for a known key, <undefined> for an unknown one, the value once set", async () => {
    const spark = session();
    expect(await spark.sql("SET spark.sql.adaptive.enabled").collect()).toEqual([{ key: "spark.sql.adaptive.enabled", value: "true" }]);
    expect(await spark.sql("SET spark.no.such.key").collect()).toEqual([{ key: "spark.no.such.key", value: "<undefined>" }]);
    await spark.sql("SET spark.no.such.key = 7").collect();
    expect(spark.conf.get("spark.no.such.key")).toBe("7");
    expect(await spark.sql("SET").collect()).toContainEqual({ key: "spark.app.name", value: "myapp" });
  });

  test("spark.version is the Spark release whose semantics the engine follows", () => {
    expect(session().version).toBe("3.5.0");
  });
});
