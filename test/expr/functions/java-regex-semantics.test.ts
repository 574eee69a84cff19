import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

/** RLIKE and the regexp functions follow java.util.regex: its classes, inline flags, code points, errors. */
const spark = Session.builder().appName("java-regex-semantics").getOrCreate();
const value = async (e: string): Promise<unknown> => (await spark.sql(`SELECT ${e} AS x`).collect())[0]!.x;

describe("Java regex semantics", () => {
  it.each([
    ["'AB' RLIKE '(?i)ab'", true], ["regexp_like('AB', '(?i)ab')", true], ["regexp('AB', '(?i)ab')", true],
    ["'é' RLIKE '^\\\\p{L}$'", true], ["'abc' RLIKE '\\\\p{Lower}+'", true], ["'ABC' RLIKE '^\\\\p{Lower}+$'", false],
    ["'ΑΒ' RLIKE '^\\\\p{IsGreek}+$'", true], ["'é' RLIKE '^\\\\pL$'", true], ["'a1' RLIKE '^[\\\\p{Alpha}\\\\d]+$'", true],
    ["'👍' RLIKE '^.$'", true], ["'a-b_c' RLIKE '^a\\\\-b\\\\_c$'", true], ["'a]}' RLIKE 'a]}'", true], ["'aa' RLIKE '^a{2}$'", true],
    ["'ab' RLIKE 'b'", true], ["'ab' RLIKE '^b'", false],
  ])("%s is %s", async (e, expected) => {
    expect(await value(e)).toBe(expected);
  });

  it("RLIKE tests each row from its start (a stateful global RegExp would skip rows)", async () => {
    const rows = await spark.sql("SELECT s RLIKE 'a' AS m FROM VALUES ('a'), ('a'), ('ba'), ('a') AS t(s)").collect();
    expect(rows.map((r) => r.m)).toEqual([true, true, true, true]);
  });

  it("'.' and classes take whole code points in every regexp function", async () => {
    expect(await value("regexp_replace('a👍b', '.', '-')")).toBe("---");
    expect(await value("regexp_extract('x👍y', '^x(.)y$', 1)")).toBe("👍");
    expect(await value("regexp_extract_all('a👍', '.', 0)")).toEqual(["a", "👍"]);
    expect(await value("regexp_count('👍👍', '.')")).toBe(2);
    expect(await value("regexp_substr('x👍y', '.y')")).toBe("👍y");
    expect(await value("regexp_replace('é', '\\\\p{L}', 'L')")).toBe("L");
    expect(await value("split('a👍b👍c', '[👍]')")).toEqual(["a", "b", "c"]);
    // Positions count UTF-16 units, as Java's Matcher.start.
    expect(await value("regexp_instr('👍ab', 'a')")).toBe(3);
  });

  it("the DataFrame forms", async () => {
    const rows = await spark.sql("SELECT 'Éa' AS s").select(col("s").rlike("(?i)^ÉA$").alias("r"), F.regexp_replace(col("s"), "\\p{Upper}", "_").alias("u")).collect();
    expect(rows).toEqual([{ r: true, u: "Éa" }]);
  });

  it.each([
    ["'a' RLIKE '('", "rlike"], ["regexp_replace('a', '(', 'x')", "regexp_replace"], ["regexp_extract('a', 'x{', 0)", "regexp_extract"],
    ["regexp_count('a', '[a')", "regexp_count"], ["split('a', '\\\\p{Nope}')", "split"], ["regexp_like('a', '(')", "regexp_like"],
  ])("a pattern Java refuses: %s", async (e, fn) => {
    await expect(async () => value(e)).rejects.toThrow(`[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) \`regexp\` in \`${fn}\` is invalid`);
  });

  it("a pattern from a column, refused at run time with the same class", async () => {
    await expect(async () => spark.sql("SELECT s RLIKE p FROM VALUES ('a', '(') AS t(s, p)").collect()).rejects.toThrow(/INVALID_PARAMETER_VALUE.PATTERN.*`rlike`/);
  });
});
