import { describe, expect, test } from "vitest";
import { Session, col, greatest, lit, max, min } from "../../src/index.ts";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { compareStrings } from "../../src/columnar/string-order.ts";
import { tempDirs } from "../temp-dirs.ts";

/** Strings order by code point (Spark compares UTF8String bytes), not by JS's UTF-16 code units. */
const spark = Session.builder().appName("string-code-point-order").getOrCreate();
const dirs = tempDirs(spark);
const FULLWIDTH_A = "\uFF21", PRIVATE = "\uE000", EMOJI = "😀";
spark.createDataFrame([EMOJI, FULLWIDTH_A, "a", PRIVATE, null, "ab"].map((x) => ({ x })), "x STRING").createOrReplaceTempView("cp_strings");

describe("code-point order of strings", () => {
  test("compareStrings: supplementary characters above U+E000–U+FFFF, prefixes first, otherwise as JS", () => {
    expect(compareStrings(FULLWIDTH_A, EMOJI)).toBe(-1);
    expect(compareStrings(EMOJI, PRIVATE)).toBe(1);
    expect(compareStrings("x" + EMOJI, "x" + FULLWIDTH_A)).toBe(1);
    expect(compareStrings("ab", "abc")).toBe(-1);
    expect(compareStrings("b", "abc")).toBe(1);
    expect(compareStrings(EMOJI, EMOJI)).toBe(0);
    expect(compareStrings("\u00e9", "z")).toBe(1);
    expect(compareStrings("😀", "😁")).toBe(-1);
  });

  test("ORDER BY, min/max, comparisons, greatest in SQL", async () => {
    expect((await spark.sql("SELECT x FROM cp_strings ORDER BY x NULLS LAST").collect()).map((r) => r.x)).toEqual(["a", "ab", PRIVATE, FULLWIDTH_A, EMOJI, null]);
    expect((await spark.sql("SELECT min(x) mn, max(x) mx FROM cp_strings WHERE x > 'b'").collect())).toEqual([{ mn: PRIVATE, mx: EMOJI }]);
    const [r] = await spark.sql(`SELECT '${FULLWIDTH_A}' < '${EMOJI}' AS lt, '${EMOJI}' > '${PRIVATE}' AS gt, greatest('${EMOJI}', '${FULLWIDTH_A}') AS g`).collect();
    expect(r).toEqual({ lt: true, gt: true, g: EMOJI });
    expect((await spark.sql(`SELECT x FROM cp_strings WHERE x >= '${FULLWIDTH_A}' ORDER BY x`).collect()).map((r) => r.x)).toEqual([FULLWIDTH_A, EMOJI]);
  });

  test("the DataFrame forms agree", async () => {
    const df = spark.table("cp_strings");
    expect((await df.orderBy(col("x").desc_nulls_last()).collect()).map((r) => r.x)).toEqual([EMOJI, FULLWIDTH_A, PRIVATE, "ab", "a", null]);
    expect(await df.agg(min("x").as("mn"), max("x").as("mx")).collect()).toEqual([{ mn: "a", mx: EMOJI }]);
    expect((await df.filter(col("x").lt(lit(EMOJI))).orderBy("x").collect()).map((r) => r.x)).toEqual(["a", "ab", PRIVATE, FULLWIDTH_A]);
    expect(await df.filter(col("x").equalTo("a")).select(greatest(lit(PRIVATE), lit(EMOJI)).as("g")).collect()).toEqual([{ g: EMOJI }]);
  });

  test("a filter pushed into the JSON reader compares in the same order", async () => {
    const dir = await dirs("cp-json");
    await writeFile(join(dir, "part-0.json"), [EMOJI, FULLWIDTH_A, "a"].map((x) => JSON.stringify({ x })).join("\n") + "\n");
    const df = spark.read.schema("x STRING").json(dir);
    expect((await df.filter(col("x").gt(lit(FULLWIDTH_A))).collect()).map((r) => r.x)).toEqual([EMOJI]);
    expect((await df.filter(col("x").lt(lit(EMOJI))).orderBy("x").collect()).map((r) => r.x)).toEqual(["a", FULLWIDTH_A]);
  });
});
