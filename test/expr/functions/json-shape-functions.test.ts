import { describe, expect, it } from "vitest";
import { Session } from "../../../src/index.ts";

const spark = Session.builder().appName("json-shape-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("json_array_length, json_object_keys, bitmap_bit_position", () => {
  it("as Spark's examples; null for invalid JSON or the other shape", async () => {
    expect(await values("SELECT json_array_length('[1,2,3,4]'), json_array_length('[1,2,3,{\"f1\":1,\"f2\":[5,6]},4]'), json_array_length('[1,2'), json_array_length('{}'), json_array_length(null)"))
      .toEqual([4, 5, null, null, null]);
    expect(await values("SELECT json_object_keys('{}'), json_object_keys('{\"key\": \"value\"}'), json_object_keys('{\"f1\":\"abc\",\"f2\":{\"f3\":\"a\", \"f4\":\"b\"}}'), json_object_keys('[1]'), json_object_keys('{')"))
      .toEqual([[], ["key"], ["f1", "f2"], null, null]);
    expect(await values("SELECT bitmap_bit_position(1), bitmap_bit_position(123), bitmap_bit_position(32769), bitmap_bit_position(-1), bitmap_bit_position(0)")).toEqual([0, 122, 0, 1, 0]);
  });
});
