import { describe, expect, test } from "vitest";
import {
  Session, base64, btrim, col, crc32, decode, elt, encode, equal_null, find_in_set, format_string, hash, hex, left, levenshtein, lit, luhn_check, mask,
  md5, nullif, nvl2, overlay, right, sentences, sha1, sha2, soundex, split_part, to_binary, translate, try_add, try_divide, typeof as typeOf, unbase64, unhex,
  uuid, xxhash64, ilike, regexp_like, type DataFrame,
} from "../../src/index.ts";

/**
 * The scalar functions of the SQL surface through the DataFrame API give what the same
 * call gives in SQL (one plan builder, one registry), with Spark's Scala signatures.
 */
const spark = Session.builder().appName("sql-surface-functions").getOrCreate();

function people(): DataFrame {
  return spark.createDataFrame([
    { name: "Spark SQL", csv: "a,b,c", n: 2, card: "79927398713" },
    { name: null, csv: "x", n: null, card: "1234" },
  ], "name STRING, csv STRING, n INT, card STRING");
}

async function sqlAnswer(select: string): Promise<unknown[][]> {
  people().createOrReplaceTempView("people_fns");
  return (await spark.sql(`SELECT ${select} FROM people_fns`).collect()).map((r) => Object.values(r));
}

describe("DataFrame functions agree with SQL", () => {
  test("string functions", async () => {
    const df = people().select(
      split_part(col("csv"), ",", 2), btrim(col("name")), left("name", 5), right(col("name"), 3), overlay(col("name"), "_", 6),
      translate(col("name"), "SQ", "sq"), elt(col("n"), col("csv"), col("name")), find_in_set(lit("b"), col("csv")), levenshtein("name", "csv"),
      soundex("name"), luhn_check("card"), format_string("%s has %d", col("name"), col("n")), mask("name"), sentences(lit("Hi there! Good morning.")),
    );
    const sql = await sqlAnswer(
      "split_part(csv, ',', 2), btrim(name), left(name, 5), right(name, 3), overlay(name, '_', 6), translate(name, 'SQ', 'sq'), " +
      "elt(n, csv, name), find_in_set('b', csv), levenshtein(name, csv), soundex(name), luhn_check(card), format_string('%s has %d', name, n), " +
      "mask(name), sentences('Hi there! Good morning.')",
    );
    const rows = (await df.collect()).map((r) => Object.values(r));
    expect(rows).toEqual(sql);
    expect(rows[0]).toEqual(["b", "Spark SQL", "Spark", "SQL", "Spark_SQL", "spark sqL", "Spark SQL", 2, 8, "S162", true, "Spark SQL has 2", "Xxxxx XXX", [["Hi", "there"], ["Good", "morning"]]]);
    expect(rows[1]).toEqual(["", null, null, null, null, null, null, 0, null, null, false, "null has null", null, [["Hi", "there"], ["Good", "morning"]]]);
    expect(df.columns.slice(0, 3)).toEqual(["split_part(csv, ,, 2)", "btrim(name)", "left(name, 5)"]);
  });

  test("hash, binary and null-handling functions", async () => {
    const df = people().select(
      hash("name", "n"), xxhash64(col("name")), md5(col("name")), sha1("name"), sha2(col("name"), 256), crc32("name"),
      hex(col("name")), unhex(hex(col("name"))), base64(encode(col("name"), "UTF-8")), decode(unbase64(base64(col("name"))), "UTF-8"), to_binary(lit("4142")),
      equal_null(col("name"), col("csv")), nvl2(col("n"), "set", "unset"), nullif(col("n"), 2), try_add(col("n"), lit(2147483647)), try_divide("n", lit(0)), typeOf(col("n")),
      ilike(col("name"), "spark%"), regexp_like(col("name"), "S.L$"),
    );
    const sql = await sqlAnswer(
      "hash(name, n), xxhash64(name), md5(name), sha1(name), sha2(name, 256), crc32(name), hex(name), unhex(hex(name)), base64(encode(name, 'UTF-8')), " +
      "decode(unbase64(base64(name)), 'UTF-8'), to_binary('4142'), equal_null(name, csv), nvl2(n, 'set', 'unset'), nullif(n, 2), try_add(n, 2147483647), try_divide(n, 0), typeof(n), " +
      "name ILIKE 'spark%', regexp_like(name, 'S.L$')",
    );
    const rows = (await df.collect()).map((r) => Object.values(r));
    expect(rows).toEqual(sql);
    const hexName = Buffer.from("Spark SQL").toString("hex").toUpperCase();
    expect(rows[0]![2]).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0]![3]).toMatch(/^[0-9a-f]{40}$/);
    expect(rows[0]![4]).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.slice(6, 11)).toEqual([hexName, new Uint8Array(Buffer.from("Spark SQL")), "U3BhcmsgU1FM", "Spark SQL", Uint8Array.of(0x41, 0x42)]);
    expect(rows[0]!.slice(11)).toEqual([false, "set", null, null, null, "int", true, true]);
    expect(rows[1]!.slice(11)).toEqual([false, "unset", null, null, null, "int", null, null]);
  });

  test("uuid() differs per row and per call; it is never folded to one constant", async () => {
    const rows = await spark.createDataFrame([{ i: 1 }, { i: 2 }, { i: 3 }], "i INT").select(uuid().as("u")).collect();
    const ids = rows.map((r) => r.u as string);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
