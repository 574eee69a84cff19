import { mkdtemp, rm } from "node:fs/promises";
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
