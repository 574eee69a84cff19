import { describe, expect, it } from "vitest";
import { Session, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("regexp-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("regexp functions", () => {
  it("count, extract_all, substr, instr as Spark's examples", async () => {
    expect(await values("SELECT regexp_count('Steven Jones and Stephen Smith are the best players', 'Ste(v|ph)en'), regexp_count('abc', 'x'), regexp_extract_all('100-200, 300-400', '(\\\\d+)-(\\\\d+)', 1), regexp_extract_all('100-200, 300-400', '(\\\\d+)-(\\\\d+)', 2)"))
      .toEqual([2, 0, ["100", "300"], ["200", "400"]]);
    expect(await values("SELECT regexp_substr('Steven Jones and Stephen Smith', 'Ste(v|ph)en'), regexp_substr('x', 'y'), regexp_instr('user@spark.apache.org', '@[^.]*'), regexp_instr('abc', 'z'), regexp_count(null, 'a')"))
      .toEqual(["Steven", null, 5, 0, null]);
    await expect(spark.sql("SELECT regexp_extract_all('a1', '(\\\\d)', 2)").collect()).rejects.toThrow(/REGEX_GROUP_INDEX.*between 0 and 1, but got 2/);
  });

  it("the DataFrame forms", async () => {
    const rows = await spark.sql("SELECT 'a1b22c333' AS s").select(F.regexp_count("s", F.lit("\\d+")).alias("c"), F.regexp_extract_all("s", F.lit("(\\d+)")).alias("all"), F.regexp_substr("s", F.lit("\\d{2}")).alias("sub")).collect();
    expect(rows).toEqual([{ c: 3, all: ["1", "22", "333"], sub: "22" }]);
  });
});
