import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { MemoryStream } from "../../src/testing/index.ts";

const spark = Session.builder().appName("operator-state-schemas").getOrCreate();

/** The state schemas of a streaming query's stateful operators, as its restart checks them. */
async function schemasOf(sql: string, outputMode: "complete" | "append" = "complete"): Promise<string[]> {
  const query = spark.sql(sql).writeStream.format("memory").queryName(`op_schemas_${Math.random().toString(36).slice(2)}`).outputMode(outputMode).start();
  await query.processAllAvailable();
  const operators = query.execution.physical!.statefulOperators;
  await query.stop();
  return operators.flatMap((op) => op.stateSchema!().stores.map((s) => `${op.operatorId} ${s.storeName}: key ${s.keySchema.toString()} value ${s.valueSchema.toString()}`));
}

describe("what the stateful operators say they keep", () => {
  const events = new MemoryStream(spark, "k STRING, v INT, d DECIMAL(10,2), time TIMESTAMP");
  events.toDF().createOrReplaceTempView("op_schema_events");

  test("an aggregation: its grouping keys (the window a struct), one buffer per aggregate as rivulet keeps it", async () => {
    expect(await schemasOf(
      "SELECT window(time, '1 minute') AS w, k, count(*), sum(v), sum(d), avg(v), min(k), first(v), stddev(v), percentile(v, 0.5) " +
      "FROM op_schema_events GROUP BY window(time, '1 minute'), k",
    )).toEqual([
      "0 default: key StructType(StructField(window(time, 1 minutes),struct<start:timestamp,end:timestamp>,true),StructField(k,string,true)) " +
      "value StructType(StructField(count(1),bigint,true),StructField(sum(v),struct<sum:bigint,count:bigint>,true),StructField(sum(d),struct<sum:decimal(20,2),count:bigint>,true)," +
      "StructField(avg(v),struct<sum:double,count:bigint>,true),StructField(min(k),string,true),StructField(first(v),struct<value:int>,true)," +
      "StructField(stddev(CAST(v AS DOUBLE)),struct<n:double,avg:double,m2:double,m3:double,m4:double>,true),StructField(percentile(CAST(v AS DOUBLE), 0.5),binary,true))",
    ]);
  });

  test("dropDuplicates: the compared columns; a join: each side's keys (field0, …) and rows", async () => {
    expect(await schemasOf("SELECT DISTINCT k, v FROM op_schema_events", "append")).toEqual([
      "0 default: key StructType(StructField(k,string,true),StructField(v,int,true)) value StructType(StructField(eventTime,timestamp,true))",
    ]);
    const other = new MemoryStream(spark, "k STRING, w DOUBLE");
    other.toDF().createOrReplaceTempView("op_schema_other");
    expect(await schemasOf("SELECT * FROM op_schema_events e JOIN op_schema_other o ON e.k = o.k", "append")).toEqual([
      "0 left: key StructType(StructField(field0,string,true)) value StructType(StructField(k,string,true),StructField(v,int,true),StructField(d,decimal(10,2),true),StructField(time,timestamp,true))",
      "0 right: key StructType(StructField(field0,string,true)) value StructType(StructField(k,string,true),StructField(w,double,true))",
    ]);
  });
});
