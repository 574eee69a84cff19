import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("string-extras").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("string extras", () => {
  it("ascii, chr, space, lengths", async () => {
    expect(await values("SELECT ascii('222'), ascii(''), ascii('€'), chr(65), char(321), chr(-1), space(2), space(-1), bit_length('Spark SQL'), octet_length('é'), len('ab ')"))
      .toEqual([50, 0, 8364, "A", "A", "", "  ", "", 72, 2, 3]);
    expect(spark.sql("SELECT chr(65), len('a')").columns).toEqual(["chr(65)", "len(a)"]);
  });

  it("substring_index counts delimiters from the left or the right", async () => {
    expect(await values("SELECT substring_index('www.apache.org', '.', 2), substring_index('www.apache.org', '.', -2), substring_index('www.apache.org', '.', 0), substring_index('a.b', '.', 5), substring_index('a.b', '', 1), substring_index('aaa', 'aa', 2)"))
      .toEqual(["www.apache", "apache.org", "", "a.b", "", "a"]);
  });

  it("the DataFrame forms", async () => {
    const rows = await spark.sql("SELECT 'a.b.c' AS s, 66 AS n").select(F.substring_index("s", ".", -1).alias("i"), F.chr(col("n")).alias("c"), F.ascii("s").alias("a"), F.octet_length("s").alias("o")).collect();
    expect(rows).toEqual([{ i: "c", c: "B", a: 97, o: 5 }]);
  });
});
