import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();
let empty: string;
beforeAll(async () => { empty = await mkdtemp(join(tmpdir(), "rivulet-no-schema-")); });
afterAll(async () => { await rm(empty, { recursive: true, force: true }); });

describe("an empty directory and no schema: Spark's [UNABLE_TO_INFER_SCHEMA], with the reader that fits", () => {
  test("a batch read suggests spark.read.schema(…), not readStream", () => {
    let message = "";
    try { spark.read.json(empty); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/^\[UNABLE_TO_INFER_SCHEMA\] Unable to infer schema for JSON\. It must be specified manually\./);
    expect(message).toContain(`no input files at ${empty}`);
    expect(message).toContain("spark.read.schema(");
    expect(message).not.toContain("readStream");
  });

  test("a stream suggests spark.readStream.schema(…); csv names its format", () => {
    expect(() => spark.readStream.json(empty)).toThrow(/Unable to infer schema for JSON\. It must be specified manually\. .*spark\.readStream\.schema\(/);
    expect(() => spark.read.csv(empty)).toThrow(/Unable to infer schema for CSV\. .*spark\.read\.schema\(.*\.csv\(path\)/);
  });
});

describe("spark.sql.streaming.schemaInference", () => {
  test("rivulet infers a file stream's schema by default and says so; set false, a stream without a schema is refused as in Spark", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rivulet-schema-inference-"));
    try {
      await writeFile(join(dir, "a.json"), '{"id":1,"name":"x"}\n');
      const session = spark.newSession();
      expect(session.conf.get("spark.sql.streaming.schemaInference")).toBe("true");
      expect(session.readStream.json(dir).columns).toEqual(["id", "name"]);
      session.conf.set("spark.sql.streaming.schemaInference", "false");
      expect(() => session.readStream.json(dir)).toThrow(/^Schema must be specified when creating a streaming source DataFrame\. .*spark\.sql\.streaming\.schemaInference is false; json source at /);
      expect(() => session.readStream.format("parquet").load(dir)).toThrow(/Schema must be specified/);
      // With a schema, or for text (its schema is fixed), or a batch read: as before.
      expect(session.readStream.schema("id BIGINT").json(dir).columns).toEqual(["id"]);
      expect(session.readStream.text(dir).columns).toEqual(["value"]);
      expect(session.read.json(dir).columns).toEqual(["id", "name"]);
      // schema(undefined) and schema(null) mean no schema, as Scala's schema(null).
      expect(session.read.schema(undefined as never).json(dir).columns).toEqual(["id", "name"]);
      expect(session.read.schema(null as never).json(dir).columns).toEqual(["id", "name"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
