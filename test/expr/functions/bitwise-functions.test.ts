import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("bitwise-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("bitwise functions", () => {
  it("shifts as Java's int and long operators (the count masked)", async () => {
    expect(await values("SELECT shiftleft(2, 1), shiftright(4, 1), shiftright(-4, 1), shiftrightunsigned(4, 1), shiftrightunsigned(-4, 1), shiftleft(1, 33), shiftleft(1L, 63), shiftrightunsigned(-1L, 60)"))
      .toEqual([4, 2, -2, 2, 2147483646, 2, -9223372036854775808n, 15]);
    expect(spark.sql("SELECT shiftleft(cast(1 as tinyint), 1), shiftleft(1L, 1)").schema.fields.map((f) => f.dataType.kind)).toEqual(["int", "long"]);
  });

  it("bit_count counts the 64-bit two's complement, bit_get reads one bit", async () => {
    expect(await values("SELECT bit_count(0), bit_count(7), bit_count(-1), bit_count(true), bit_get(11, 0), getbit(11, 2), bit_get(null, 1)")).toEqual([0, 3, 64, 1, 1, 0, null]);
    await expect(spark.sql("SELECT bit_get(11, 32)").collect()).rejects.toThrow(/BIT_POSITION_RANGE.*\[0, 32\), but got 32/);
  });

  it("bin and conv follow Long.toBinaryString and Spark's NumberConverter", async () => {
    expect(await values("SELECT bin(13), bin(-13), bin(0), conv('100', 2, 10), conv(-10, 16, -10), conv('-10', 10, 16), conv('1ab', 16, 10), conv('1xz', 16, 10), conv('7', 1, 10), conv('FFFFFFFFFFFFFFFFFF', 16, 10)"))
      .toEqual(["1101", "1111111111111111111111111111111111111111111111111111111111110011", "0", "4", "-16", "FFFFFFFFFFFFFFF6", "427", "1", null, "18446744073709551615"]);
  });

  it("the DataFrame forms", async () => {
    const rows = await spark.sql("SELECT * FROM VALUES (5), (-1) AS t(a)").select(F.shiftleft(col("a"), 2).alias("l"), F.bit_count("a").alias("c"), F.bin("a").alias("b"), F.conv(col("a"), 10, 2).alias("v")).collect();
    expect(rows).toEqual([{ l: 20, c: 2, b: "101", v: "101" }, { l: -4, c: 64, b: "1".repeat(64), v: "1".repeat(64) }]);
  });
});
