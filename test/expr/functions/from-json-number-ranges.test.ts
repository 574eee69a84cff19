import { describe, expect, test } from "vitest";
import { Session, col, from_json, lit } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("from_json: numbers outside a field's type make the field null (PERMISSIVE), as Spark", () => {
  test("an integer past 2^63 - 1 is no BIGINT: null, and arithmetic on it is null too", async () => {
    const [row] = await spark.sql(`SELECT from_json('{"a":12345678901234567890}', 'a BIGINT') AS f,
      from_json('{"a":12345678901234567890}', 'a BIGINT').a + 0 AS g,
      from_json('{"a":9223372036854775807,"b":-9223372036854775808,"c":9223372036854775808,"d":1e30}', 'a BIGINT, b BIGINT, c BIGINT, d BIGINT') AS edges`).collect();
    expect(row!.f).toEqual({ a: null });
    expect(row!.g).toBeNull();
    expect(row!.edges).toEqual({ a: 9223372036854775807n, b: -9223372036854775808n, c: null, d: null });
  });

  test("TINYINT, SMALLINT and INT ranges; DECIMAL precision overflow; a big integer fits a wide enough DECIMAL", async () => {
    const [row] = await spark.sql(`SELECT from_json('{"t":128,"t2":-128,"s":32768,"i":2147483648,"i2":-2147483648,"d":99999999999999999999.5,"d2":12345678901234567890}',
      't TINYINT, t2 TINYINT, s SMALLINT, i INT, i2 INT, d DECIMAL(20,1), d2 DECIMAL(20,0)') AS r`).collect();
    const r = row!.r as Record<string, unknown>;
    expect({ ...r, d2: String(r.d2) }).toEqual({ t: null, t2: -128, s: null, i: null, i2: -2147483648, d: null, d2: "12345678901234567890" });
  });

  test("FAILFAST refuses the record; the DataFrame form and nested values behave the same", async () => {
    await expect(spark.sql(`SELECT from_json('{"a":12345678901234567890}', 'a BIGINT', map('mode', 'FAILFAST')) AS r`).collect())
      .rejects.toThrow("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION]");
    const rows = await spark.range(1).select(from_json(lit('{"xs":[1, 12345678901234567890], "o": {"n": 99999999999999999999}}'), "xs ARRAY<BIGINT>, o STRUCT<n: BIGINT>").as("r")).select(col("r")).collect();
    expect(rows).toEqual([{ r: { xs: null, o: null } }]);
  });

  test("text with a long integer is still parsed with JSON's leniencies Spark allows (single quotes, line breaks)", async () => {
    const [row] = await spark.sql(`SELECT from_json('{\\'a\\': 1234567890123456789,\n "b": "x"}', 'a BIGINT, b STRING') AS r`).collect();
    expect(row!.r).toEqual({ a: 1234567890123456789n, b: "x" });
  });

  test("schema_of_json: an integer beyond BIGINT is DECIMAL(digits, 0), merged with BIGINT elements; past 38 digits DOUBLE", async () => {
    const [row] = await spark.sql(`SELECT schema_of_json('{"a":12345678901234567890}') AS s, schema_of_json('[1, 123456789012345678901]') AS s2,
      schema_of_json('[1.5, 12345678901234567890]') AS s3, schema_of_json('{"a":${"9".repeat(39)}}') AS s4`).collect();
    expect(row).toEqual({ s: "STRUCT<a: DECIMAL(20,0)>", s2: "ARRAY<DECIMAL(21,0)>", s3: "ARRAY<DOUBLE>", s4: "STRUCT<a: DOUBLE>" });
  });
});
