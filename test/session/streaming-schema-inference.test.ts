import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

// spark.sql.streaming.schemaInference=false refuses a schemaless file stream however it is written.
const REFUSAL = /^Schema must be specified when creating a streaming source DataFrame\. .*\(spark\.sql\.streaming\.schemaInference is false; json source at /;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rivulet-schema-inference-sql-"));
  await writeFile(join(dir, "a.json"), '{"id":1,"name":"x"}\n');
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function sessionWithInference(value: "true" | "false"): Session {
  const session = Session.builder().getOrCreate().newSession();
  session.conf.set("spark.sql.streaming.schemaInference", value);
  return session;
}

describe("spark.sql.streaming.schemaInference=false in every form of a file stream", () => {
  test("readStream…load(): refused without a schema, accepted with one", () => {
    const spark = sessionWithInference("false");
    expect(() => spark.readStream.format("json").load(dir)).toThrow(REFUSAL);
    expect(spark.readStream.format("json").schema("id BIGINT").load(dir).columns).toEqual(["id"]);
  });

  test("STREAM(t) over a file table declared without columns: refused; with columns, or read as a batch: accepted", () => {
    const spark = sessionWithInference("false");
    spark.sql(`CREATE TABLE events USING json LOCATION '${dir}'`);
    spark.sql(`CREATE TABLE typed (id BIGINT, name STRING) USING json LOCATION '${dir}'`);
    expect(() => spark.sql("SELECT * FROM STREAM(events)")).toThrow(REFUSAL);
    expect(() => spark.readStream.table("events")).toThrow(REFUSAL);
    expect(spark.sql("SELECT * FROM STREAM(typed)").isStreaming).toBe(true);
    expect(spark.sql("SELECT * FROM events").columns).toEqual(["id", "name"]);
    spark.conf.set("spark.sql.streaming.schemaInference", "true");
    expect(spark.sql("SELECT * FROM STREAM(events)").columns).toEqual(["id", "name"]);
  });

  test("SELECT … FROM STREAM json.`path`: refused; the batch form still infers", () => {
    const spark = sessionWithInference("false");
    expect(() => spark.sql(`SELECT * FROM STREAM json.\`${dir}\``)).toThrow(REFUSAL);
    expect(spark.sql(`SELECT * FROM json.\`${dir}\``).columns).toEqual(["id", "name"]);
    spark.conf.set("spark.sql.streaming.schemaInference", "true");
    const stream = spark.sql(`SELECT * FROM STREAM json.\`${dir}\``);
    expect(stream.isStreaming).toBe(true);
    expect(stream.columns).toEqual(["id", "name"]);
  });
});
