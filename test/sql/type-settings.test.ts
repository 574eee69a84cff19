import { describe, expect, it } from "vitest";
import { Session, col, lit } from "../../src/index.ts";

describe("session settings that change how expressions type", () => {
  it("spark.sql.timestampType: a DataFrame cast and schema string read TIMESTAMP as the session says", () => {
    const spark = Session.builder().appName("type-settings").getOrCreate().newSession();
    const df = spark.createDataFrame([{ s: "2020-07-01 12:00:00" }], "s STRING");
    expect(df.select(col("s").cast("timestamp").as("t")).schema.simpleString()).toBe("struct<t:timestamp>");
    spark.conf.set("spark.sql.timestampType", "TIMESTAMP_NTZ");
    expect(df.select(col("s").cast("timestamp").as("t")).schema.simpleString()).toBe("struct<t:timestamp_ntz>");
    expect(spark.createDataFrame([], "t TIMESTAMP, u TIMESTAMP_LTZ").schema.simpleString()).toBe("struct<t:timestamp_ntz,u:timestamp>");
    expect(() => spark.conf.set("spark.sql.timestampType", "LOCAL")).toThrow("[INVALID_CONF_VALUE]");
  });

  it("spark.sql.decimalOperations.allowPrecisionLoss=false: bounded result types and NULL on overflow, also in the DataFrame API", async () => {
    const spark = Session.builder().appName("type-settings").getOrCreate().newSession();
    const df = spark.sql("SELECT CAST(10.3 AS DECIMAL(21,19)) AS a, CAST(3 AS DECIMAL(21,19)) AS b");
    expect(df.select(col("a").multiply(col("b")).as("p")).schema.simpleString()).toBe("struct<p:decimal(38,33)>");
    spark.conf.set("spark.sql.decimalOperations.allowPrecisionLoss", false);
    const bounded = df.select(col("a").multiply(col("b")).as("p"), lit(1).as("one"));
    expect(bounded.schema.simpleString()).toBe("struct<p:decimal(38,38),one:int>");
    expect((await bounded.collect())[0]!.p).toBeNull();
  });
});
